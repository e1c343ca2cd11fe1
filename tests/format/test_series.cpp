// Series folders: creation, listing (attributes only), and the bad inputs a
// user meets: an empty folder, a damaged checkpoint, a newer format, a
// non-BERT config, a leftover temporary file.
#include "common/error.h"
#include "format/atomic_file.h"
#include "format/series.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace chrysalis;
using namespace chrysalis::format;
namespace fs = std::filesystem;

namespace {

SeriesMeta tinyMeta() {
  SeriesMeta m;
  m.label = "tiny";
  m.model.vocabSize = 10;
  m.model.hiddenSize = 4;
  m.model.numHiddenLayers = 1;
  m.model.numAttentionHeads = 2;
  m.model.intermediateSize = 8;
  m.model.maxPositionEmbeddings = 16;
  m.training = {{"lambda", 0.001}, {"schedule", "sas-"}, {"seed", 7}};
  return m;
}

void writeStep(const fs::path& series, int64_t step) {
  CheckpointInfo info;
  info.step = step;
  info.tokensSeen = step * 10;
  info.extra["reg_loss"] = 0.5 * static_cast<double>(step);
  float x = static_cast<float>(step);
  writeCheckpoint(checkpointPath(series, step), info, {{"x", DType::F32, {1}, &x}});
}

} // namespace

TEST(Series, CreateListAndReadBack) {
  test::ScratchDir dir;
  fs::path s = dir / "run";
  createSeries(s, tinyMeta(), "[PAD]\n[UNK]\n");
  for (int64_t step : {0, 1000, 500, 20000})
    writeStep(s, step);

  SeriesListing l = listSeries(s);
  EXPECT_EQ(l.meta.label, "tiny");
  EXPECT_EQ(l.meta.model, tinyMeta().model);
  EXPECT_EQ(l.meta.training["schedule"], "sas-");
  ASSERT_EQ(l.checkpoints.size(), 4u);
  EXPECT_EQ(l.checkpoints[0].step, 0);
  EXPECT_EQ(l.checkpoints[1].step, 500);
  EXPECT_EQ(l.checkpoints[3].step, 20000);
  EXPECT_EQ(l.checkpoints[3].tokensSeen, 200000);
  ASSERT_NE(l.find(1000), nullptr);
  EXPECT_EQ(l.find(999), nullptr);
  EXPECT_TRUE(l.problems.empty());
  EXPECT_TRUE(fs::exists(vocabPath(s, l.meta)));
}

TEST(Series, CreatingOverAnExistingSeriesFails) {
  test::ScratchDir dir;
  createSeries(dir / "run", tinyMeta(), "v\n");
  EXPECT_THROW(createSeries(dir / "run", tinyMeta(), "v\n"), InputError);
}

TEST(Series, TemporaryFilesAreNotListed) {
  test::ScratchDir dir;
  fs::path s = dir / "run";
  createSeries(s, tinyMeta(), "v\n");
  writeStep(s, 10);
  // What a writer killed mid-checkpoint leaves behind.
  std::ofstream(s / kCheckpointDir / "step-0000000020.h5.tmp-123-abc") << "partial";
  auto l = listSeries(s);
  ASSERT_EQ(l.checkpoints.size(), 1u);
  EXPECT_TRUE(l.problems.empty());
}

TEST(Series, DamagedCheckpointIsReportedAndTheRestStillLists) {
  test::ScratchDir dir;
  fs::path s = dir / "run";
  createSeries(s, tinyMeta(), "v\n");
  writeStep(s, 10);
  writeStep(s, 30);
  std::ofstream(checkpointPath(s, 20), std::ios::binary) << "this is not HDF5";
  auto l = listSeries(s);
  ASSERT_EQ(l.checkpoints.size(), 2u);
  ASSERT_EQ(l.problems.size(), 1u);
  EXPECT_NE(l.problems[0].find("step-0000000020.h5"), std::string::npos);
}

