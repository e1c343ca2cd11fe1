#pragma once
// Shared by the training tests: a small slice of real EWT data, a tiny
// configuration, and bitwise comparison of checkpoint tensors.
#include "format/checkpoint_file.h"
#include "test_support.h"
#include "train/train_config.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace chrysalis::test {

inline std::filesystem::path ewtTrain() {
  return sharedData() / "ud" / "UD_English-EWT" / "en_ewt-ud-train.conllu";
}

// The first `sentences` sentences of EWT train, as their own CoNLL-U file.
inline std::filesystem::path ewtSlice(const ScratchDir& dir, int sentences, int skip = 0) {
  std::ifstream in(ewtTrain());
  auto path = dir / ("ewt-" + std::to_string(skip) + "-" + std::to_string(sentences) + ".conllu");
  std::ofstream out(path);
  std::string line;
  int seen = 0;
  while (seen < skip + sentences && std::getline(in, line)) {
    if (seen >= skip) out << line << "\n";
    if (line.empty()) ++seen;
  }
  return path;
}

inline train::TrainConfig tinyConfig(const std::filesystem::path& data) {
  auto c = train::presetConfig("tiny");
  c.dataFiles = {data.string()};
  c.threads = 1;
  return c;
}

// True when every tensor of the two checkpoints has identical bytes.
inline ::testing::AssertionResult sameWeights(const std::filesystem::path& a,
                                              const std::filesystem::path& b) {
  format::CheckpointReader ra(a), rb(b);
  auto ta = ra.tensors(), tb = rb.tensors();
  if (ta.size() != tb.size()) return ::testing::AssertionFailure() << "tensor counts differ";
  for (size_t i = 0; i < ta.size(); ++i) {
    if (ta[i].name != tb[i].name || ta[i].shape != tb[i].shape)
      return ::testing::AssertionFailure() << ta[i].name << " differs in name or shape";
    std::vector<char> x(ta[i].byteSize()), y(tb[i].byteSize());
    ra.read(ta[i], x.data(), x.size());
    rb.read(tb[i], y.data(), y.size());
    if (x != y)
      return ::testing::AssertionFailure() << ta[i].name << " differs: " << a << " vs " << b;
  }
  return ::testing::AssertionSuccess();
}

// Largest absolute difference over all float32 tensors of two checkpoints.
inline double maxWeightDifference(const std::filesystem::path& a, const std::filesystem::path& b) {
  format::CheckpointReader ra(a), rb(b);
  double worst = 0;
  for (const auto& e : ra.tensors()) {
    std::vector<float> x(static_cast<size_t>(e.elementCount())), y(x.size());
    ra.read(e, x.data(), x.size() * sizeof(float));
    rb.read(rb.tensor(e.name), y.data(), y.size() * sizeof(float));
    for (size_t i = 0; i < x.size(); ++i)
      worst = std::max(worst, static_cast<double>(std::abs(x[i] - y[i])));
  }
  return worst;
}

// For the `chrysalis-cli train` tests: 200 sentences of EWT in a scratch
// folder, and the command lines of a tiny run and of a resume.
class TrainCliFixture : public ::testing::Test {
protected:
  void SetUp() override {
    if (cliPath().empty()) GTEST_SKIP() << "chrysalis-cli not built";
    CHRYSALIS_REQUIRE_SHARED_DATA();
    m_data = ewtSlice(m_dir, 200);
  }
  std::string trainCommand(const std::filesystem::path& out, const std::string& extra) const {
    return cliPath().string() + " train " + out.string() + " --preset tiny --threads 1 --data " +
           m_data.string() + " " + extra;
  }
  std::string resume(const std::filesystem::path& series) const {
    return cliPath().string() + " train --resume " + series.string() + " --threads 1";
  }

  ScratchDir m_dir;
  std::filesystem::path m_data;
};

} // namespace chrysalis::test
