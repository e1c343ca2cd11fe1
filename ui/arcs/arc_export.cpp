#include "arcs/arc_export.h"

#include <QFile>
#include <QPainter>
#include <QTextStream>

#include <algorithm>

namespace chrysalis::ui {

QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"'))) return s;
  return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
         QLatin1Char('"');
}

QString exportArcCsv(const ArcScene& scene, const QString& csv) {
  QFile f(csv);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
    return QStringLiteral("%1: %2").arg(csv, f.errorString());
  QTextStream out(&f);
  out << "word,form,gold_head,relation,predicted_head,correct\n";
  for (int i = 0; i < scene.size(); ++i) {
    out << i + 1 << ',' << csvField(scene.words[i]) << ',' << scene.gold.value(i) << ','
        << csvField(scene.relations.value(i)) << ',';
    if (scene.hasPrediction())
      out << scene.predicted[i] << ',' << (scene.isCorrect(i) ? 1 : 0);
    else
      out << ',';
    out << '\n';
  }
  return {};
}
PaperArcs paperArcs(const ArcScene& scene, const ExportOptions& options) {
  PaperArcs a;
  a.style = ArcStyle::forPaper(options.fontFamily, options.fontPoints, kUnitsPerPoint);
  a.layout = ArcLayout::compute(scene, a.style.wordFont, a.style.labelFont);
  return a;
}

void paintArcsInto(QPainter& p, const QRectF& area, const ArcScene& scene, const PaperArcs& a) {
  if (a.layout.width <= 0 || a.layout.height <= 0) return;
  const double scale =
      std::min({1.0, area.width() / a.layout.width, area.height() / a.layout.height});
  p.save();
  p.translate(area.left() + (area.width() - a.layout.width * scale) / 2, area.top());
  p.scale(scale, scale);
  p.fillRect(QRectF(0, 0, a.layout.width, a.layout.height), a.style.background);
  paintArcs(p, scene, a.layout, a.style);
  p.restore();
}

FigureDrawing arcFigureDrawing(const ArcScene& scene, const ExportOptions& options, bool fitWidth) {
  FigureDrawing d;
  if (scene.size() == 0) {
    d.error = QStringLiteral("there is no sentence to export");
    return d;
  }
  const PaperArcs a = paperArcs(scene, options);
  const QSizeF natural = a.naturalPoints();
  d.sizePoints = natural;
  if (fitWidth) {
    const double w = options.widthInches * 72.0;
    const double scale = std::min(1.0, w / natural.width());
    d.sizePoints = {w, options.heightInches > 0 ? options.heightInches * 72.0
                                                : natural.height() * scale};
  }
  const QSizeF units = d.sizePoints * kUnitsPerPoint;
  d.paint = [scene, a, units](QPainter& p) {
    p.fillRect(QRectF(QPointF(0, 0), units), Qt::white);
    paintArcsInto(p, QRectF(QPointF(0, 0), units), scene, a);
  };
  return d;
}

QString exportArcFigure(const ArcScene& scene, const ExportOptions& options, const QString& path,
                        bool fitWidth) {
  const QString error = writeDrawing(path, arcFigureDrawing(scene, options, fitWidth), options);
  if (!error.isEmpty() || !options.writeCsv) return error;
  return exportArcCsv(scene, csvPathFor(path));
}

} // namespace chrysalis::ui
