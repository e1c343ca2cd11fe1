#include "arcs/arc_painter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace chrysalis::ui {

ArcStyle ArcStyle::forScreen(const QFont& font, bool dark) {
  ArcStyle s;
  s.wordFont = font;
  if (s.wordFont.pixelSize() <= 0)
    s.wordFont.setPixelSize(std::max(9, qRound(font.pointSizeF() * 4.0 / 3.0)));
  s.labelFont = s.wordFont;
  s.labelFont.setPixelSize(std::max(8, qRound(s.wordFont.pixelSize() * 0.82)));
  if (dark) {
    s.background = QColor(0x2b, 0x2b, 0x2b);
    s.text = QColor(0xee, 0xee, 0xee);
    s.gold = QColor(0xbb, 0xbb, 0xbb);
    s.correct = QColor(0x56, 0xB4, 0xE9); // Okabe–Ito sky blue: readable on dark
  }
  return s;
}

ArcStyle ArcStyle::forPaper(const QString& family, double points, double unitsPerPoint) {
  ArcStyle s;
  s.wordFont = QFont(family);
  s.wordFont.setPixelSize(std::max(1, qRound(points * unitsPerPoint)));
  s.labelFont = QFont(family);
  s.labelFont.setPixelSize(std::max(1, qRound(points * 0.8 * unitsPerPoint)));
  s.lineWidth = std::max(0.6, points / 10.0) * unitsPerPoint;
  return s;
}

namespace {

// An arc from the dependent's column to the head's, bulging up (sign -1) or
// down (+1) from baseY. The head end sits a little off centre, towards the
// dependent, so that arcs arriving at a word and leaving it stay apart.
struct ArcGeometry {
  QPointF dep, head, apex;
  QPainterPath path;
};

ArcGeometry arcGeometry(const ArcLayout& l, int dep, int head, double baseY, int sign) {
  ArcGeometry g;
  const double offset =
      std::min(0.18 * l.fontHeight, 0.1 * std::abs(l.centres[head] - l.centres[dep]));
  const double xd = l.centres[dep];
  const double xh = l.centres[head] + (dep > head ? offset : -offset);
  const double h = l.arcHeight(head - dep);
  const double c =
      baseY + sign * h / 0.75; // a cubic with equal control heights peaks at 3/4 of them
  g.dep = QPointF(xd, baseY);
  g.head = QPointF(xh, baseY);
  g.apex = QPointF((xd + xh) / 2, baseY + sign * h);
  g.path.moveTo(g.head);
  g.path.cubicTo(QPointF(xh, c), QPointF(xd, c), g.dep);
  return g;
}

void arrowHead(QPainter& p, const QPointF& tip, int sign, double size, const QColor& colour) {
  // sign -1: the arc comes from above, the arrow points down into the word.
  QPolygonF tri;
  tri << tip << QPointF(tip.x() - size * 0.5, tip.y() + sign * size)
      << QPointF(tip.x() + size * 0.5, tip.y() + sign * size);
  p.setPen(Qt::NoPen);
  p.setBrush(colour);
  p.drawPolygon(tri);
  p.setBrush(Qt::NoBrush);
}

QRectF labelBox(const QPointF& centre, const QString& text, const ArcStyle& s) {
  const QFontMetricsF fm(s.labelFont);
  const double w = fm.horizontalAdvance(text) + fm.height() * 0.4;
  return QRectF(centre.x() - w / 2, centre.y() - fm.height() / 2, w, fm.height());
}

void drawLabel(QPainter& p, const QRectF& box, const QString& text, const ArcStyle& s,
               const QColor& colour) {
  p.setPen(Qt::NoPen);
  p.setBrush(s.background); // crossing arcs must not strike through the label
  p.drawRect(box);
  p.setBrush(Qt::NoBrush);
  p.setPen(colour);
  p.setFont(s.labelFont);
  p.drawText(box, Qt::AlignCenter, text);
}

// Where a label goes on its arc: the apex, unless a label placed before sits
// there (two arcs of almost the same span from one word), then the first
// free spot sliding down either side of the arc.
QRectF placeLabel(const QPainterPath& arc, const QString& text, const ArcStyle& s,
                  const QVector<QRectF>& placed) {
  static const double kSpots[] = {0.5, 0.38, 0.62, 0.27, 0.73, 0.17, 0.83};
  for (double t : kSpots) {
    const QRectF box = labelBox(arc.pointAtPercent(t), text, s);
    const bool free = std::none_of(placed.begin(), placed.end(), [&](const QRectF& r) {
      return r.intersects(box.adjusted(-1, -1, 1, 1));
    });
    if (free) return box;
  }
  return labelBox(arc.pointAtPercent(0.5), text, s);
}

} // namespace

