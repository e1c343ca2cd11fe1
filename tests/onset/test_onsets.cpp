// Structure onset, capabilities onset after it, and the UAS plateau.
#include "onset/onsets.h"
#include "synthetic.h"

#include <gtest/gtest.h>

using namespace chrysalis::onset;
using namespace chrysalis::onset::test;

namespace {

const Sigmoid kUas{20000, 1 / 1500.0};                 // rise starts at ~18.0k
const Sigmoid kBlimpJump{45000, 1 / 2500.0, 0.0, 0.2}; // starts at ~41.7k
// A small but sharp BLiMP bump at 10k, before the structure onset: the
// steepest upturn of the whole BLiMP curve, which the capabilities search
// must not pick.
const Sigmoid kBlimpBump{10000, 1 / 300.0, 0.0, 0.05};

double blimp(double s) {
  return 0.55 + kBlimpBump(s) + kBlimpJump(s);
}

} // namespace

TEST(OnsetReport, CapabilitiesAreSearchedAfterStructure) {
  std::vector<int64_t> grid = paperGrid();
  Curve uas = sampled(grid, kUas);
  Curve bl = sampled(grid, blimp);
  DetectorOptions paper;
  paper.method = Method::SecondDerivative;
  ASSERT_LT(detectOnset(bl, paper)->step, 15000) << "the bump should win an unrestricted search";

  OnsetReport report = findOnsets(uas, bl);
  ASSERT_TRUE(report.structure);
  ASSERT_TRUE(report.capabilities);
  ASSERT_TRUE(report.plateau);
  EXPECT_TRUE(withinOneSpacing(grid, report.structure->step, kUas.riseStart()))
      << report.structure->step;
  EXPECT_GT(report.capabilities->step, report.structure->step);
  EXPECT_TRUE(withinOneSpacing(grid, report.capabilities->step, kBlimpJump.riseStart()))
      << report.capabilities->step;
  EXPECT_EQ(report.capabilities->method,
            "logistic turn, significance-tested (step and log-step axes, after step " +
                std::to_string(report.structure->step) + ")");
  EXPECT_EQ(report.structureNone, "");
  EXPECT_EQ(report.capabilitiesNone, "");
}

TEST(OnsetReport, PlateauIsFirstStepAtFractionOfTheRise) {
  std::vector<int64_t> grid = paperGrid();
  Curve uas = sampled(grid, kUas);
  // Rise from ~0.1 to ~0.5; 95% of it = 0.48: f(20k) = 0.30, f(25k) = 0.486.
  std::optional<Onset> p = plateauOnset(uas, 0.95);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->step, 25000);
  EXPECT_NEAR(p->score, kUas(25000), 1e-12);
  EXPECT_EQ(p->method, "plateau (first reaches 95% of the rise)");
  // 40% = 0.26: f(15k) = 0.114, f(20k) = 0.30.
  EXPECT_EQ(plateauOnset(uas, 0.4)->step, 20000);
  // Of the rise, not of the maximum: on a curve from 0.4 to 0.5 (every 1k),
  // 95% of the maximum (0.475, logistic at 0.75) is met at 22k, 95% of the
  // rise (0.495, logistic at 0.95) only at 25k.
  std::vector<int64_t> dense;
  for (int64_t s = 0; s <= 40000; s += 1000)
    dense.push_back(s);
  Curve high = sampled(dense, Sigmoid{20000, 1 / 1500.0, 0.4, 0.1});
  EXPECT_EQ(plateauOnset(high, 0.95)->step, 25000);
  OnsetOptions options;
  options.plateauFraction = 0.4;
  EXPECT_EQ(findOnsets(uas, uas, options).plateau->step, 20000);
}

TEST(OnsetReport, PlateauEdgeCases) {
  EXPECT_FALSE(plateauOnset(Curve(), 0.95));
  EXPECT_EQ(plateauOnset(Curve({0, 1}, {-0.5, -0.2}), 0.95)->step, 1); // a rise below zero
  EXPECT_FALSE(plateauOnset(Curve({0, 1}, {0.1, 0.2}), 1.5));          // past the maximum
  EXPECT_EQ(plateauOnset(Curve({0, 1}, {0.1, 0.2}), 0.95)->step, 1);
  EXPECT_THROW(plateauOnset(Curve({0}, {1.0}), std::nan("")), std::invalid_argument);
}

TEST(OnsetReport, CapabilitiesAfterPlateauOption) {
  std::vector<int64_t> grid = paperGrid();
  OnsetOptions options;
  options.capabilitiesAfterPlateau = true;
  OnsetReport report = findOnsets(sampled(grid, kUas), sampled(grid, blimp), options);
  ASSERT_TRUE(report.capabilities);
  ASSERT_TRUE(report.plateau);
  EXPECT_GT(report.capabilities->step, report.plateau->step);
}

TEST(OnsetReport, EachPartIsOptional) {
  Curve two({0, 1000}, {0.1, 0.5});
  OnsetReport report = findOnsets(two, two);
  EXPECT_FALSE(report.structure);
  EXPECT_EQ(report.structureNone, "too few checkpoints (2; 5 needed)");
  EXPECT_FALSE(report.capabilities); // nothing to search after
  EXPECT_EQ(report.capabilitiesNone, "no structure onset to search after");
  ASSERT_TRUE(report.plateau);
  EXPECT_EQ(report.plateau->step, 1000);

  OnsetReport noBlimp = findOnsets(sampled(paperGrid(), kUas), Curve());
  EXPECT_TRUE(noBlimp.structure);
  EXPECT_FALSE(noBlimp.capabilities);

  OnsetReport empty = findOnsets(Curve(), Curve());
  EXPECT_FALSE(empty.structure);
  EXPECT_FALSE(empty.capabilities);
  EXPECT_FALSE(empty.plateau);
}
