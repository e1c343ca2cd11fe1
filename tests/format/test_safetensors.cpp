// safetensors header parsing: the published layout is accepted, and every
// malformed header (the cases a hostile or broken download produces) is
// rejected with an error naming the file and what is wrong.
#include "common/error.h"
#include "format/safetensors.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chrysalis;
using namespace chrysalis::format;

namespace {

// 8-byte little-endian length + header + `dataBytes` zero bytes.
std::string file(const std::string& header, size_t dataBytes) {
  std::string s(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i)
    s[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return s + header + std::string(dataBytes, '\0');
}

SafetensorsHeader parse(const std::string& bytes) {
  return parseSafetensorsHeader(bytes, bytes.size(), "model.safetensors");
}

void expectRejected(const std::string& bytes, const std::string& fragment) {
  try {
    parse(bytes);
    ADD_FAILURE() << "accepted a bad header; expected: " << fragment;
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "model.safetensors");
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

} // namespace

TEST(Safetensors, ParsesThePublishedLayout) {
  auto h = parse(file(R"({"__metadata__":{"format":"pt"},)"
                      R"("b":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},)"
                      R"("a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}})",
                      28));
  ASSERT_EQ(h.tensors.size(), 2u);
  EXPECT_EQ(h.tensors[0].name, "a"); // sorted by offset
  EXPECT_EQ(h.tensors[0].shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(h.tensors[1].dtype, DType::F16);
  EXPECT_EQ(h.metadata.at("format"), "pt");
  EXPECT_NE(h.find("b"), nullptr);
  EXPECT_EQ(h.find("c"), nullptr);
}

TEST(Safetensors, ScalarAndEmptyTensorsAreFine) {
  auto h = parse(file(R"({"s":{"dtype":"I64","shape":[],"data_offsets":[0,8]},)"
                      R"("e":{"dtype":"F32","shape":[0,4],"data_offsets":[8,8]}})",
                      8));
  EXPECT_EQ(h.tensors.size(), 2u);
}

TEST(Safetensors, RejectsMalformedHeaders) {
  expectRejected("abc", "shorter than 8 bytes");
  expectRejected(std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8) + "{}", "exceeds 100 MB");
  expectRejected(std::string("\x40\x00\x00\x00\x00\x00\x00\x00", 8) + "{}", "past the end");
  expectRejected(file("{not json", 0), "not valid JSON");
  expectRejected(file("[1,2]", 0), "not a JSON object");
  expectRejected(file(R"({"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}})", 1),
                 "unsupported dtype");
  expectRejected(file(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4),
                 "non-negative");
  expectRejected(file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", 8),
                 "does not match");
  expectRejected(file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4),
                 "past the data section");
  expectRejected(file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", 8),
                 "begin after end");
  expectRejected(file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                      R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                      12),
                 "overlaps");
  expectRejected(
      file(
          R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}})",
          8),
      "overflows");
  expectRejected(file(R"({"a":{"dtype":"F32","shape":[1]}})", 4), "data_offsets");
  expectRejected(file(R"({"a":5})", 0), "expected an object");
  expectRejected(file(R"({"__metadata__":{"k":1}})", 0), "expected a string");
}

TEST(Safetensors, ReadsTheRealFixture) {
  SafetensorsFile f(test::fixtures() / "tiny-bert/checkpoint-100/model.safetensors");
  const auto* e = f.header().find("bert.embeddings.word_embeddings.weight");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->dtype, DType::F32);
  EXPECT_EQ(e->shape, (std::vector<int64_t>{64, 32}));
  std::vector<float> w(64 * 32);
  f.read(*e, w.data());
  double sum = 0;
  for (float x : w)
    sum += x * x;
  EXPECT_GT(sum, 1.0); // random weights, not zeros
}
