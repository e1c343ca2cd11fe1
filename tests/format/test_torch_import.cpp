// Importing the checkpoint layouts researchers already have, written in the
// test by PyTorch itself (tests/fixtures/write_torch_checkpoints.py, Debian's
// python3-torch): torch.save'd pytorch_model.bin (BertForPreTraining, tied
// decoder), sharded safetensors and .bin through their index files, old
// gamma/beta names, BertModel without an MLM head, a Trainer output folder
// with trainer_state.json, and hostile files. The imported tensors must be
// byte-identical to the same weights imported from the tiny-BERT fixture's
// safetensors files (themselves cross-checked against PyTorch modules).
#include "common/error.h"
#include "format/checkpoint_file.h"
#include "format/hf_import.h"
#include "format/series.h"
#include "format/torch_bin.h"
#include "format/train_log.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <thread>

using namespace chrysalis;
using namespace chrysalis::format;
namespace fs = std::filesystem;

namespace {

struct TorchImport : ::testing::Test {
  static void SetUpTestSuite() {
    files = new test::ScratchDir;
    std::string out;
    const int rc = test::runCommand("/usr/bin/python3 " +
                                        (test::fixtures() / "write_torch_checkpoints.py").string() +
                                        " " + (files->path() / "w").string() + " 2>&1",
                                    &out);
    ASSERT_EQ(rc, 0) << out;
  }
  static void TearDownTestSuite() {
    delete files;
    files = nullptr;
  }
  static fs::path written(const std::string& sub) { return files->path() / "w" / sub; }

  // Every tensor of every checkpoint of `a` equals `b`'s, byte for byte.
  static void expectSameTensors(const fs::path& a, const fs::path& b) {
    auto la = listSeries(a), lb = listSeries(b);
    ASSERT_EQ(la.checkpoints.size(), lb.checkpoints.size());
    for (size_t i = 0; i < la.checkpoints.size(); ++i) {
      CheckpointReader ra(la.checkpoints[i].path), rb(lb.checkpoints[i].path);
      auto ta = ra.tensors(), tb = rb.tensors();
      ASSERT_EQ(ta.size(), tb.size());
      for (const auto& e : ta) {
        ASSERT_TRUE(rb.hasTensor(e.name)) << e.name;
        auto f = rb.tensor(e.name);
        ASSERT_EQ(f.dtype, e.dtype) << e.name;
        ASSERT_EQ(f.shape, e.shape) << e.name;
        std::vector<char> x(e.byteSize()), y(f.byteSize());
        ra.read(e, x.data(), x.size());
        rb.read(f, y.data(), y.size());
        EXPECT_EQ(x, y) << e.name << " at step " << la.checkpoints[i].step;
      }
    }
  }

  static fs::path safetensorsReference(const fs::path& dir) {
    HfImportOptions o;
    o.out = dir / "reference";
    o.vocab = written("run/vocab.txt");
    const auto tiny = test::fixtures() / "tiny-bert";
    importHf({tiny / "checkpoint-100", tiny / "checkpoint-200", tiny / "checkpoint-300"}, o);
    return o.out;
  }

  test::ScratchDir dir;
  static test::ScratchDir* files;
};
test::ScratchDir* TorchImport::files = nullptr;

} // namespace

TEST_F(TorchImport, TrainerFolderOfBinShardsAndOldNamesMatchesTheSafetensorsImport) {
  auto folders = expandHfFolders({written("run")});
  ASSERT_EQ(folders.size(), 3u);
  EXPECT_EQ(folders[0].filename(), "checkpoint-100");
  EXPECT_EQ(folders[2].filename(), "checkpoint-300");

  HfImportOptions o;
  o.out = dir / "run";
  std::vector<std::string> notices;
  o.notice = [&](const std::string& s) { notices.push_back(s); };
  EXPECT_EQ(importHf(folders, o), (std::vector<int64_t>{100, 200, 300}));
  expectSameTensors(o.out, safetensorsReference(dir.path()));

  // Said once, not per checkpoint: the BertForPreTraining heads left behind,
  // and where the tokenizer's casing came from.
  int pooler = 0, cased = 0, log = 0;
  for (const auto& n : notices) {
    pooler += n.find("pooler and the next-sentence head") != std::string::npos;
    cased += n.find("cased (do_lower_case from") != std::string::npos;
    log += n.find("training log: 30 logged steps") != std::string::npos;
  }
  EXPECT_EQ(pooler, 1);
  EXPECT_EQ(cased, 1);
  EXPECT_EQ(log, 1);
  auto meta = readSeriesMeta(o.out);
  EXPECT_FALSE(meta.doLowerCase); // tokenizer_config.json said so; vocab.txt from the run folder
  EXPECT_TRUE(meta.hasMlmHead);

  // The dense log: every 10 steps from log_history, evaluation rows left out.
  auto train = readTrainLog(o.out);
  ASSERT_TRUE(train);
  ASSERT_EQ(train->size(), 30u);
  EXPECT_EQ(train->step.front(), 10);
  EXPECT_EQ(train->step.back(), 300);
  EXPECT_DOUBLE_EQ(train->columns.at("train_loss")[4], 4.0 - 50 / 100.0);
  EXPECT_DOUBLE_EQ(train->columns.at("learning_rate")[4], 1e-4 * (1 - 50 / 1000.0));
  EXPECT_DOUBLE_EQ(train->columns.at("grad_norm")[0], 1.0 + 1.0 / 10);
}

