#include "heads/emergence_grid.h"

#include "common/step_axis.h"

#include <QLocale>

#include <cmath>

namespace chrysalis::ui {
namespace {

QString stepText(double step) {
  return QLocale::c().toString(static_cast<qint64>(step));
}

QString cellName(int layer, int head) {
  return QStringLiteral("L%1 H%2").arg(layer + 1).arg(head + 1);
}

QString neverText(const HeadEmergenceResult& r, int i) {
  const QString why = r.reasons.value(i);
  if (!why.isEmpty()) return QStringLiteral("never emerges (%1)").arg(why);
  return QStringLiteral("never emerges (rise %1 < %2)")
      .arg(QString::number(r.rises.value(i), 'f', 3), QString::number(r.minRise, 'g', 3));
}

} // namespace

bool spansDecades(const HeadEmergenceResult& r) {
  return r.firstPositiveStep > 0 && r.lastStep >= 100 * r.firstPositiveStep;
}

HeadGrid emergenceGrid(const HeadEmergenceResult& r) {
  if (!r.isValid()) return {};
  HeadGrid g;
  g.layers = r.layers;
  g.heads = r.heads;
  g.values = r.steps;
  g.title = headQueryTitle({HeadQuantity::Emergence, {}, 0});
  g.unit = QStringLiteral("step");
  g.stepValues = true;
  g.logScale = spansDecades(r);
  // The whole run's steps, so a colour means the same step in every run.
  g.lo = static_cast<double>(r.firstStep);
  g.hi = static_cast<double>(std::max(r.lastStep, r.firstStep + 1));
  g.markMeaning = QStringLiteral("never");
  for (int i = 0; i < r.steps.size(); ++i) {
    const QString who = cellName(i / r.heads, i % r.heads);
    const bool never = std::isnan(r.steps[i]);
    g.marked << never;
    g.cellText << (never ? who + QLatin1Char(' ') + neverText(r, i)
                         : QStringLiteral("%1 emerges at step %2").arg(who, stepText(r.steps[i])));
  }
  return g;
}

HeadGrid emergenceDifference(const HeadEmergenceResult& a, const HeadEmergenceResult& b,
                             const QString& labelA, const QString& labelB, const QString& title) {
  HeadGrid d = headGridDifference(emergenceGrid(a), emergenceGrid(b), title);
  if (!d.isValid()) return {};
  d.logScale = false; // a difference of steps is linear around zero
  d.cellText.clear();
  for (int i = 0; i < d.values.size(); ++i) {
    const QString who = cellName(i / d.heads, i % d.heads);
    const bool neverA = std::isnan(a.steps[i]), neverB = std::isnan(b.steps[i]);
    d.marked[i] = neverA || neverB;
    if (neverA || neverB) {
      d.cellText << QStringLiteral("%1 %2").arg(
          who, neverA ? neverText(a, i) + QStringLiteral(" in ") + labelA
                      : neverText(b, i) + QStringLiteral(" in ") + labelB);
      continue;
    }
    const double delta = d.values[i];
    if (delta == 0) {
      d.cellText << QStringLiteral("%1 emerges at step %2 in %3 and %4")
                        .arg(who, stepText(a.steps[i]), labelA, labelB);
      continue;
    }
    d.cellText << QStringLiteral("%1 emerges %2 steps %3 in %4 (step %5) than in %6 (step %7)")
                      .arg(who, stepText(std::abs(delta)),
                           delta > 0 ? QStringLiteral("later") : QStringLiteral("earlier"), labelA,
                           stepText(a.steps[i]), labelB, stepText(b.steps[i]));
  }
  return d;
}

} // namespace chrysalis::ui
