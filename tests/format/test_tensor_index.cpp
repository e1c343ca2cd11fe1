// The tensor index (format/tensor_index.h): written with every checkpoint
// whose tensors are contiguous, it gives the reader the same entries, bytes
// and non-finite counts as asking HDF5 about each dataset (checked against a
// copy with the index deleted through the raw C API), and a damaged, lying
// or malformed index is refused with an error naming the file.
#include "common/error.h"
#include "format/checkpoint_file.h"
#include "format/tensor_index.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>

using namespace chrysalis;
using namespace chrysalis::format;
namespace fs = std::filesystem;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

struct Written {
  std::vector<float> big = std::vector<float>(50'000);
  std::vector<float> odd{1, kNaN, 3, kInf, -kInf};
  std::vector<uint16_t> bf16{0x3F80, 0x7FC0, 0xC000}; // 1, NaN, -2
};

fs::path writeSample(const fs::path& dir, const Written& w) {
  const fs::path path = dir / checkpointFileName(7);
  CheckpointInfo info;
  info.step = 7;
  writeCheckpoint(path, info,
                  {{"z.big", DType::F32, {250, 200}, w.big.data()},
                   {"a.odd", DType::F32, {5}, w.odd.data()},
                   {"m.bf16", DType::BF16, {3}, w.bf16.data()},
                   {"e.empty", DType::F32, {0, 4}, w.big.data()}});
  return path;
}

// A copy of `path` without its index: the reader then asks HDF5 per tensor.
fs::path withoutIndex(const fs::path& path, const fs::path& dir) {
  const fs::path copy = dir / "plain" / path.filename();
  fs::create_directories(copy.parent_path());
  fs::copy_file(path, copy);
  hid_t f = H5Fopen(copy.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  EXPECT_GE(f, 0);
  EXPECT_GE(H5Ldelete(f, kTensorIndex, H5P_DEFAULT), 0);
  H5Fclose(f);
  return copy;
}

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(TensorIndex, GivesWhatHdf5GivesForEveryTensor) {
  test::ScratchDir dir;
  Written w;
  for (size_t i = 0; i < w.big.size(); ++i)
    w.big[i] = std::sin(static_cast<float>(i));
  w.big[123] = kNaN;
  const fs::path indexed = writeSample(dir.path(), w);
  const fs::path plain = withoutIndex(indexed, dir.path());
  CheckpointReader a(indexed), b(plain);
  EXPECT_TRUE(a.indexed());
  EXPECT_FALSE(b.indexed());
  const auto ea = a.tensors(), eb = b.tensors();
  ASSERT_EQ(ea.size(), 4u);
  ASSERT_EQ(ea.size(), eb.size());
  for (size_t i = 0; i < ea.size(); ++i) {
    EXPECT_EQ(ea[i].name, eb[i].name); // same order as HDF5 lists them
    EXPECT_EQ(ea[i].shape, eb[i].shape);
    EXPECT_EQ(ea[i].dtype, eb[i].dtype);
    EXPECT_EQ(a.storedChecksum(ea[i]), b.storedChecksum(eb[i]));
  }
  EXPECT_TRUE(a.hasTensor("a.odd"));
  EXPECT_FALSE(a.hasTensor("nothing"));
  EXPECT_NE(errorOf([&] { a.tensor("nothing"); }).find("missing"), std::string::npos);

  std::vector<std::vector<char>> bytesA, bytesB;
  std::vector<TensorRead> readsA, readsB;
  for (size_t i = 0; i < ea.size(); ++i) {
    bytesA.emplace_back(ea[i].byteSize());
    bytesB.emplace_back(eb[i].byteSize());
  }
  for (size_t i = 0; i < ea.size(); ++i) {
    readsA.push_back({ea[i], bytesA[i].data()});
    readsB.push_back({eb[i], bytesB[i].data()});
  }
  a.readMany(readsA, 2);
  b.readMany(readsB, 2);
  for (size_t i = 0; i < ea.size(); ++i) {
    EXPECT_EQ(bytesA[i], bytesB[i]) << ea[i].name;
    EXPECT_EQ(readsA[i].nonFinite, readsB[i].nonFinite) << ea[i].name; // stored vs counted
  }
  EXPECT_EQ(readsA[0].nonFinite, 3); // a.odd: NaN, inf, -inf
  EXPECT_EQ(ea[1].byteSize(), 0u);   // e.empty
  EXPECT_EQ(readsA[2].nonFinite, 1); // m.bf16
  EXPECT_EQ(readsA[3].nonFinite, 1); // z.big
  EXPECT_EQ(std::memcmp(bytesA[3].data(), w.big.data(), bytesA[3].size()), 0);
}

// Another tool deleted a tensor after Chrysalis wrote the file: the index
// lists more tensors than /tensors holds, so the reader asks HDF5 instead of
// trusting it (the deleted tensor's bytes are still where the index says).
TEST(TensorIndex, StaleIndexIsIgnored) {
  test::ScratchDir dir;
  Written w;
  const fs::path path = writeSample(dir.path(), w);
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  ASSERT_GE(H5Ldelete(f, "/tensors/a.odd", H5P_DEFAULT), 0);
  H5Fclose(f);
  CheckpointReader r(path);
  EXPECT_FALSE(r.indexed());
  EXPECT_FALSE(r.hasTensor("a.odd"));
  EXPECT_EQ(r.tensors().size(), 3u);
  std::vector<uint16_t> back(3);
  std::vector<TensorRead> reads{{r.tensor("m.bf16"), back.data()}};
  r.readMany(reads, 1);
  EXPECT_EQ(back, w.bf16);
}

// One flipped bit in the index's JSON: its own checksum catches it.
TEST(TensorIndex, DamagedIndexIsRefusedNamingTheFile) {
  test::ScratchDir dir;
  Written w;
  const fs::path good = writeSample(dir.path(), w);
  std::string bytes = readAll(good);
  const size_t at = bytes.find("\"non_finite\"");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 3] ^= 0x01;
  const fs::path bad = dir / "bad.h5";
  std::ofstream(bad, std::ios::binary) << bytes;
  CheckpointReader r(bad); // the attributes still read: a listing shows the step
  EXPECT_EQ(r.info().step, 7);
  const std::string msg = errorOf([&] { r.tensors(); });
  EXPECT_NE(msg.find(bad.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("tensor_index"), std::string::npos) << msg;
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
}

// An index whose checksum holds but whose content lies or is malformed (as a
// crafted file could have): refused before any byte is read by it.
TEST(TensorIndex, LyingOrMalformedIndexIsRefused) {
  const std::string sum = "0123456789abcdef";
  auto entry = [&](const std::string& name, uint64_t offset, const std::string& shape = "[4]",
                   const std::string& dtype = "F32", const std::string& checksum = "",
                   int nonFinite = 0) {
    return "{\"name\":\"" + name + "\",\"dtype\":\"" + dtype + "\",\"shape\":" + shape +
           ",\"offset\":" + std::to_string(offset) + ",\"xxh3_64\":\"" +
           (checksum.empty() ? sum : checksum) + "\",\"non_finite\":" + std::to_string(nonFinite) +
           "}";
  };
  auto index = [](const std::string& entries) {
    return "{\"version\":1,\"tensors\":[" + entries + "]}";
  };
  auto refusal = [](const std::string& text) {
    return [text] { return errorOf([&] { decodeTensorIndex(text, 1000, "f.h5"); }); };
  };
  // Well formed: two 16-byte tensors side by side.
  EXPECT_EQ(decodeTensorIndex(index(entry("a", 0) + "," + entry("b", 16)), 1000, "f.h5").size(),
            2u);
  const std::vector<std::pair<std::string, std::string>> cases{
      {index(entry("a", 990)), "outside the file"},
      {index(entry("a", 0, "[1000000000000]")), "bad shape"},
      {index(entry("a", 0, "[100, 100]")), "bad shape"},
      {index(entry("a", 0, "[0, 1000, 1000]")), "bad shape"}, // no overflow beside a zero
      {index(entry("a", 0, "[10, 10, 10]")), "outside the file"},
      {index(entry("a", 0) + "," + entry("b", 8)), "overlap"},
      {index(entry("a", 0) + "," + entry("a", 16)), "listed twice"},
      {index(entry("a/b", 0)), "name"},
      {index(entry("a", 0, "[4]", "F33")), "unknown dtype"},
      {index(entry("a", 0, "[4]", "F32", "0123456789ABCDEF")), "checksum"},
      {index(entry("a", 0, "[4]", "F32", "", 5)), "non_finite"},
      {index(entry("a", 0, "[-4]")), "bad shape"},
      {"{\"version\":2,\"tensors\":[]}", "version"},
      {"{\"version\":4294967297,\"tensors\":[]}", "version"},
      {"[1, 2", "not a JSON object"},
      {index("{\"name\":\"a\"}"), "has no 'dtype'"},
  };
  for (const auto& [text, reason] : cases) {
    const std::string msg = refusal(text)();
    EXPECT_NE(msg.find("f.h5"), std::string::npos) << text;
    EXPECT_NE(msg.find(reason), std::string::npos) << text << " -> " << msg;
  }
}

// Checkpoints whose tensors stay in another file (import-hf --link) get no
// index: their bytes are not ranges of the checkpoint.
TEST(TensorIndex, LinkedCheckpointsHaveNone) {
  test::ScratchDir dir;
  std::vector<float> data{1, 2, 3, 4};
  const fs::path source = dir / "source.bin";
  std::ofstream(source, std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), sizeof(float) * data.size());
  const fs::path path = dir / checkpointFileName(1);
  CheckpointInfo info;
  info.step = 1;
  writeCheckpoint(path, info, {{"w", DType::F32, {4}, data.data()}},
                  {{fs::absolute(source).string(), 0}});
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  EXPECT_EQ(H5Lexists(f, kTensorIndex, H5P_DEFAULT), 0);
  H5Fclose(f);
  CheckpointReader r(path);
  EXPECT_FALSE(r.indexed());
  std::vector<float> back(4);
  r.read(r.tensor("w"), back.data(), sizeof(float) * 4);
  EXPECT_EQ(back, data);
}
