// Checkpoint files: attributes and tensors round-trip exactly, in every
// supported dtype, and damaged files give errors naming the file.
#include "common/error.h"
#include "format/checkpoint_file.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

using namespace chrysalis;
using namespace chrysalis::format;

namespace {

CheckpointInfo sampleInfo(int64_t step) {
  CheckpointInfo info;
  info.step = step;
  info.tokensSeen = step * 4096;
  info.wallTime = 12.5;
  info.learningRate = 1e-4;
  info.trainLoss = 3.25;
  info.extra["reg_loss"] = 0.5;
  return info;
}

} // namespace

TEST(CheckpointFile, RoundTripsAttributesAndTensorsInEveryDtype) {
  test::ScratchDir dir;
  std::vector<float> f32{1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, 7.0f};
  std::vector<uint16_t> f16{0x3C00, 0xC000, 0x7BFF}; // 1, -2, 65504
  std::vector<uint16_t> bf16{0x3F80, 0xC000};        // 1, -2
  auto path = dir / checkpointFileName(1000);
  writeCheckpoint(path, sampleInfo(1000),
                  {{"a.weight", DType::F32, {2, 3}, f32.data()},
                   {"b.half", DType::F16, {3}, f16.data()},
                   {"c.bf16", DType::BF16, {2}, bf16.data()}});

  CheckpointReader r(path);
  EXPECT_EQ(r.info().step, 1000);
  EXPECT_EQ(r.info().tokensSeen, 1000 * 4096);
  EXPECT_DOUBLE_EQ(r.info().wallTime, 12.5);
  EXPECT_DOUBLE_EQ(r.info().learningRate, 1e-4);
  ASSERT_TRUE(r.info().trainLoss.has_value());
  EXPECT_DOUBLE_EQ(*r.info().trainLoss, 3.25);
  EXPECT_DOUBLE_EQ(r.info().extra.at("reg_loss"), 0.5);
  EXPECT_TRUE(r.info().hasWeights);
  ASSERT_EQ(r.tensors().size(), 3u);

  auto a = r.tensor("a.weight");
  EXPECT_EQ(a.dtype, DType::F32);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  std::vector<float> a2(6);
  r.read(a, a2.data(), a2.size() * 4);
  EXPECT_EQ(a2, f32);

  auto b = r.tensor("b.half");
  EXPECT_EQ(b.dtype, DType::F16);
  std::vector<uint16_t> b2(3);
  r.read(b, b2.data(), 6);
  EXPECT_EQ(b2, f16);

  auto c = r.tensor("c.bf16");
  EXPECT_EQ(c.dtype, DType::BF16);
  std::vector<uint16_t> c2(2);
  r.read(c, c2.data(), 4);
  EXPECT_EQ(c2, bf16);
}

TEST(CheckpointFile, MetadataOnlyCheckpointHasNoWeights) {
  test::ScratchDir dir;
  auto path = dir / checkpointFileName(5);
  writeCheckpoint(path, sampleInfo(5), {});
  CheckpointReader r(path);
  EXPECT_FALSE(r.info().hasWeights);
  EXPECT_TRUE(r.tensors().empty());
  try {
    r.tensor("a.weight");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no weights"), std::string::npos);
  }
}

TEST(CheckpointFile, MissingTensorIsNamed) {
  test::ScratchDir dir;
  float x = 1;
  auto path = dir / checkpointFileName(1);
  writeCheckpoint(path, sampleInfo(1), {{"present", DType::F32, {1}, &x}});
  CheckpointReader r(path);
  try {
    r.tensor("absent.weight");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_NE(e.place().find("absent.weight"), std::string::npos);
  }
}

TEST(CheckpointFile, TruncatedFileGivesErrorNamingFile) {
  test::ScratchDir dir;
  std::vector<float> w(4096, 0.5f);
  auto good = dir / "good.h5";
  writeCheckpoint(good, sampleInfo(1), {{"w", DType::F32, {4096}, w.data()}});
  std::ifstream in(good, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  // Cut at many offsets: each gives an InputError (never a crash or hang).
  for (size_t cut : {size_t(0), size_t(7), size_t(100), size_t(512), size_t(2048), bytes.size() / 2,
                     bytes.size() - 100, bytes.size() - 1}) {
    auto bad = dir / ("cut-" + std::to_string(cut) + ".h5");
    std::ofstream(bad, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(cut));
    try {
      CheckpointReader r(bad);
      auto e = r.tensor("w");
      std::vector<float> out(4096);
      r.read(e, out.data(), out.size() * 4);
      // HDF5 may read a file cut only inside unused padding; the data must then be intact.
      EXPECT_EQ(out, w) << "cut at " << cut;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), bad.string()) << "cut at " << cut;
    }
  }
}

TEST(CheckpointFile, RandomBytesAreRejected) {
  test::ScratchDir dir;
  auto bad = dir / checkpointFileName(3);
  std::mt19937 rng(7);
  std::string junk(10000, '\0');
  for (auto& c : junk)
    c = static_cast<char>(rng());
  std::ofstream(bad, std::ios::binary) << junk;
  try {
    CheckpointReader r(bad);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), bad.string());
    EXPECT_NE(std::string(e.what()).find("not a readable HDF5 file"), std::string::npos);
  }
}

TEST(CheckpointFile, StepFileNames) {
  EXPECT_EQ(checkpointFileName(1000), "step-0000001000.h5");
  EXPECT_EQ(stepFromFileName("step-0000001000.h5"), 1000);
  EXPECT_FALSE(stepFromFileName("step-12x.h5"));
  EXPECT_FALSE(stepFromFileName("step-0000001000.h5.tmp-1-ab"));
  EXPECT_FALSE(stepFromFileName("notes.txt"));
}
