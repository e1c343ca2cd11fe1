// Importing Hugging Face checkpoint folders (the fixture written by
// tests/fixtures/make_bert_fixture.py from PyTorch's own modules).
#include "common/error.h"
#include "format/checkpoint_file.h"
#include "format/hf_import.h"
#include "format/series.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace chrysalis;
using namespace chrysalis::format;
namespace fs = std::filesystem;

namespace {
fs::path tiny(const std::string& sub) {
  return test::fixtures() / "tiny-bert" / sub;
}

// A vocabulary with the tiny model's 64 entries.
fs::path writeVocab(const fs::path& dir) {
  fs::path p = dir / "vocab.txt";
  std::ofstream out(p);
  const char* specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (int i = 0; i < 64; ++i)
    out << (i < 5 ? specials[i] : "tok" + std::to_string(i)) << "\n";
  return p;
}
} // namespace

TEST(HfImport, StepsFromFolderNameAndTrainerState) {
  EXPECT_EQ(hfCheckpointStep(tiny("checkpoint-100")), 100);
  EXPECT_EQ(hfCheckpointStep(tiny("checkpoint-300")), 300); // trainer_state.json
  test::ScratchDir dir;
  EXPECT_THROW(hfCheckpointStep(dir.path()), InputError);
}

TEST(HfImport, ImportsF32F16Bf16KeepingDtypes) {
  test::ScratchDir dir;
  HfImportOptions o;
  o.out = dir / "series";
  o.vocab = writeVocab(dir.path());
  auto steps =
      importHf({tiny("checkpoint-300"), tiny("checkpoint-100"), tiny("checkpoint-200")}, o);
  EXPECT_EQ(steps, (std::vector<int64_t>{100, 200, 300}));

  auto l = listSeries(o.out);
  ASSERT_EQ(l.checkpoints.size(), 3u);
  EXPECT_EQ(l.meta.model.hiddenSize, 32);
  EXPECT_EQ(l.meta.label, "series");
  const DType expected[] = {DType::F32, DType::F16, DType::BF16};
  for (size_t i = 0; i < 3; ++i) {
    CheckpointReader r(l.checkpoints[i].path);
    auto e = r.tensor("bert.encoder.layer.1.output.dense.weight");
    EXPECT_EQ(e.dtype, expected[i]);
    EXPECT_EQ(e.shape, (std::vector<int64_t>{32, 64}));
    // The F32 file stores the bias as cls.predictions.decoder.bias too; either way it lands here.
    EXPECT_TRUE(r.hasTensor("cls.predictions.bias"));
    EXPECT_FALSE(r.hasTensor("bert.embeddings.position_ids"));
  }
}

TEST(HfImport, BadInputsAreNamed) {
  test::ScratchDir dir;
  auto vocab = writeVocab(dir.path());
  auto copyFixture = [&](const std::string& name) {
    fs::path d = dir / name;
    fs::create_directories(d);
    fs::copy(tiny("checkpoint-100/config.json"), d / "config.json");
    fs::copy(tiny("checkpoint-100/model.safetensors"), d / "model.safetensors");
    return d;
  };
  auto importOne = [&](const fs::path& d) {
    HfImportOptions o;
    o.out = dir / ("out-" + d.filename().string());
    o.vocab = vocab;
    importHf({d}, o);
  };

  // A non-BERT config.
  fs::path roberta = copyFixture("checkpoint-1");
  std::ofstream(roberta / "config.json") << R"({"model_type":"gpt2","vocab_size":64})";
  EXPECT_THROW(importOne(roberta), InputError);

  // A truncated safetensors file.
  fs::path cut = copyFixture("checkpoint-2");
  fs::resize_file(cut / "model.safetensors", 5000);
  try {
    importOne(cut);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(e.file().find("checkpoint-2/model.safetensors"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "out-checkpoint-2")); // checked before anything is written

  // A config whose shapes disagree with the tensors.
  fs::path wrong = copyFixture("checkpoint-3");
  std::ifstream in(tiny("checkpoint-100/config.json"));
  auto j = nlohmann::json::parse(in);
  j["intermediate_size"] = 48;
  std::ofstream(wrong / "config.json") << j.dump();
  try {
    importOne(wrong);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("intermediate.dense.weight"), std::string::npos)
        << e.what();
  }

  // No vocabulary anywhere.
  HfImportOptions o;
  o.out = dir / "novocab";
  EXPECT_THROW(importHf({tiny("checkpoint-100")}, o), InputError);
}