namespace {

// What the parts share: the arrow size, the hover test and the pens.
struct ArcPens {
  const ArcStyle& s;
  int hovered;
  double arrow;
  QRectF visible; // null: draw everything
  // Whether anything between x0 and x1 (either order) can be seen.
  bool shows(double x0, double x1) const {
    if (visible.isNull()) return true;
    const double pad = arrow + 2 * s.lineWidth;
    return std::max(x0, x1) + pad >= visible.left() && std::min(x0, x1) - pad <= visible.right();
  }
  bool touches(int dep, int head) const {
    return hovered >= 0 && (dep == hovered || head == hovered);
  }
  QPen pen(const QColor& c, bool bold, Qt::PenStyle style = Qt::SolidLine) const {
    QPen p2(c, s.lineWidth * (bold ? 2.0 : 1.0), style);
    p2.setCapStyle(Qt::FlatCap);
    return p2;
  }
};

int wordCount(const ArcScene& scene, const ArcLayout& l) {
  return std::min<int>(scene.size(), static_cast<int>(l.centres.size()));
}

// 0 for the root, else the distance to the parent.
int span(const QVector<int>& parents, int i) {
  return parents.value(i) == 0 ? 0 : std::abs(parents[i] - 1 - i);
}

// Word indices, longest arc first, so the short ones (and their labels) stay on top.
QVector<int> longestFirst(const QVector<int>& parents, int n) {
  QVector<int> order(n);
  for (int i = 0; i < n; ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return span(parents, a) > span(parents, b); });
  return order;
}

QString goldLabelText(const ArcScene& scene, int i) {
  return scene.relations.value(i, scene.gold.value(i) == 0 ? QStringLiteral("root") : QString());
}

void paintGoldArcs(QPainter& p, const ArcScene& scene, const ArcLayout& l, const ArcPens& k,
                   const QVector<QRectF>* labelBoxes) {
  const int n = wordCount(scene, l);
  const QVector<int> order = longestFirst(scene.gold, n);
  for (int i : order) {
    const int parent = scene.gold.value(i);
    if (!k.shows(l.centres[i], parent == 0 ? l.centres[i] : l.centres[parent - 1])) continue;
    const QColor c = k.touches(i, parent - 1) ? k.s.highlight : k.s.gold;
    if (parent == 0) { // root: a vertical arrow from the top of the gold area
      const QPointF tip(l.centres[i], l.goldBase), top(l.centres[i], l.goldTop);
      p.setPen(k.pen(c, i == k.hovered));
      p.drawLine(top, tip);
      arrowHead(p, tip, -1, k.arrow, c);
      continue; // its label is drawn with the others
    }
    const ArcGeometry g = arcGeometry(l, i, parent - 1, l.goldBase, -1);
    p.setPen(k.pen(c, k.touches(i, parent - 1)));
    p.drawPath(g.path);
    arrowHead(p, g.dep, -1, k.arrow, c);
  }
  // Labels after every arc, so no arc crosses a label, in the order they
  // were placed.
  const QVector<QRectF> boxes = labelBoxes && labelBoxes->size() == n
                                    ? *labelBoxes // shared, not copied
                                    : goldLabelBoxes(scene, l, k.s);
  for (int j = n - 1; j >= 0; --j) {
    const int i = order[j];
    const int parent = scene.gold.value(i);
    const QColor c = k.touches(i, parent - 1) ? k.s.highlight : k.s.text;
    if (k.shows(boxes[i].left(), boxes[i].right()))
      drawLabel(p, boxes[i], goldLabelText(scene, i), k.s, c);
  }
}