TEST_F(TorchImport, TheTiedDecoderAndInt64BuffersAreReadButNotKept) {
  TorchBinFile bin(written("run/checkpoint-100/pytorch_model.bin"));
  const TorchBinTensor *decoder = nullptr, *words = nullptr, *positions = nullptr;
  for (const auto& t : bin.tensors()) {
    if (t.ref.name == "cls.predictions.decoder.weight") decoder = &t;
    if (t.ref.name == "bert.embeddings.word_embeddings.weight") words = &t;
    if (t.ref.name == "bert.embeddings.position_ids") positions = &t;
  }
  ASSERT_TRUE(decoder && words && positions);
  EXPECT_EQ(decoder->ref.storageKey, words->ref.storageKey); // one storage, saved once
  EXPECT_EQ(positions->ref.dtype, DType::I64);
  EXPECT_EQ(positions->ref.shape, (std::vector<int64_t>{1, 24}));
  std::vector<int64_t> ids(24);
  bin.read(*positions, ids.data());
  EXPECT_EQ(ids[23], 23);
}

TEST_F(TorchImport, BertModelWithoutAnMlmHeadImportsAndSaysWhatCannotRun) {
  HfImportOptions o;
  o.out = dir / "bm";
  o.vocab = written("run/vocab.txt");
  std::string said;
  o.notice = [&](const std::string& s) { said += s + "\n"; };
  EXPECT_EQ(importHf(expandHfFolders({written("bertmodel")}), o), (std::vector<int64_t>{100}));
  EXPECT_NE(said.find("no MLM head"), std::string::npos) << said;
  EXPECT_FALSE(readSeriesMeta(o.out).hasMlmHead);
  CheckpointReader r(checkpointPath(o.out, 100));
  EXPECT_TRUE(r.hasTensor("bert.encoder.layer.1.attention.self.query.weight"));
  EXPECT_FALSE(r.hasTensor("cls.predictions.bias"));
}

TEST_F(TorchImport, HostileFilesGetOneNamedErrorAndLoseNothing) {
  // A series that already holds steps 100-300 (what a user imported before).
  HfImportOptions o;
  o.out = dir / "run";
  ASSERT_EQ(importHf(expandHfFolders({written("run")}), o).size(), 3u);
  o.append = true;
  const std::pair<const char*, const char*> cases[] = {
      {"class-pickle", "refusing global 'posix.system'"},
      {"truncated-zip", "pytorch_model.bin"},
      {"missing-shard", "shard 'model-00002-of-00003.safetensors' is missing"},
      {"wrong-shape", "shape does not match config.json"},
  };
  for (auto [name, fragment] : cases) {
    try {
      importHf(expandHfFolders({written(std::string("hostile/") + name)}), o);
      ADD_FAILURE() << name << " imported";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(fragment), std::string::npos) << name << ": " << what;
      EXPECT_NE(what.find(name), std::string::npos) << "the file is not named: " << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
    auto listed = listSeries(o.out);
    EXPECT_EQ(listed.checkpoints.size(), 3u) << name;
    EXPECT_TRUE(listed.problems.empty()) << name;
  }
  EXPECT_FALSE(fs::exists(written("hostile/PWNED"))); // the pickle's code never ran
}

TEST_F(TorchImport, AppendAddsOnlyNewSteps) {
  HfImportOptions o;
  o.out = dir / "run";
  auto folders = expandHfFolders({written("run")});
  ASSERT_EQ(importHf({folders[0]}, o), (std::vector<int64_t>{100}));
  o.append = true;
  EXPECT_EQ(importHf(folders, o), (std::vector<int64_t>{200, 300}));
  EXPECT_EQ(listSeries(o.out).checkpoints.size(), 3u);
  // Another model is refused, naming the series.
  HfImportOptions other = o;
  try {
    importHf(expandHfFolders({written("bertmodel")}), other);
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("series.json"), std::string::npos) << e.what();
  }
}

