#pragma once
// Shared by the engine tests: the tiny PyTorch-made BERT imported as a series,
// and reading the expected outputs that PyTorch recorded.
#include "common/error.h"
#include "format/h5.h"
#include "format/hf_import.h"
#include "test_support.h"

#include <torch/torch.h>

#include <fstream>
#include <functional>

namespace chrysalis::test {

inline std::filesystem::path tinyBert(const std::string& sub) {
  return fixtures() / "tiny-bert" / sub;
}

// Imports checkpoints 100 (F32), 200 (F16) and 300 (BF16) into dir/series.
// The 64-entry vocabulary is the five specials, then `tokens` (e.g. words and
// "##" continuations, so that words split into pieces), then "tokN" fillers.
inline std::filesystem::path importTinySeries(const ScratchDir& dir,
                                              const std::vector<std::string>& tokens = {}) {
  std::filesystem::path vocab = dir / "vocab.txt";
  {
    std::ofstream out(vocab);
    const char* specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
    for (size_t i = 0; i < 64; ++i)
      out << (i < 5                   ? std::string(specials[i])
              : i - 5 < tokens.size() ? tokens[i - 5]
                                      : "tok" + std::to_string(i))
          << "\n";
  }
  format::HfImportOptions o;
  o.out = dir / "series";
  o.vocab = vocab;
  format::importHf(
      {tinyBert("checkpoint-100"), tinyBert("checkpoint-200"), tinyBert("checkpoint-300")}, o);
  return o.out;
}

// The InputError message `f` throws, or "" when it throws none.
inline std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Reads a float32 or int64 dataset of an expected-output file as a tensor.
inline torch::Tensor readExpected(const std::filesystem::path& file, const std::string& name) {
  auto f = h5::openRead(file);
  auto info = h5::datasetInfo(f, name);
  auto dtype = info.dtype == format::DType::I64 ? torch::kLong : torch::kFloat;
  auto t = torch::empty(info.shape, dtype);
  h5::readDatasetRaw(f, name, info, t.data_ptr(), static_cast<size_t>(t.nbytes()));
  return t;
}

} // namespace chrysalis::test
