#include "export/arc_export.h"

#include <QFile>
#include <QFontMetricsF>
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
namespace {

struct LegendEntry {
  QColor colour;
  Qt::PenStyle style;
  QString text;
};

QVector<LegendEntry> legendEntries(const ArcStyle& s) {
  return {{s.gold, Qt::SolidLine, QStringLiteral("gold arc (above the words)")},
          {s.correct, Qt::SolidLine, QStringLiteral("head's arc, correct")},
          {s.wrong, Qt::DashLine, QStringLiteral("head's arc, wrong")}};
}

// One entry's width: a line sample, a gap, the text, a gap before the next.
double entryWidth(const LegendEntry& e, const QFontMetricsF& fm) {
  return fm.height() * 2.3 + fm.horizontalAdvance(e.text) + fm.height();
}

double legendRowWidth(const ArcStyle& s) {
  const QFontMetricsF fm(s.labelFont);
  double w = 0;
  for (const LegendEntry& e : legendEntries(s))
    w += entryWidth(e, fm);
  return w;
}

// "── gold  ── head, correct  ╌╌ head, wrong": what the colours and dashes
// mean, on one row, or one entry per row under a short sentence.
void paintArcLegend(QPainter& p, const QRectF& area, const ArcStyle& s) {
  const QFontMetricsF fm(s.labelFont);
  const bool oneRow = legendRowWidth(s) <= area.width();
  const double line = fm.height() * 1.4;
  double x = area.left() + (oneRow ? std::max(0.0, (area.width() - legendRowWidth(s)) / 2) : 0.0);
  double y = area.top() + line / 2;
  p.setFont(s.labelFont);
  for (const LegendEntry& e : legendEntries(s)) {
    p.setPen(QPen(e.colour, std::max(1.0, s.lineWidth * fm.height() / 10.0), e.style));
    p.drawLine(QPointF(x, y), QPointF(x + fm.height() * 1.8, y));
    p.setPen(s.text);
    const double textX = x + fm.height() * 2.3;
    p.drawText(QRectF(textX, y - fm.height() / 2, fm.horizontalAdvance(e.text) + 1, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, e.text);
    if (oneRow) {
      x += entryWidth(e, fm);
    } else {
      y += line;
    }
  }
}

} // namespace

PaperArcs paperArcs(const ArcScene& scene, const ExportOptions& options) {
  PaperArcs a;
  a.style = ArcStyle::forPaper(options.fontFamily, options.fontPoints, kUnitsPerPoint);
  a.layout = ArcLayout::compute(scene, a.style.wordFont, a.style.labelFont);
  if (scene.hasPrediction()) {
    const double line = QFontMetricsF(a.style.labelFont).height() * 1.4;
    const bool oneRow = legendRowWidth(a.style) <= a.layout.width;
    a.legendHeight = oneRow ? line : 3 * line;
  }
  return a;
}

void paintArcsInto(QPainter& p, const QRectF& area, const ArcScene& scene, const PaperArcs& a) {
  if (a.layout.width <= 0 || a.layout.height <= 0) return;
  const double height = a.layout.height + a.legendHeight;
  const double scale = std::min({1.0, area.width() / a.layout.width, area.height() / height});
  p.save();
  p.translate(area.left() + (area.width() - a.layout.width * scale) / 2, area.top());
  p.scale(scale, scale);
  p.fillRect(QRectF(0, 0, a.layout.width, height), a.style.background);
  paintArcs(p, scene, a.layout, a.style);
  if (a.legendHeight > 0)
    paintArcLegend(p, QRectF(0, a.layout.height, a.layout.width, a.legendHeight), a.style);
  p.restore();
}

FigureDrawing arcFigureDrawing(const ArcScene& scene, const ExportOptions& options, bool fitWidth) {
  FigureDrawing d;
  if (scene.size() == 0) {
    d.error = QStringLiteral("there is no sentence to export");
    return d;
  }
  const PaperArcs a = paperArcs(scene, options);
  // A title line (sentence, head, step) when the scene names what it shows.
  const double title = scene.predictedLabel.isEmpty()
                           ? 0.0
                           : QFontMetricsF(a.style.labelFont).height() * 1.6 / kUnitsPerPoint;
  const QSizeF natural = a.naturalPoints() + QSizeF(0, title);
  d.sizePoints = natural;
  if (fitWidth) {
    const double w = options.widthInches * 72.0;
    const double scale = std::min(1.0, w / natural.width());
    d.sizePoints = {w, options.heightInches > 0 ? options.heightInches * 72.0
                                                : (natural.height() - title) * scale + title};
  }
  const QSizeF units = d.sizePoints * kUnitsPerPoint;
  const double titleUnits = title * kUnitsPerPoint;
  d.paint = [scene, a, units, titleUnits](QPainter& p) {
    p.fillRect(QRectF(QPointF(0, 0), units), Qt::white);
    if (titleUnits > 0) {
      p.setFont(a.style.labelFont);
      p.setPen(a.style.text);
      p.drawText(QRectF(0, 0, units.width(), titleUnits), Qt::AlignCenter, scene.predictedLabel);
    }
    paintArcsInto(p, QRectF(0, titleUnits, units.width(), units.height() - titleUnits), scene, a);
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
