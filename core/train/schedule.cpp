#include "train/schedule.h"

#include <algorithm>
#include <cmath>

namespace chrysalis::train {

double learningRateAt(const TrainConfig& c, int64_t step) {
  const int64_t warmup = c.warmupSteps;
  const int64_t horizon = c.horizonSteps();
  if (step < warmup)
    return c.learningRate * static_cast<double>(step) / static_cast<double>(warmup);
  const double left = static_cast<double>(horizon - step) /
                      static_cast<double>(std::max<int64_t>(1, horizon - warmup));
  return c.learningRate * std::max(0.0, left);
}

double lambdaAt(const TrainConfig& c, int64_t step) {
  if (c.suppressUntil > 0 && step >= c.suppressUntil) return 0.0;
  return c.lambda;
}

int64_t niceInterval(double x) {
  if (!(x >= 1.0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(x)));
  const double m = x / p;
  const double base = m >= 5.0 ? 5.0 : (m >= 2.0 ? 2.0 : 1.0);
  return static_cast<int64_t>(std::llround(base * p));
}

std::vector<int64_t> checkpointSchedule(const TrainConfig& c) {
  std::vector<int64_t> steps{0};
  if (!c.checkpointSteps.empty()) {
    steps.insert(steps.end(), c.checkpointSteps.begin(), c.checkpointSteps.end());
  } else if (c.checkpointEvery > 0) {
    for (int64_t s = c.checkpointEvery; s < c.steps; s += c.checkpointEvery)
      steps.push_back(s);
  } else {
    const int64_t dense = niceInterval(static_cast<double>(c.steps) / 100.0);
    const int64_t sparse = niceInterval(static_cast<double>(c.steps) / 40.0);
    const int64_t denseUntil = (c.steps * 15) / 100;
    int64_t s = dense;
    for (; s <= denseUntil && s < c.steps; s += dense)
      steps.push_back(s);
    // Continue on multiples of the sparse interval.
    for (s = (denseUntil / sparse + 1) * sparse; s < c.steps; s += sparse)
      steps.push_back(s);
  }
  steps.push_back(c.steps);
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  return steps;
}

std::vector<int64_t> keptStateSteps(const TrainConfig& c) {
  std::vector<int64_t> kept;
  if (c.keepStatesAt.empty() || !validKeepRule(c.keepStatesAt)) return kept;
  const auto colon = c.keepStatesAt.find(':');
  const std::string kind = c.keepStatesAt.substr(0, colon);
  const int64_t n = std::stoll(c.keepStatesAt.substr(colon + 1));
  int64_t lastBand = -1;
  for (int64_t s : checkpointSchedule(c)) {
    if (kind == "every") {
      if (s % n == 0) kept.push_back(s);
      continue;
    }
    // log:K. A small epsilon keeps exact powers such as 100 in their own band.
    const int64_t band =
        s == 0 ? -1
               : static_cast<int64_t>(std::floor(static_cast<double>(n) * std::log10(s) + 1e-9));
    if (s == 0 || band > lastBand) kept.push_back(s);
    lastBand = std::max(lastBand, band);
  }
  return kept;
}

} // namespace chrysalis::train
