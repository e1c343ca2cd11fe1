// Onset detection cost per curve, each detector side by side on the synthetic
// suite's curves (tests/onset/synthetic_suite.h), per grid. The default
// logistic test fits a model where the others take a difference, so it is the
// one that matters: it runs for every run on each timeline rebuild (cached by
// curve, ui/data/run_onsets.cpp), for each head's emergence, and 200 times per
// bootstrap interval. Not a CTest test; docs/performance.md has the figures.
//   build/release/tests/bench/bench_onsets [trials]
#include "onset/detector.h"
#include "synthetic_suite.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace chrysalis::onset;
using namespace chrysalis::onset::test;

int main(int argc, char** argv) {
  const int trials = argc > 1 ? std::atoi(argv[1]) : 2;
  struct Named {
    const char* name;
    DetectorOptions options;
  };
  DetectorOptions raw;
  raw.method = Method::SecondDerivative;
  DetectorOptions three;
  three.method = Method::ThreeSegmentFit;
  const Named detectors[] = {{"logistic (default)", {}},
                             {"second derivative", raw},
                             {"log-step smoothed", logStepSmoothed()},
                             {"3-segment fit", three}};
  std::printf("%-28s %-20s %8s %12s\n", "grid", "detector", "curves", "ms/curve");
  for (const NamedGrid& grid : suiteGrids()) {
    const std::vector<SyntheticCurve> curves = suiteCurves(grid.steps, 0.03, trials, 7);
    for (const Named& d : detectors) {
      int onsets = 0;
      const auto start = std::chrono::steady_clock::now();
      for (const SyntheticCurve& c : curves)
        onsets += detect(c.curve, d.options).onset ? 1 : 0;
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      std::printf("%-28s %-20s %8zu %12.3f   (%zu checkpoints, %d onsets)\n", grid.name.c_str(),
                  d.name, curves.size(), ms / static_cast<double>(curves.size()), grid.steps.size(),
                  onsets);
    }
  }
}
