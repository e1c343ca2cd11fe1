#include "heads/head_grid.h"

#include <QIODevice>
#include <QLocale>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {
namespace {

QString fail(QString* error, const QString& why) {
  if (error) *error = why;
  return why;
}

double niceCeil(double v, double unit) {
  return std::max(unit, std::ceil(v / unit) * unit);
}

} // namespace

QString headQuantityKind(HeadQuantity q) {
  switch (q) {
  case HeadQuantity::Entropy:
  case HeadQuantity::Distance:
  case HeadQuantity::SinkShare:
  case HeadQuantity::EntropyFull:
    return QStringLiteral("attn");
  default:
    return QStringLiteral("uas");
  }
}

QStringList headQuantityNames() {
  return {QStringLiteral("UAS, best relation per head"),
          QStringLiteral("UAS for one relation"),
          QStringLiteral("Attention entropy"),
          QStringLiteral("Mean attention distance"),
          QStringLiteral("Sink share ([CLS]/[SEP])"),
          QStringLiteral("Entropy over the full row"),
          QStringLiteral("Emergence step")};
}

QString headQueryTitle(const HeadQuery& q) {
  switch (q.quantity) {
  case HeadQuantity::BestRelation:
    return QStringLiteral("UAS (best relation)");
  case HeadQuantity::Relation:
    return QStringLiteral("UAS %1, %2")
        .arg(q.relation,
             q.direction == 0 ? QStringLiteral("dep\u2192head") : QStringLiteral("head\u2190dep"));
  case HeadQuantity::Entropy:
    return QStringLiteral("attention entropy");
  case HeadQuantity::Distance:
    return QStringLiteral("mean attention distance");
  case HeadQuantity::SinkShare:
    return QStringLiteral("attention sink share ([CLS]/[SEP])");
  case HeadQuantity::EntropyFull:
    return QStringLiteral("attention entropy over the full row");
  case HeadQuantity::Emergence:
    return QStringLiteral("emergence step (best relation)");
  }
  return {};
}

QStringList headRelations(const StepArrays& arrays) {
  return arrays.strings.value(QStringLiteral("uas/relations"));
}

HeadGrid headGridFrom(const StepArrays& arrays, const HeadQuery& q, QString* error) {
  HeadGrid g;
  g.title = headQueryTitle(q);
  if (q.quantity == HeadQuantity::Emergence) {
    fail(error,
         QStringLiteral("emergence is computed over every step, not from one step's arrays"));
    return {};
  }
  static const char* const names[] = {"uas/head_best", "uas/accuracy",    "attn/entropy",
                                      "attn/distance", "attn/sink_share", "attn/entropy_full"};
  const QString name = QLatin1String(names[static_cast<int>(q.quantity)]);
  auto it = arrays.arrays.constFind(name);
  if (it == arrays.arrays.constEnd()) {
    fail(error, QStringLiteral("no %1 at step %2").arg(name).arg(arrays.step));
    return {};
  }
  const ArrayValue& a = *it;
  if (a.shape.size() < 2 || a.shape[0] <= 0 || a.shape[1] <= 0) {
    fail(error, QStringLiteral("%1 is not a [layers, heads, ...] array").arg(name));
    return {};
  }
  g.layers = static_cast<int>(a.shape[0]);
  g.heads = static_cast<int>(a.shape[1]);
  if (q.quantity == HeadQuantity::Relation) {
    const QStringList relations = headRelations(arrays);
    const int r = static_cast<int>(relations.indexOf(q.relation));
    if (a.shape.size() != 4 || a.shape[2] != 2 || a.shape[3] != relations.size()) {
      fail(error, QStringLiteral("uas/accuracy does not match uas/relations"));
      return {};
    }
    if (r < 0) {
      fail(error, q.relation.isEmpty()
                      ? QStringLiteral("choose a relation")
                      : QStringLiteral("no relation '%1' in this probe set").arg(q.relation));
      return {};
    }
    const int dir = std::clamp(q.direction, 0, 1);
    const qint64 R = a.shape[3];
    for (int l = 0; l < g.layers; ++l)
      for (int h = 0; h < g.heads; ++h)
        g.values << a.values[((l * g.heads + h) * 2 + dir) * R + r];
  } else {
    if (a.shape.size() != 2 || a.values.size() != g.layers * g.heads) {
      fail(error, QStringLiteral("%1 is not a [layers, heads] array").arg(name));
      return {};
    }
    g.values = a.values;
  }
  switch (q.quantity) {
  case HeadQuantity::SinkShare:
    g.unit = QStringLiteral("share");
    g.lo = 0.0;
    g.hi = 1.0;
    break;
  case HeadQuantity::BestRelation:
  case HeadQuantity::Relation:
    g.unit = QStringLiteral("accuracy");
    g.lo = 0.0;
    g.hi = 1.0;
    break;
  case HeadQuantity::Entropy:
  case HeadQuantity::EntropyFull:
  case HeadQuantity::Distance: {
    double hi = 0.0;
    for (double v : std::as_const(g.values))
      if (!std::isnan(v)) hi = std::max(hi, v);
    const bool nats = q.quantity != HeadQuantity::Distance;
    g.unit = nats ? QStringLiteral("nats") : QStringLiteral("words");
    g.lo = 0.0;
    g.hi = niceCeil(hi, nats ? 0.5 : 1.0);
    break;
  }
  case HeadQuantity::Emergence:
    break;
  }
  return g;
}

