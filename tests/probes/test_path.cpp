// The path probe on copies of the bundled demo (a trained 4 x 4 BERT): the
// held-out loss at nine points on the straight line between consecutive
// checkpoints with weights. Its ends are the loss probe at the two
// checkpoints; its midpoint equals the loss of a model whose weights this
// test averages itself from the two checkpoint files (in double precision);
// a checkpoint inserted in between (as train --densify does) makes the
// runner recompute the segments that changed.
#include "engine/bert_model.h"
#include "engine/series_model.h"
#include "engine/weights.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "probes/checkpoint_prober.h"
#include "probes/runner.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

struct DemoPath : ::testing::Test {
  void SetUp() override {
    fs::copy(test::sourceDir() / "resources/demo/baseline", dir / "baseline",
             fs::copy_options::recursive);
    fs::remove_all(dir / "baseline/probes");
    series = dir / "baseline";
    probeSet = test::sourceDir() / "resources/demo/probe-set.h5";
    meta = format::readSeriesMeta(series);
  }
  probes::RunRequest request(const std::vector<int64_t>& steps) const {
    probes::RunRequest r;
    r.series = series;
    r.probeSet = probeSet;
    r.kinds = {"path", "loss"};
    r.steps = steps;
    r.prober.uas.minRelationCount = 20;
    return r;
  }
  format::ProbeResult stored(const std::string& kind, int64_t step) const {
    format::ProbeStore store(series);
    for (const auto& [hash, config] : store.configs())
      if (config.at("probe") == kind) return store.read(hash, step);
    throw std::runtime_error("no " + kind + " results");
  }
  test::ScratchDir dir;
  fs::path series, probeSet;
  format::SeriesMeta meta;
};

} // namespace

TEST_F(DemoPath, EndsAreTheLossProbeAndTheMidpointIsTheAveragedModel) {
  probes::runProbes(request({0, 60, 200}), {}, nullptr);
  format::ProbeStore store(series);
  const auto r = stored("path", 200);
  EXPECT_EQ(r.scalars.at("path_from"), 60.0);
  const auto& curve = r.arrays.at("path/loss").values;
  ASSERT_EQ(curve.size(), 9u);
  EXPECT_NEAR(curve.front(), stored("loss", 60).scalars.at("loss"), 1e-6);
  EXPECT_NEAR(curve.back(), stored("loss", 200).scalars.at("loss"), 1e-6);
  // No segment ends at the first checkpoint.
  for (const auto& [hash, config] : store.configs())
    if (config.at("probe") == "path") {
      EXPECT_FALSE(store.has(hash, 0));
    }
  // The two barrier definitions, from the stored curve.
  const double top = *std::max_element(curve.begin(), curve.end());
  EXPECT_DOUBLE_EQ(r.scalars.at("path_barrier"), top - (curve.front() + curve.back()) / 2);
  double chord = 0;
  for (int i = 0; i < 9; ++i)
    chord = std::max(chord, curve[static_cast<size_t>(i)] -
                                ((1 - i / 8.0) * curve.front() + i / 8.0 * curve.back()));
  EXPECT_DOUBLE_EQ(r.scalars.at("path_barrier_chord"), chord);

  // The midpoint: weights averaged here, in double, from the two checkpoints
  // as the engine loads them (the demo stores float16).
  auto mid = engine::loadSeriesModel(series, meta.model, 200);
  const auto start = engine::loadSeriesModel(series, meta.model, 60);
  {
    torch::NoGradGuard noGrad;
    auto a = start->namedParameters();
    auto b = mid->namedParameters();
    for (size_t i = 0; i < b.size(); ++i) {
      ASSERT_EQ(a[i].first, b[i].first);
      b[i].second.copy_(0.5 * a[i].second.to(torch::kDouble) +
                        0.5 * b[i].second.to(torch::kDouble));
    }
  }
  mid->weightsChanged();
  const auto set = probes::loadProbeSet(probeSet);
  const text::WordPieceTokenizer tok(engine::loadSeriesVocab(series, meta),
                                     text::WordPieceOptions::uncased());
  probes::CheckpointProber prober(set, tok, 128, nullptr, request({}).prober);
  torch::InferenceMode inference;
  EXPECT_NEAR(prober.loss(*mid, nullptr).scalars.at("loss"), curve[4], 1e-5);
  EXPECT_GT(std::abs(curve[4] - curve.front()), 1e-2); // the line does go somewhere
}

TEST_F(DemoPath, ACheckpointInsertedBetweenMakesItsSegmentsComputedAgain) {
  probes::runProbes(request({0, 60, 200}), {}, nullptr);
  const double before = stored("path", 200).scalars.at("path_barrier");
  // A checkpoint at step 100 (the weights of step 60, as a stand-in for a densified one).
  auto m = engine::loadSeriesModel(series, meta.model, 60);
  format::CheckpointInfo info;
  info.step = 100;
  engine::saveWeights(*m, format::checkpointPath(series, 100), info);
  const auto summary = probes::runProbes(request({0, 60, 100, 200}), {}, nullptr);
  EXPECT_EQ(stored("path", 100).scalars.at("path_from"), 60.0);
  EXPECT_EQ(stored("path", 200).scalars.at("path_from"), 100.0); // recomputed
  // From identical weights at 60 and 100, the 60..100 segment is flat.
  const auto segment = stored("path", 100);
  const auto& flat = segment.arrays.at("path/loss").values;
  for (double v : flat)
    EXPECT_NEAR(v, flat.front(), 1e-6);
  // 200's segment now starts at the copy of 60: the same curve as before.
  EXPECT_NEAR(stored("path", 200).scalars.at("path_barrier"), before, 1e-6);
  EXPECT_GE(summary.computed, 2u);
}
