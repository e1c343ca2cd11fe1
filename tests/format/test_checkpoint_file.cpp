// Checkpoint files: attributes and tensors round-trip exactly, in every
// supported dtype, and damaged files give errors naming the file.
#include "common/error.h"
#include "format/checkpoint_file.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <limits>
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
  EXPECT_TRUE(r.info().extra.empty()); // not listed unless asked for
  EXPECT_DOUBLE_EQ(CheckpointReader(path, ReadExtras::Yes).info().extra.at("reg_loss"), 0.5);
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

// readMany streams each tensor in cache-sized blocks on several threads,
// hashing as it goes: the bytes must equal read()'s, and one flipped byte in
// the last block of a multi-block tensor must still be refused by name.
TEST(CheckpointFile, ReadManyStreamsVerifiesAndCountsNonFinite) {
  test::ScratchDir dir;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> big(700'001); // 2.8 MB: several 256 KiB blocks and a ragged end
  for (auto& v : big)
    v = u(rng);
  big[3] = std::numeric_limits<float>::quiet_NaN();
  big[699'999] = -std::numeric_limits<float>::infinity();
  std::vector<float> small{1, 2, 3};
  std::vector<uint16_t> f16{0x3C00, 0x7C00, 0xFC00, 0x7E00, 0x7BFF}; // 1, inf, -inf, NaN, 65504
  std::vector<uint16_t> bf16{0x3F80, 0x7FC0, 0x7F7F};                // 1, NaN, largest finite
  auto path = dir / checkpointFileName(0);
  writeCheckpoint(path, sampleInfo(0),
                  {{"big", DType::F32, {700'001}, big.data()},
                   {"small", DType::F32, {3}, small.data()},
                   {"half", DType::F16, {5}, f16.data()},
                   {"brain", DType::BF16, {3}, bf16.data()}});
  CheckpointReader r(path);
  std::vector<float> big2(big.size()), small2(3);
  std::vector<uint16_t> f16b(5), bf16b(3);
  for (unsigned threads : {1u, 2u, 3u}) {
    std::vector<TensorRead> reads{{r.tensor("big"), big2.data()},
                                  {r.tensor("small"), small2.data()},
                                  {r.tensor("half"), f16b.data()},
                                  {r.tensor("brain"), bf16b.data()}};
    r.readMany(reads, threads);
    EXPECT_EQ(std::memcmp(big2.data(), big.data(), big.size() * 4), 0) << threads;
    EXPECT_EQ(small2, small);
    EXPECT_EQ(f16b, f16);
    EXPECT_EQ(bf16b, bf16);
    EXPECT_EQ(reads[0].nonFinite, 2);
    EXPECT_EQ(reads[1].nonFinite, 0);
    EXPECT_EQ(reads[2].nonFinite, 3);
    EXPECT_EQ(reads[3].nonFinite, 1);
  }

  // Flip one bit near the end of "big" (its last block) in a copy of the file.
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string tail(reinterpret_cast<const char*>(big.data() + 699'990), 32);
  const size_t at = bytes.find(tail);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 5] ^= 0x10;
  auto bad = dir / "bad" / checkpointFileName(0);
  std::filesystem::create_directories(bad.parent_path());
  std::ofstream(bad, std::ios::binary) << bytes;
  CheckpointReader rb(bad);
  std::vector<TensorRead> reads{{rb.tensor("small"), small2.data()},
                                {rb.tensor("big"), big2.data()}};
  std::string msg;
  try {
    rb.readMany(reads, 2);
  } catch (const InputError& e) {
    msg = e.what();
  }
  EXPECT_NE(msg.find(bad.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("tensor 'big'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
}

TEST(CheckpointFile, CountNonFiniteByHand) {
  const double f64[] = {1.0, std::numeric_limits<double>::infinity(), -0.0,
                        std::numeric_limits<double>::quiet_NaN(), 1e308};
  EXPECT_EQ(countNonFinite(DType::F64, f64, sizeof f64), 2);
  const float f32[] = {std::numeric_limits<float>::max(), std::numeric_limits<float>::denorm_min(),
                       -std::numeric_limits<float>::infinity()};
  EXPECT_EQ(countNonFinite(DType::F32, f32, sizeof f32), 1);
  const int32_t ints[] = {-1, 0x7f800000}; // integers are never "non-finite"
  EXPECT_EQ(countNonFinite(DType::I32, ints, sizeof ints), 0);
}