TEST(Series, StepAttributeMustMatchFileName) {
  test::ScratchDir dir;
  fs::path s = dir / "run";
  createSeries(s, tinyMeta(), "v\n");
  writeStep(s, 10);
  fs::rename(checkpointPath(s, 10), checkpointPath(s, 11));
  auto l = listSeries(s);
  EXPECT_TRUE(l.checkpoints.empty());
  ASSERT_EQ(l.problems.size(), 1u);
  EXPECT_NE(l.problems[0].find("does not match"), std::string::npos);
}

TEST(Series, EmptyFolderIsNotASeries) {
  test::ScratchDir dir;
  try {
    listSeries(dir.path());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), dir.path().string());
    EXPECT_NE(std::string(e.what()).find("no series.json"), std::string::npos);
  }
}

TEST(Series, BadMetadataIsLocated) {
  test::ScratchDir dir;
  fs::path s = dir / "run";
  createSeries(s, tinyMeta(), "v\n");
  auto j = tinyMeta().toJson();

  auto expectError = [&](const nlohmann::json& content, const std::string& fragment) {
    writeFileAtomically(s / kSeriesFile, content.dump());
    try {
      readSeriesMeta(s);
      ADD_FAILURE() << "accepted: " << content.dump();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("series.json"), std::string::npos) << e.what();
    }
  };
  auto newer = j;
  newer["format_version"] = 99;
  expectError(newer, "not supported");
  auto roberta = j;
  roberta["model_config"]["model_type"] = "roberta";
  expectError(roberta, "not a BERT model");
  auto heads = j;
  heads["model_config"]["num_attention_heads"] = 3;
  expectError(heads, "not divisible");
  auto act = j;
  act["model_config"]["hidden_act"] = "relu";
  expectError(act, "hidden_act");
  auto escape = j;
  escape["vocab_file"] = "../../etc/passwd";
  expectError(escape, "vocab_file");
  writeFileAtomically(s / kSeriesFile, "{ not json");
  EXPECT_THROW(readSeriesMeta(s), InputError);
}

TEST(Series, FailedWriteLeavesEarlierFileIntact) {
  test::ScratchDir dir;
  fs::path p = dir / "file.txt";
  writeFileAtomically(p, "first");
  EXPECT_THROW(publishAtomically(p,
                                 [](const fs::path& temp) {
                                   std::ofstream(temp) << "half";
                                   throw std::runtime_error("disk full");
                                 }),
               std::runtime_error);
  EXPECT_EQ(readSmallFile(p, 100), "first");
  // No temporary file is left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path()))
    ++files;
  EXPECT_EQ(files, 1);
}

#include "format/prune.h"

TEST(Series, PruningKeepsAttributesAndChosenWeights) {
  test::ScratchDir dir;
  fs::path s = dir / "run";
  createSeries(s, tinyMeta(), "v\n");
  std::vector<int64_t> steps{0, 10, 20, 50, 100, 200, 500, 1000};
  for (auto step : steps)
    writeStep(s, step);
  auto keep = logSpacedSteps(steps, 3);
  EXPECT_EQ(keep.front(), 0);
  EXPECT_EQ(keep.back(), 1000);
  EXPECT_EQ(keep.size(), 3u);
  EXPECT_EQ(pruneWeights(s, keep), 5u);
  auto l = listSeries(s, ReadExtras::Yes);
  ASSERT_EQ(l.checkpoints.size(), steps.size());
  for (const auto& c : l.checkpoints) {
    const bool kept = std::find(keep.begin(), keep.end(), c.step) != keep.end();
    EXPECT_EQ(c.hasWeights, kept) << c.step;
    EXPECT_EQ(c.tokensSeen, c.step * 10); // attributes survive, the extra values too
    ASSERT_EQ(c.extra.count("reg_loss"), 1u) << c.step;
    EXPECT_DOUBLE_EQ(c.extra.at("reg_loss"), 0.5 * static_cast<double>(c.step));
  }
}