// The part of an arc whose x lies in [left, right], for sentences too long
// to draw whole: the raster engine flattens, strokes (and dashes) and fills
// an arc over its whole length, also out of view, which at 512 words was
// most of a predicted layer's paint. `before`: the length of the curve
// ahead of the part, where the dash pattern must resume (dashed arcs only).
// An arc is one cubic whose control points share its ends' x (arcGeometry),
// so x runs monotonically along it and each bound is one parameter, found
// by halving.
struct ArcPart {
  QPainterPath path;
  double before = 0;
};

QPointF lerp(const QPointF& a, const QPointF& b, double t) {
  return a + (b - a) * t;
}

// The cubic's points over [0, t] and over [t, 1] (de Casteljau).
std::pair<std::array<QPointF, 4>, std::array<QPointF, 4>>
splitCubic(const std::array<QPointF, 4>& c, double t) {
  const QPointF a = lerp(c[0], c[1], t), b = lerp(c[1], c[2], t), d = lerp(c[2], c[3], t);
  const QPointF ab = lerp(a, b, t), bd = lerp(b, d, t), m = lerp(ab, bd, t);
  return {{c[0], a, ab, m}, {m, bd, d, c[3]}};
}

// The length of the cubic as chords, one per 16 pixels of its control
// polygon (which bounds the curve's length), 16 to 256 of them: under 0.2
// px short on a 500-word arc. QPainterPath::length() subdivides to a
// hundredth of a pixel, which cost as much as stroking the parts.
double cubicLength(const std::array<QPointF, 4>& c) {
  const double polygon =
      QLineF(c[0], c[1]).length() + QLineF(c[1], c[2]).length() + QLineF(c[2], c[3]).length();
  const int chords = std::clamp(static_cast<int>(polygon / 16), 16, 256);
  double length = 0;
  QPointF last = c[0];
  for (int i = 1; i <= chords; ++i) {
    const double t = static_cast<double>(i) / chords, u = 1 - t;
    const QPointF at = u * u * u * c[0] + 3 * u * t * (u * c[1] + t * c[2]) + t * t * t * c[3];
    length += QLineF(last, at).length();
    last = at;
  }
  return length;
}

QPainterPath cubicPath(const std::array<QPointF, 4>& c) {
  QPainterPath path(c[0]);
  path.cubicTo(c[1], c[2], c[3]);
  return path;
}

ArcPart partInColumns(const ArcGeometry& g, double left, double right, bool dashed) {
  ArcPart part{g.path};
  if (g.path.elementCount() != 4) return part;
  std::array<QPointF, 4> c;
  for (int i = 0; i < 4; ++i)
    c[static_cast<size_t>(i)] = g.path.elementAt(i);
  const double x0 = c[0].x(), x3 = c[3].x();
  if (std::min(x0, x3) >= left && std::max(x0, x3) <= right) return part;
  // The parameter where x reaches `x`: exactly 0 or 1 beyond the ends.
  const auto at = [&](double x) {
    if ((x - x0) * (x3 - x0) <= 0) return 0.0;
    if ((x - x3) * (x0 - x3) <= 0) return 1.0;
    double lo = 0, hi = 1;
    const bool rising = x3 > x0;
    for (int i = 0; i < 40; ++i) {
      const double t = (lo + hi) / 2, u = 1 - t;
      const double xt = u * u * u * x0 + 3 * u * t * (u * c[1].x() + t * c[2].x()) + t * t * t * x3;
      ((xt < x) == rising ? lo : hi) = t;
    }
    return (lo + hi) / 2;
  };
  const double t0 = at(x3 > x0 ? left : right), t1 = at(x3 > x0 ? right : left);
  if (t1 <= t0) return part; // out of view: shows() keeps such arcs out
  const auto upToEnd = splitCubic(c, t1).first;
  if (t0 <= 0) {
    part.path = cubicPath(upToEnd);
    return part;
  }
  const auto [ahead, shown] = splitCubic(upToEnd, t0 / t1);
  part.path = cubicPath(shown);
  if (dashed) part.before = cubicLength(ahead);
  return part;
}

