// A Slurm job array probing one series, run locally the way Slurm would: three
// `chrysalis-cli probe` processes at once with SLURM_ARRAY_TASK_ID/COUNT/MIN set,
// all writing into the same probe store. The store must end complete, each
// result computed exactly once, and identical to a single-process run on a copy.
// Uses only the bundled demo probe set and vocab, so it runs without ../shared.
#include "engine/bert_model.h"
#include "engine/weights.h"
#include "format/atomic_file.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <regex>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

const std::vector<int64_t> kSteps = {0, 50, 100, 150, 200, 250, 300};

fs::path makeSeries(const fs::path& dir) {
  const fs::path demo = test::sourceDir() / "resources/demo";
  format::SeriesMeta meta;
  meta.model.vocabSize = 5000; // the demo vocab
  meta.model.hiddenSize = 32;
  meta.model.numHiddenLayers = 2;
  meta.model.numAttentionHeads = 2;
  meta.model.intermediateSize = 64;
  meta.model.maxPositionEmbeddings = 128;
  meta.label = "shard-array";
  std::ifstream in(demo / "baseline/vocab.txt");
  const std::string vocab((std::istreambuf_iterator<char>(in)), {});
  const fs::path series = dir / "series";
  format::createSeries(series, meta, vocab);
  for (int64_t step : kSteps) {
    torch::manual_seed(static_cast<uint64_t>(step) + 7);
    engine::BertForMaskedLM model(meta.model);
    format::CheckpointInfo info;
    info.step = step;
    engine::saveWeights(model, format::checkpointPath(series, step), info);
  }
  return series;
}

std::string probeCommand(const fs::path& series) {
  const fs::path probeSet = test::sourceDir() / "resources/demo/probe-set.h5";
  return test::cliPath().string() + " probe " + series.string() + " --probe-set " +
         probeSet.string() + " --probes loss,uas,attn --min-relation-count 5 --threads 1";
}

// Every result file under the store, relative to it, with its contents.
std::map<std::string, format::ProbeResult> storeContents(const fs::path& series) {
  format::ProbeStore store(series);
  std::map<std::string, format::ProbeResult> out;
  for (const auto& [hash, config] : store.configs())
    for (int64_t step : store.steps(hash))
      out[hash + "/" + std::to_string(step)] = store.read(hash, step);
  return out;
}

// Equal values, with NaN ("not defined") equal to NaN.
bool sameBits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

size_t computedCount(const std::string& log) {
  size_t total = 0;
  const std::regex re("computed ([0-9]+) results");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), re); it != std::sregex_iterator();
       ++it)
    total += std::stoul((*it)[1]);
  return total;
}

} // namespace

TEST(ShardArray, ConcurrentShardsEqualOneProcess) {
  ASSERT_FALSE(test::cliPath().empty());
  test::ScratchDir dir;
  const fs::path sharded = makeSeries(dir.path());
  const fs::path single = dir / "single";
  fs::copy(sharded, single, fs::copy_options::recursive);

  // Array indices 1..3 (sbatch --array=1-3): the engine subtracts SLURM_ARRAY_TASK_MIN.
  std::string script;
  for (int id = 1; id <= 3; ++id)
    script += "SLURM_ARRAY_TASK_ID=" + std::to_string(id) +
              " SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 " + probeCommand(sharded) + " & ";
  script += "fail=0; for p in $(jobs -p); do wait $p || fail=1; done; exit $fail";
  std::string log;
  ASSERT_EQ(test::runCommand("bash -c '" + script + "'", &log), 0) << log;
  // 7 checkpoints x 3 probes, each computed by exactly one task.
  EXPECT_EQ(computedCount(log), kSteps.size() * 3) << log;

  std::string singleLog;
  ASSERT_EQ(test::runCommand(probeCommand(single), &singleLog), 0) << singleLog;
  EXPECT_EQ(computedCount(singleLog), kSteps.size() * 3);

  const auto a = storeContents(sharded);
  const auto b = storeContents(single);
  ASSERT_EQ(a.size(), kSteps.size() * 3);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [key, result] : a) {
    ASSERT_TRUE(b.count(key)) << key;
    const auto& other = b.at(key);
    ASSERT_EQ(result.scalars.size(), other.scalars.size()) << key;
    for (const auto& [name, value] : result.scalars)
      EXPECT_TRUE(sameBits(value, other.scalars.at(name))) << key << " " << name;
    EXPECT_EQ(result.strings, other.strings) << key;
    ASSERT_EQ(result.arrays.size(), other.arrays.size()) << key;
    for (const auto& [name, array] : result.arrays) {
      EXPECT_EQ(array.shape, other.arrays.at(name).shape) << key << " " << name;
      // NaN marks "not defined": compare bit patterns so NaN == NaN.
      ASSERT_EQ(array.values.size(), other.arrays.at(name).values.size());
      EXPECT_EQ(0, std::memcmp(array.values.data(), other.arrays.at(name).values.data(),
                               array.values.size() * sizeof(double)))
          << key << " " << name;
    }
  }
  // No temporary file is left behind in the shared store.
  for (const auto& entry : fs::recursive_directory_iterator(sharded / "probes"))
    EXPECT_FALSE(format::isTemporaryName(entry.path())) << entry.path();

  // Asking the array again is all cache hits.
  std::string again;
  ASSERT_EQ(test::runCommand(probeCommand(sharded), &again), 0) << again;
  EXPECT_EQ(computedCount(again), 0u) << again;
}
