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
  ASSERT_LT(detectOnset(bl, {})->step, 15000) << "the bump should win an unrestricted search";

  OnsetReport report = findOnsets(uas, bl);
  ASSERT_TRUE(report.structure);
  ASSERT_TRUE(report.capabilities);
  ASSERT_TRUE(report.plateau);
  EXPECT_TRUE(withinOneSpacing(grid, report.structure->step, kUas.riseStart()))
      << report.structure->step;
  EXPECT_GT(report.capabilities->step, report.structure->step);
  EXPECT_TRUE(withinOneSpacing(grid, report.capabilities->step, kBlimpJump.riseStart()))
      << report.capabilities->step;
  EXPECT_EQ(report.capabilities->method, "second derivative (step spacing, after step " +
                                             std::to_string(report.structure->step) + ")");
}

TEST(OnsetReport, PlateauIsFirstStepAtFractionOfMax) {
  std::vector<int64_t> grid = paperGrid();
  Curve uas = sampled(grid, kUas);
  // max ~0.5, 95% = 0.475: f(20k) = 0.30, f(25k) = 0.486.
  std::optional<Onset> p = plateauOnset(uas, 0.95);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->step, 25000);
  EXPECT_NEAR(p->score, kUas(25000), 1e-12);
  EXPECT_EQ(p->method, "plateau (first reaches 95% of max)");
  // 50% = 0.25: f(15k) = 0.114, f(20k) = 0.30.
  EXPECT_EQ(plateauOnset(uas, 0.5)->step, 20000);
  OnsetOptions options;
  options.plateauFraction = 0.5;
  EXPECT_EQ(findOnsets(uas, uas, options).plateau->step, 20000);
}

TEST(OnsetReport, PlateauEdgeCases) {
  EXPECT_FALSE(plateauOnset(Curve(), 0.95));
  EXPECT_FALSE(plateauOnset(Curve({0, 1}, {-0.5, -0.2}), 0.95)); // 0.95 * max > max
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
  EXPECT_FALSE(report.capabilities); // nothing to search after
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