QString headCellText(const HeadGrid& grid, int layer, int head) {
  const int i = layer * grid.heads + head;
  if (i < grid.cellText.size() && !grid.cellText[i].isEmpty()) return grid.cellText[i];
  const double v = grid.at(layer, head);
  return QStringLiteral("layer %1, head %2\n%3: %4")
      .arg(layer + 1)
      .arg(head + 1)
      .arg(grid.unit, std::isnan(v) ? QStringLiteral("undefined") : QString::number(v, 'f', 3));
}

HeadGrid headGridDifference(const HeadGrid& a, const HeadGrid& b, const QString& title) {
  if (!a.isValid() || !b.isValid() || a.layers != b.layers || a.heads != b.heads) return {};
  HeadGrid d = a;
  d.title = title;
  d.unit = QStringLiteral("\u0394 ") + a.unit;
  d.diverging = true;
  double m = 0.0;
  for (int i = 0; i < d.values.size(); ++i) {
    d.values[i] = a.values[i] - b.values[i];
    if (!std::isnan(d.values[i])) m = std::max(m, std::abs(d.values[i]));
  }
  // Symmetric, so white is exactly "no change".
  const double unit = m > 0.5 ? 0.5 : m > 0.1 ? 0.05 : 0.01;
  d.hi = niceCeil(m, unit);
  d.lo = -d.hi;
  return d;
}

QStringList headTopRelations(const StepArrays& arrays, int layer, int head, int count) {
  const ArrayValue a = arrays.arrays.value(QStringLiteral("uas/accuracy"));
  const QStringList relations = headRelations(arrays);
  if (a.shape.size() != 4 || a.shape[2] != 2 || a.shape[3] != relations.size() || layer < 0 ||
      head < 0 || layer >= a.shape[0] || head >= a.shape[1])
    return {};
  const qint64 H = a.shape[1], R = a.shape[3];
  // Only the relations uas/head_best is taken over, so the first item is the
  // grid cell's value; older results without uas/relation_included leave out
  // punct and root, as the probe does.
  const ArrayValue included = arrays.arrays.value(QStringLiteral("uas/relation_included"));
  const ArrayValue counts = arrays.arrays.value(QStringLiteral("uas/relation_counts"));
  auto scored = [&](int r) {
    if (included.values.size() == R) return included.values[r] > 0;
    return relations[r] != QLatin1String("punct") && relations[r] != QLatin1String("root");
  };
  struct Item {
    double accuracy;
    int relation, direction;
  };
  QVector<Item> items;
  for (int d = 0; d < 2; ++d)
    for (int r = 0; r < R; ++r) {
      const double v = a.values[((layer * H + head) * 2 + d) * R + r];
      if (!std::isnan(v) && scored(r)) items << Item{v, r, d};
    }
  std::sort(items.begin(), items.end(),
            [](const Item& x, const Item& y) { return x.accuracy > y.accuracy; });
  QStringList out;
  for (int i = 0; i < std::min<int>(count, static_cast<int>(items.size())); ++i) {
    const int r = items[i].relation;
    QString item = QStringLiteral("%1 %2 %3")
                       .arg(relations[r],
                            items[i].direction == 0 ? QStringLiteral("dep\u2192head")
                                                    : QStringLiteral("head\u2190dep"),
                            QString::number(items[i].accuracy, 'f', 3));
    if (counts.values.size() == R)
      item += QStringLiteral(" (n=%1)").arg(counts.values[r], 0, 'f', 0);
    out << item;
  }
  return out;
}

void writeHeadGridCsv(const HeadGrid& grid, QIODevice& out) {
  QTextStream s(&out);
  s << "layer,head,value\n";
  for (int l = 0; l < grid.layers; ++l)
    for (int h = 0; h < grid.heads; ++h) {
      const double v = grid.at(l, h);
      s << l + 1 << ',' << h + 1 << ','
        << (std::isnan(v) ? QString() : QString::number(v, 'g', QLocale::FloatingPointShortest))
        << '\n';
    }
}

} // namespace chrysalis::ui