TEST(TrainLog, WritesReadsAndTruncates) {
  test::ScratchDir dir;
  TrainLog log;
  log.source = "test";
  log.append(1, {{"train_loss", 5.0}, {"learning_rate", 1e-4}});
  log.append(2, {{"train_loss", 4.5}, {"grad_norm", 2.0}});
  log.append(3, {{"train_loss", 4.0}});
  EXPECT_THROW(log.append(3, {}), std::invalid_argument);
  EXPECT_TRUE(std::isnan(log.columns.at("grad_norm")[0])); // added later: earlier rows unknown
  writeTrainLog(dir.path(), log);
  auto back = readTrainLog(dir.path());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->step, log.step);
  EXPECT_EQ(back->source, "test");
  EXPECT_EQ(back->columnOrder(),
            (std::vector<std::string>{"train_loss", "learning_rate", "grad_norm"}));
  EXPECT_DOUBLE_EQ(back->columns.at("train_loss")[1], 4.5);
  back->truncateAfter(2);
  EXPECT_EQ(back->step, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(back->columns.at("train_loss").size(), 2u);
  EXPECT_FALSE(readTrainLog(dir / "nowhere"));
}

// --link: the checkpoint files refer to the sources' bytes (HDF5 external
// storage): the same tensors as a copy, a fraction of the disk, the sources
// listed in series.json; a moved or changed source is an error naming it.
TEST_F(TorchImport, LinkedImportReadsTheSourcesAndNamesAMissingOrChangedOne) {
  // A private copy of the run: this test moves and changes its files.
  fs::copy(written("run"), dir / "src", fs::copy_options::recursive);
  HfImportOptions o;
  o.out = dir / "linked";
  o.link = true;
  ASSERT_EQ(importHf(expandHfFolders({dir / "src"}), o).size(), 3u);
  expectSameTensors(o.out, safetensorsReference(dir.path()));
  uintmax_t linkedBytes = 0;
  for (const auto& c : listSeries(o.out).checkpoints)
    linkedBytes += fs::file_size(c.path);
  EXPECT_LT(linkedBytes, 3 * 40'000u); // the weights alone are 3 x ~85 KB in float32/16
  const auto linked = readSeriesMeta(o.out).provenance.at("linked_sources");
  EXPECT_EQ(linked.size(), 1u + 3u + 2u); // one .bin, three safetensors shards, two .bin shards
  CheckpointReader r100(checkpointPath(o.out, 100));
  EXPECT_NE(r100.tensor("bert.encoder.layer.0.output.dense.weight")
                .linkedSource.find("checkpoint-100/pytorch_model.bin"),
            std::string::npos);

  // A changed byte in a source: the tensor that holds it is refused, naming the source.
  const fs::path bin = dir / "src/checkpoint-100/pytorch_model.bin";
  const auto entry = r100.tensor("bert.encoder.layer.0.output.dense.weight");
  std::vector<char> data(entry.byteSize());
  {
    TorchBinFile tb(bin);
    uint64_t offset = 0;
    for (const auto& t : tb.tensors())
      if (t.ref.name == entry.name) offset = tb.fileOffset(t);
    std::fstream f(bin, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset + 10));
    f.put('\x7f');
  }
  try {
    r100.read(entry, data.data(), data.size());
    ADD_FAILURE() << "a changed source was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), fs::absolute(bin).lexically_normal().string()) << e.what();
    EXPECT_NE(std::string(e.what()).find("changed since it was imported with --link"),
              std::string::npos)
        << e.what();
  }
  // A moved source: a named error at the first read of its tensors.
  fs::rename(dir / "src/checkpoint-200", dir / "src/moved");
  CheckpointReader r200(checkpointPath(o.out, 200));
  try {
    auto e = r200.tensor("bert.embeddings.word_embeddings.weight");
    std::vector<char> bytes(e.byteSize());
    r200.read(e, bytes.data(), bytes.size());
    ADD_FAILURE() << "a missing source was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("checkpoint-200/model-0000"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
}

// The trainer replaces train_log.h5 atomically at every step while the app
// reads it. A reader that meets a replace between its own open and HDF5's
// retries, so it sees one whole log, never "changed while being opened"
// (seen in test_ui_concurrency before the retry).
TEST(TrainLogFile, ReadsWhileTheLogIsReplacedAtEveryStep) {
  test::ScratchDir dir;
  TrainLog log;
  log.source = "test";
  log.append(1, {{"train_loss", 5.0}});
  writeTrainLog(dir.path(), log);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    TrainLog grow = log;
    for (int64_t step = 2; !stop; ++step) {
      grow.append(step, {{"train_loss", 5.0 - 1e-4 * static_cast<double>(step)}});
      writeTrainLog(dir.path(), grow);
    }
  });
  int reads = 0;
  std::string error;
  for (; reads < 300 && error.empty(); ++reads) {
    try {
      auto got = readTrainLog(dir.path());
      if (!got || got->empty() || got->columns.at("train_loss").size() != got->size())
        error = "an incomplete log";
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  stop = true;
  writer.join();
  EXPECT_EQ(error, "") << "after " << reads << " reads";
}
