// Loading and saving weights: round trips in every dtype, and the bad inputs
// that name the file and the tensor (missing, wrong shape, wrong dtype).
#include "common/error.h"
#include "engine/bert_model.h"
#include "engine/weights.h"
#include "engine_fixture.h"
#include "format/series.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace chrysalis;
namespace fs = std::filesystem;
using test::errorOf;

namespace {

format::BertConfig smallConfig() {
  format::BertConfig c;
  c.vocabSize = 30;
  c.hiddenSize = 8;
  c.numHiddenLayers = 2;
  c.numAttentionHeads = 2;
  c.intermediateSize = 16;
  c.maxPositionEmbeddings = 12;
  return c;
}

} // namespace

TEST(Weights, SaveLoadRoundTripInEveryDtype) {
  test::ScratchDir dir;
  torch::manual_seed(3);
  engine::BertForMaskedLM a(smallConfig());
  auto ids = torch::randint(0, 30, {2, 7}, torch::kLong);
  torch::NoGradGuard noGrad;
  auto want = a.forward(ids).logits;
  for (auto [dtype, tol] : {std::pair{format::DType::F32, 0.0}, std::pair{format::DType::F16, 1e-2},
                            std::pair{format::DType::BF16, 5e-2}}) {
    format::CheckpointInfo info;
    info.step = 7;
    auto path = dir / ("w-" + format::dtypeName(dtype) + ".h5");
    engine::saveWeights(a, path, info, dtype);
    engine::BertForMaskedLM b(smallConfig());
    engine::loadWeights(b, path);
    auto got = b.forward(ids).logits;
    EXPECT_LE((got - want).abs().max().item<double>(), tol) << format::dtypeName(dtype);
  }
}

TEST(Weights, CheckpointOfAnotherShapeNamesTheTensor) {
  test::ScratchDir dir;
  auto bigger = smallConfig();
  bigger.intermediateSize = 32;
  format::CheckpointInfo info;
  engine::saveWeights(engine::BertForMaskedLM(bigger), dir / "big.h5", info);
  engine::BertForMaskedLM model(smallConfig());
  auto before = model.namedParameters()[0].second.clone();
  auto msg = errorOf([&] { engine::loadWeights(model, dir / "big.h5"); });
  EXPECT_NE(msg.find("big.h5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bert.encoder.layer.0.intermediate.dense.weight"), std::string::npos) << msg;
  EXPECT_NE(msg.find("[32, 8]"), std::string::npos) << msg;
  // Validation happens before any data is read: the model is untouched.
  EXPECT_TRUE(torch::equal(before, model.namedParameters()[0].second));
}

TEST(Weights, MissingTensorAndWrongDtypeAreNamed) {
  test::ScratchDir dir;
  engine::BertForMaskedLM model(smallConfig());
  std::vector<torch::Tensor> keep;
  std::vector<format::TensorBlob> blobs;
  for (auto& [name, p] : model.namedParameters()) {
    if (name == "bert.embeddings.LayerNorm.bias") continue; // drop one
    keep.push_back(p.detach().contiguous());
    blobs.push_back({name, format::DType::F32, p.sizes().vec(), keep.back().data_ptr()});
  }
  format::CheckpointInfo info;
  format::writeCheckpoint(dir / "missing.h5", info, blobs);
  auto msg = errorOf([&] { engine::loadWeights(model, dir / "missing.h5"); });
  EXPECT_NE(msg.find("missing.h5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bert.embeddings.LayerNorm.bias"), std::string::npos) << msg;

  // Integer weights are not weights.
  auto ints = torch::zeros({8}, torch::kLong);
  blobs.push_back({"bert.embeddings.LayerNorm.bias", format::DType::I64, {8}, ints.data_ptr()});
  format::writeCheckpoint(dir / "ints.h5", info, blobs);
  msg = errorOf([&] { engine::loadWeights(model, dir / "ints.h5"); });
  EXPECT_NE(msg.find("int64"), std::string::npos) << msg;
}

TEST(Weights, MetadataOnlyCheckpointSaysSo) {
  test::ScratchDir dir;
  format::CheckpointInfo info;
  format::writeCheckpoint(dir / "meta.h5", info, {});
  engine::BertForMaskedLM model(smallConfig());
  auto msg = errorOf([&] { engine::loadWeights(model, dir / "meta.h5"); });
  EXPECT_NE(msg.find("weights were not kept"), std::string::npos) << msg;
}

// The h5py example of docs/series-format.md writes a series Chrysalis opens.
TEST(Weights, SeriesWrittenWithH5pyOpensAndLoads) {
  if (test::runCommand("/usr/bin/python3 -c 'import h5py, numpy'") != 0)
    GTEST_SKIP() << "Debian's python3-h5py is not installed";
  test::ScratchDir dir;
  std::string out;
  ASSERT_EQ(test::runCommand("/usr/bin/python3 " +
                                 (test::fixtures() / "write_series_h5py.py").string() + " " +
                                 (dir / "s").string(),
                             &out),
            0)
      << out;
  auto listing = format::listSeries(dir / "s");
  ASSERT_EQ(listing.checkpoints.size(), 2u);
  EXPECT_EQ(listing.checkpoints[1].step, 1000);
  EXPECT_DOUBLE_EQ(*listing.checkpoints[1].trainLoss, 6.0);
  engine::BertForMaskedLM model(listing.meta.model);
  for (const auto& c : listing.checkpoints)
    engine::loadWeights(model, c.path);
  format::CheckpointReader r(listing.checkpoints[1].path);
  EXPECT_EQ(r.tensor("cls.predictions.bias").dtype, format::DType::BF16);
}

// Non-finite weights load as stored (a run may really have diverged), with a
// warning naming the file, tensor, step and count; counted in the streaming
// read, in every weight dtype.
TEST(Weights, NonFiniteWeightsLoadWithAWarningNamingTheTensor) {
  test::ScratchDir dir;
  engine::BertForMaskedLM model(smallConfig());
  {
    torch::NoGradGuard noGrad;
    for (auto& [name, p] : model.namedParameters())
      if (name == "bert.encoder.layer.1.output.dense.weight") {
        p.view(-1)[0] = std::numeric_limits<float>::quiet_NaN();
        p.view(-1)[5] = std::numeric_limits<float>::infinity();
      }
  }
  for (auto dtype : {format::DType::F32, format::DType::F16, format::DType::BF16}) {
    format::CheckpointInfo info;
    info.step = 40;
    auto path = dir / ("nan-" + format::dtypeName(dtype) + ".h5");
    engine::saveWeights(model, path, info, dtype);
    engine::BertForMaskedLM loaded(smallConfig());
    testing::internal::CaptureStderr();
    engine::loadWeights(loaded, path);
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find(path.string()), std::string::npos) << err;
    EXPECT_NE(err.find("'bert.encoder.layer.1.output.dense.weight' at step 40 has 2 NaN"),
              std::string::npos)
        << format::dtypeName(dtype) << ": " << err;
    EXPECT_EQ(err.find("layer.0"), std::string::npos) << err; // only the damaged tensor
    for (auto& [name, p] : loaded.namedParameters()) {
      if (name == "bert.encoder.layer.1.output.dense.weight") {
        EXPECT_TRUE(std::isnan(p.view(-1)[0].item<float>()));
      }
    }
  }
}
