#include "timeline/path_inset.h"

#include "common/step_search.h"
#include "data/run_data.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {

namespace {
constexpr int kPoints = 9; // core/probes: kPathPoints
} // namespace

PathCurve pathCurveAt(const RunData& run, qint64 step) {
  PathCurve c;
  const Timeline from = run.timeline(QStringLiteral("path"), QStringLiteral("path_from"));
  const std::ptrdiff_t index = indexAtOrBefore(from.steps, step);
  if (index < 0) return c;
  const qint64 at = from.steps[index];
  QVector<double> loss;
  for (int i = 0; i < kPoints; ++i) {
    const double v =
        run.timeline(QStringLiteral("path"), QStringLiteral("path_loss_%1").arg(i)).valueAt(at);
    if (!std::isfinite(v)) return c; // written before the curve was kept as scalars
    loss << v;
  }
  c.to = at;
  c.from = static_cast<qint64>(from.valueAt(at));
  c.loss = loss;
  c.runLabel = run.label;
  return c;
}

void paintPathInset(QPainter& p, const QRectF& box, const QVector<PathCurve>& curves,
                    const QFont& font, const QColor& text, const QColor& background) {
  double lo = INFINITY, hi = -INFINITY;
  for (const PathCurve& c : curves)
    for (double v : c.loss) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!(hi >= lo)) return;
  if (hi - lo < 1e-9) hi = lo + 1e-9;
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  QColor fill = background;
  fill.setAlphaF(0.92f);
  p.setPen(QPen(text, 0.5));
  p.setBrush(fill);
  p.drawRect(box);
  p.setFont(font);
  const QFontMetricsF fm(font);
  const PathCurve& first = curves.first();
  const bool oneSegment = std::all_of(curves.cbegin(), curves.cend(), [&](const PathCurve& c) {
    return c.from == first.from && c.to == first.to;
  });
  const QLocale locale;
  // Runs checkpointed differently have different segments: then say which end is which.
  const QString start = oneSegment ? locale.toString(first.from) : QStringLiteral("prev.");
  const QString end = oneSegment ? locale.toString(first.to) : QStringLiteral("this");
  const QString caption =
      oneSegment ? QStringLiteral("loss on the line %1 \u2192 %2").arg(start, end)
                 : QStringLiteral("loss on the line from the previous checkpoint with weights");
  const QString range = QStringLiteral("%1\u2013%2").arg(lo, 0, 'f', 2).arg(hi, 0, 'f', 2);
  const QRectF plot = box.adjusted(8, fm.height() + 6, -8, -fm.height() - 6);
  p.setPen(text);
  const QRectF head(box.left() + 6, box.top() + 3, box.width() - 12, fm.height());
  const QRectF foot(box.left() + 6, box.bottom() - fm.height() - 3, box.width() - 12, fm.height());
  // Everything elided to the box: the panel may be narrow.
  p.drawText(head, Qt::AlignLeft | Qt::AlignVCenter,
             fm.elidedText(caption, Qt::ElideRight, head.width()));
  const QString left = start + QStringLiteral(" \u2190 \u03b1 \u2192 ") + end;
  const double rangeWidth = fm.horizontalAdvance(range) + 8;
  p.drawText(foot.adjusted(0, 0, -rangeWidth, 0), Qt::AlignLeft | Qt::AlignVCenter,
             fm.elidedText(left, Qt::ElideRight, foot.width() - rangeWidth));
  if (rangeWidth < foot.width() / 2) p.drawText(foot, Qt::AlignRight | Qt::AlignVCenter, range);
  for (const PathCurve& c : curves) {
    QPainterPath path;
    for (int i = 0; i < c.loss.size(); ++i) {
      const QPointF pt(plot.left() + plot.width() * i / (c.loss.size() - 1),
                       plot.bottom() - plot.height() * (c.loss[i] - lo) / (hi - lo));
      if (i == 0)
        path.moveTo(pt);
      else
        path.lineTo(pt);
    }
    p.setPen(QPen(c.colour, 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    // The chord between the ends: a barrier is the curve above it.
    p.setPen(QPen(c.colour, 0.8, Qt::DotLine));
    p.drawLine(path.elementAt(0), path.elementAt(path.elementCount() - 1));
  }
  p.restore();
}

} // namespace chrysalis::ui