void paintPredicted(QPainter& p, const ArcScene& scene, const ArcLayout& l, const ArcPens& k) {
  if (!scene.hasPrediction()) return;
  const int n = wordCount(scene, l);
  for (int i : longestFirst(scene.predicted, n)) {
    const int parent = scene.predicted[i];
    if (parent < 1 || parent > n || parent - 1 == i) continue;
    if (!k.shows(l.centres[i], l.centres[parent - 1])) continue;
    const bool ok = scene.isCorrect(i);
    const QColor c = ok ? k.s.correct : k.s.wrong;
    const ArcGeometry g = arcGeometry(l, i, parent - 1, l.predictedBase, +1);
    QPen pen = k.pen(c, k.touches(i, parent - 1), ok ? Qt::SolidLine : Qt::DashLine);
    if (k.visible.isNull()) {
      p.setPen(pen);
      p.drawPath(g.path);
    } else {
      const double pad = k.arrow + 2 * k.s.lineWidth;
      const ArcPart part = partInColumns(g, k.visible.left() - pad, k.visible.right() + pad, !ok);
      if (!ok) pen.setDashOffset(part.before / pen.widthF());
      p.setPen(pen);
      p.drawPath(part.path);
    }
    arrowHead(p, g.dep, +1, k.arrow, c);
  }
}

void paintWords(QPainter& p, const ArcScene& scene, const ArcLayout& l, const ArcPens& k) {
  p.setFont(k.s.wordFont);
  for (int i = 0; i < wordCount(scene, l); ++i) {
    const QRectF r = l.wordRect(i);
    if (!k.shows(r.left(), r.right())) continue;
    if (i == k.hovered) {
      p.setPen(Qt::NoPen);
      QColor h = k.s.highlight;
      h.setAlphaF(0.25);
      p.setBrush(h);
      p.drawRoundedRect(r.adjusted(2, 1, -2, -1), 3, 3);
      p.setBrush(Qt::NoBrush);
    }
    p.setPen(k.s.text);
    p.drawText(r, Qt::AlignCenter, scene.words[i]);
  }
}

ArcPens pensFor(const ArcLayout& l, const ArcStyle& s, int hovered, const QRectF& visible = {}) {
  return {s, hovered, std::max(3.0, 0.4 * l.fontHeight), visible};
}

} // namespace

void paintArcs(QPainter& p, const ArcScene& scene, const ArcLayout& l, const ArcStyle& s,
               int hovered) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const ArcPens k = pensFor(l, s, hovered);
  paintGoldArcs(p, scene, l, k, nullptr);
  paintPredicted(p, scene, l, k); // predicted arcs below the words
  paintWords(p, scene, l, k);     // words last, on top of everything
  p.restore();
}

// Labels are placed the root's first (it has one place), then the shortest
// arcs', which have the least room to move.
QVector<QRectF> goldLabelBoxes(const ArcScene& scene, const ArcLayout& l, const ArcStyle& s) {
  const int n = wordCount(scene, l);
  const QVector<int> order = longestFirst(scene.gold, n);
  QVector<QRectF> boxes(n), placed;
  for (int j = n - 1; j >= 0; --j) {
    const int i = order[j];
    const int parent = scene.gold.value(i);
    const QString text = goldLabelText(scene, i);
    boxes[i] = parent == 0 ? labelBox(QPointF(l.centres[i], l.goldTop), text, s)
                           : placeLabel(arcGeometry(l, i, parent - 1, l.goldBase, -1).path, text, s,
                                        placed);
    placed << boxes[i];
  }
  return boxes;
}

void paintGoldAndWords(QPainter& p, const ArcScene& scene, const ArcLayout& l, const ArcStyle& s,
                       int hovered, const QRectF& visible, const QVector<QRectF>* labelBoxes) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const ArcPens k = pensFor(l, s, hovered, visible);
  paintGoldArcs(p, scene, l, k, labelBoxes);
  paintWords(p, scene, l, k);
  p.restore();
}

void paintPredictedArcs(QPainter& p, const ArcScene& scene, const ArcLayout& l, const ArcStyle& s,
                        int hovered, const QRectF& visible) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  paintPredicted(p, scene, l, pensFor(l, s, hovered, visible));
  p.restore();
}

bool operator==(const ArcStyle& a, const ArcStyle& b) {
  return a.wordFont == b.wordFont && a.labelFont == b.labelFont && a.background == b.background &&
         a.text == b.text && a.gold == b.gold && a.correct == b.correct && a.wrong == b.wrong &&
         a.highlight == b.highlight && a.lineWidth == b.lineWidth;
}

} // namespace chrysalis::ui
