// Training throughput of the real trainer (masking, batching, forward with
// logits at masked positions only, regularizer, backward, clipping, AdamW)
// on synthetic CoNLL-U data with fixed-length sentences, so that
// tests/bench/bench_train.py can run the same shapes in plain PyTorch.
// Usage: bench_train [--threads N] [--steps N] [--rounds N] [--warmup N] [--only demo|base]
// Prints one line per (model, λ): tokens per wall-clock second, tokens per
// CPU second of the process (the fair figure on a shared machine with
// --threads 1) and s/step, then the regularizer's overhead. Not a CTest test;
// build in Release.
#include "engine/heap.h"
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <time.h>

namespace fs = std::filesystem;
using namespace chrysalis;

namespace {

struct Shape {
  const char* name;
  int64_t layers, hidden, heads, ffn, vocab, batch, length;
};
// demo: the demo preset's model; base: BERT-base with a small batch.
constexpr Shape kShapes[] = {{"demo", 4, 128, 4, 512, 5000, 32, 64},
                             {"base", 12, 768, 12, 3072, 30522, 4, 128}};

// vocab.txt with one piece per word "w<k>", and sentences of length−2 such
// words with random trees, so every sequence has exactly `length` pieces.
void writeData(const fs::path& dir, const Shape& s, int sentences) {
  std::ofstream vocab(dir / "vocab.txt");
  for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
    vocab << t << "\n";
  for (int64_t k = 0; k < s.vocab - 5; ++k)
    vocab << "w" << k << "\n";
  std::ofstream out(dir / "data.conllu");
  std::mt19937_64 rng(1);
  for (int n = 0; n < sentences; ++n) {
    out << "# sent_id = " << n << "\n";
    for (int64_t i = 1; i <= s.length - 2; ++i) {
      const int64_t head =
          i == 1 ? 0 : 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(i - 1));
      out << i << "\tw" << rng() % static_cast<uint64_t>(s.vocab - 5) << "\t_\tX\t_\t_\t" << head
          << "\t" << (head == 0 ? "root" : "dep") << "\t_\t_\n";
    }
    out << "\n";
  }
}

std::unique_ptr<train::Trainer> makeTrainer(const fs::path& dir, const Shape& s, double lambda,
                                            int threads, int64_t steps) {
  auto c = train::presetConfig("tiny");
  c.model.numHiddenLayers = s.layers;
  c.model.hiddenSize = s.hidden;
  c.model.numAttentionHeads = s.heads;
  c.model.intermediateSize = s.ffn;
  c.maxSeqLength = s.length;
  c.model.maxPositionEmbeddings = s.length;
  c.batchSize = s.batch;
  c.steps = steps;
  c.warmupSteps = 1;
  c.vocabFile = (dir / "vocab.txt").string();
  c.dataFiles = {(dir / "data.conllu").string()};
  c.threads = threads;
  c.schedule = lambda > 0 ? train::Schedule::SasMinus : train::Schedule::Baseline;
  c.lambda = lambda;
  return train::Trainer::create(c, {});
}

struct Rate {
  double wall = 0; // tokens per wall-clock second
  double cpu = 0;  // tokens per CPU second of this process (robust on a busy machine)
};

double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

Rate timeSteps(train::Trainer& t, int steps) {
  int64_t tokens = 0;
  const auto start = std::chrono::steady_clock::now();
  const double cpu0 = cpuSeconds();
  for (int i = 0; i < steps; ++i)
    tokens += t.step().tokens;
  const double cpu = cpuSeconds() - cpu0;
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {static_cast<double>(tokens) / took, static_cast<double>(tokens) / cpu};
}

} // namespace

int main(int argc, char** argv) {
  engine::retainFreedMemory(); // as chrysalis-cli does (engine/heap.h)
  int threads = 2, steps = 0, warmup = 2, rounds = 5;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads"))
      threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--steps"))
      steps = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--warmup"))
      warmup = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rounds"))
      rounds = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--only"))
      only = argv[i + 1];
  }
  try {
    for (const auto& s : kShapes) {
      if (!only.empty() && only != s.name) continue;
      // Steps per round; λ = 0 and λ ≠ 0 alternate round by round and the best
      // round counts, so that a shared machine's load drifts hurt both alike.
      const int n = steps > 0 ? steps : (s.layers > 4 ? 1 : 4);
      const int64_t total = warmup + static_cast<int64_t>(rounds) * n;
      const fs::path dir =
          fs::temp_directory_path() / ("chrysalis-bench-train-" + std::string(s.name));
      fs::create_directories(dir);
      writeData(dir, s, static_cast<int>(s.batch * (total + 2)));
      const double lambdas[2] = {0.0, 0.01};
      std::unique_ptr<train::Trainer> trainers[2];
      Rate best[2];
      for (int k = 0; k < 2; ++k) {
        trainers[k] = makeTrainer(dir, s, lambdas[k], threads, total);
        for (int i = 0; i < warmup; ++i)
          trainers[k]->step();
      }
      for (int r = 0; r < rounds; ++r)
        for (int k = 0; k < 2; ++k) {
          const Rate x = timeSteps(*trainers[k], n);
          best[k].wall = std::max(best[k].wall, x.wall);
          best[k].cpu = std::max(best[k].cpu, x.cpu);
        }
      for (int k = 0; k < 2; ++k)
        std::printf(
            "cpp model=%s layers=%lld hidden=%lld batch=%lld length=%lld lambda=%g threads=%d "
            "tokens_per_s=%.1f cpu_tokens_per_s=%.1f s_per_step=%.4f (best of %d rounds of %d "
            "steps)\n",
            s.name, static_cast<long long>(s.layers), static_cast<long long>(s.hidden),
            static_cast<long long>(s.batch), static_cast<long long>(s.length), lambdas[k], threads,
            best[k].wall, best[k].cpu, static_cast<double>(s.batch * s.length) / best[k].wall,
            rounds, n);
      std::printf("cpp model=%s regularizer_overhead=%.1f%% (wall) %.1f%% (cpu)\n", s.name,
                  100.0 * (best[0].wall / best[1].wall - 1.0),
                  100.0 * (best[0].cpu / best[1].cpu - 1.0));
      std::fflush(stdout);
      fs::remove_all(dir);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_train: %s\n", e.what());
    return 1;
  }
  return 0;
}
