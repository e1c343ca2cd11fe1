// engine/series_model.h (issue 19, items 4, 6 and 7): a series' model and
// vocabulary are checked before memory is committed, and NaN weights load
// with a warning naming the tensor and the step.
#include "common/error.h"
#include "engine/series_model.h"
#include "engine/weights.h"
#include "engine_fixture.h"
#include "format/series.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <fstream>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

long peakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

void setModelField(const fs::path& series, const std::string& key, int64_t value) {
  auto meta = format::readSeriesMeta(series);
  auto j = meta.toJson();
  j["model_config"][key] = value;
  std::ofstream(series / format::kSeriesFile) << j.dump(2);
}

} // namespace

// vocab_size 4,000,000 with hidden_size 32: the model would be 128 M
// parameters, the checkpoint holds 64 x 32. Refused from the file's
// metadata, naming the checkpoint and the tensor, before any allocation.
TEST(SeriesModel, ConfigDisagreeingWithItsCheckpointIsRefusedBeforeAllocating) {
  test::ScratchDir dir;
  const auto series = test::importTinySeries(dir);
  setModelField(series, "vocab_size", 4'000'000);
  const auto meta = format::readSeriesMeta(series);
  const long before = peakRssMb();
  const std::string message =
      test::errorOf([&] { engine::loadSeriesModel(series, meta.model, 100); });
  EXPECT_NE(message.find(format::checkpointPath(series, 100).string()), std::string::npos)
      << message;
  EXPECT_NE(message.find("word_embeddings"), std::string::npos) << message;
  EXPECT_NE(message.find("does not match"), std::string::npos) << message;
  EXPECT_LT(peakRssMb() - before, 200) << "allocated before refusing";
}

// The same size through a hidden size the checkpoint does not have: the
// first mismatching tensor in the model's order is named.
TEST(SeriesModel, HiddenSizeMismatchNamesTheFirstTensor) {
  test::ScratchDir dir;
  const auto series = test::importTinySeries(dir);
  setModelField(series, "hidden_size", 768);
  const auto meta = format::readSeriesMeta(series);
  const std::string message =
      test::errorOf([&] { engine::loadSeriesModel(series, meta.model, 300); });
  EXPECT_NE(message.find("bert.embeddings.word_embeddings.weight"), std::string::npos) << message;
}

TEST(SeriesModel, HugeModelsAreRefusedByBounds) {
  format::BertConfig c;
  c.vocabSize = 4'000'000;
  c.hiddenSize = 768;
  const std::string message =
      test::errorOf([&] { engine::requireSaneModelSize(c, "series.json"); });
  EXPECT_NE(message.find("series.json"), std::string::npos) << message;
  EXPECT_NE(message.find("3"), std::string::npos) << message; // 3,1xx M parameters
  format::BertConfig base;                                    // BERT-base loads
  EXPECT_NO_THROW(engine::requireSaneModelSize(base, "series.json"));
}

// One extra line in vocab.txt shifts every id: refused by the one loader.
TEST(SeriesModel, VocabularyLongerThanVocabSizeIsRefused) {
  test::ScratchDir dir;
  const auto series = test::importTinySeries(dir);
  const auto meta = format::readSeriesMeta(series);
  EXPECT_NO_THROW(engine::loadSeriesVocab(series, meta));
  std::ofstream(format::vocabPath(series, meta), std::ios::app) << "extra\n";
  const std::string message = test::errorOf([&] { engine::loadSeriesVocab(series, meta); });
  EXPECT_NE(message.find(format::vocabPath(series, meta).string()), std::string::npos) << message;
  EXPECT_NE(message.find("65 entries"), std::string::npos) << message;
  EXPECT_NE(message.find("vocab_size is 64"), std::string::npos) << message;
}

// A NaN and an infinity in two tensors: the model loads (the numbers are
// what was stored) and stderr names each tensor and the step.
TEST(SeriesModel, NonFiniteWeightsLoadWithAWarningNamingTensorAndStep) {
  test::ScratchDir dir;
  const auto series = test::importTinySeries(dir);
  const auto meta = format::readSeriesMeta(series);
  auto model = engine::loadSeriesModel(series, meta.model, 100);
  {
    torch::NoGradGuard noGrad;
    for (auto& [name, p] : model->namedParameters()) {
      if (name == "bert.encoder.layer.1.attention.self.key.bias") p.view(-1)[0] = NAN;
      if (name == "cls.predictions.bias") p.view(-1)[3] = INFINITY;
    }
  }
  format::CheckpointInfo info;
  info.step = 700;
  engine::saveWeights(*model, format::checkpointPath(series, 700), info);

  testing::internal::CaptureStderr();
  auto loaded = engine::loadSeriesModel(series, meta.model, 700);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("tensor 'bert.encoder.layer.1.attention.self.key.bias' at step 700 has 1"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("tensor 'cls.predictions.bias' at step 700"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 2) << err;

  testing::internal::CaptureStderr();
  engine::loadSeriesModel(series, meta.model, 100);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), ""); // finite weights: no warning
}
