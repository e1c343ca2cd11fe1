// Prints docs/probes.md's detector table: for each detector, how often its
// onset lands within one grid spacing of the true sharpest turn, and how often
// it answers "no onset" on curves that have none (synthetic_suite.h).
//   build/release/tests/onset/onset_detector_table [trials per shape]
#include "onset/detector.h"
#include "synthetic_suite.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace chrysalis::onset;
using namespace chrysalis::onset::test;

int main(int argc, char** argv) {
  const int trials = argc > 1 ? std::atoi(argv[1]) : 20;
  struct Named {
    std::string name;
    DetectorOptions options;
  };
  DetectorOptions secondDerivative, threeSegment, hinge, threeSegmentLog;
  secondDerivative.method = Method::SecondDerivative;
  threeSegment.method = Method::ThreeSegmentFit;
  threeSegmentLog.method = Method::ThreeSegmentFit;
  threeSegmentLog.axis = Axis::LogStep;
  hinge.method = Method::HingeFit;
  const std::vector<Named> detectors{
      {"logistic turn, significance-tested (default)", DetectorOptions{}},
      {"second derivative, step spacing (the paper's)", secondDerivative},
      {"second derivative, log-step, smoothed σ=0.1", logStepSmoothed(0.1)},
      {"3-segment fit, step axis", threeSegment},
      {"3-segment fit, log-step axis", threeSegmentLog},
      {"hinge fit, step axis", hinge},
  };
  const std::vector<NamedGrid> grids = suiteGrids();
  std::printf(
      "%d curves per shape, noise and grid; hit = onset within one grid spacing of the true "
      "turn; none = \"no onset\" on curves without one\n\n",
      trials);
  std::printf("| detector | noise |");
  for (const NamedGrid& g : grids)
    std::printf(" %s: hit | none |", g.name.c_str());
  std::printf(" all: hit | none |\n|---|---|");
  for (size_t i = 0; i <= grids.size(); ++i)
    std::printf("---|---|");
  std::printf("\n");
  for (const Named& d : detectors) {
    for (double noise : suiteNoise()) {
      std::printf("| %s | %g%% |", d.name.c_str(), noise * 100);
      SuiteScore all;
      uint64_t seed = 1;
      for (const NamedGrid& g : grids) {
        SuiteScore s;
        for (const SyntheticCurve& c : suiteCurves(g.steps, noise, trials, seed++)) {
          score(s, c, g.steps, d.options);
          score(all, c, g.steps, d.options);
        }
        std::printf(" %.0f%% | %.0f%% |", 100 * s.hitRate(), 100 * s.noneRate());
      }
      std::printf(" **%.0f%%** | **%.0f%%** |\n", 100 * all.hitRate(), 100 * all.noneRate());
      std::fflush(stdout);
    }
  }
  return 0;
}
