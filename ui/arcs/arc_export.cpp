#include "arcs/arc_export.h"

#include "arcs/arc_layout.h"
#include "arcs/arc_painter.h"
#include "export/figure_writer.h"

#include <QFile>
#include <QPainter>
#include <QTextStream>

namespace chrysalis::ui {

namespace {
QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"'))) return s;
  return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}
} // namespace

QString exportArcFigure(const ArcScene& scene, const ExportOptions& options, const QString& path) {
  if (scene.size() == 0) return QStringLiteral("there is no sentence to export");
  const ArcStyle style = ArcStyle::forPaper(options.fontFamily, options.fontPoints, kUnitsPerPoint);
  const ArcLayout layout = ArcLayout::compute(scene, style.wordFont, style.labelFont);
  const QSizeF points(layout.width / kUnitsPerPoint, layout.height / kUnitsPerPoint);
  const QString error = writeFigure(path, options.format, points, options.dpi, [&](QPainter& p) {
    p.fillRect(QRectF(0, 0, layout.width, layout.height), Qt::white);
    paintArcs(p, scene, layout, style);
  });
  if (!error.isEmpty() || !options.writeCsv) return error;

  const QString csv = csvPathFor(path);
  QFile f(csv);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
    return QStringLiteral("%1: %2").arg(csv, f.errorString());
  QTextStream out(&f);
  out << "word,form,gold_head,relation,predicted_head,correct\n";
  for (int i = 0; i < scene.size(); ++i) {
    out << i + 1 << ',' << csvField(scene.words[i]) << ',' << scene.gold.value(i) << ','
        << csvField(scene.relations.value(i)) << ',';
    if (scene.hasPrediction()) out << scene.predicted[i] << ',' << (scene.isCorrect(i) ? 1 : 0);
    else out << ',';
    out << '\n';
  }
  return {};
}

} // namespace chrysalis::ui
