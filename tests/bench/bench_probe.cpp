// Probe throughput (docs/performance.md): loss + UAS sentences/s on one
// checkpoint of a 12-layer/12-head/768 model, a 6 x 8 x 512 one and the
// demo-sized model,
// against bench_probe.py (plain PyTorch from Python, same weights, inputs,
// BLAS and threads) run side by side; achieved GFLOP/s against this
// machine's measured matmul peak. With --blimp-series DIR: all 67,000 BLiMP
// pairs on that series' last checkpoint, then the same request again (cache hits).
// The twin runs twice: on the engine's length-grouped batches, and by the
// paper's protocol (corpus order, batches of 16 padded to 128 pieces).
// With --ablation: the ablation probe (top:3 and its random control) on the
// same checkpoint, its time as a multiple of loss+uas and the peak RSS.
// With --path: the path probe between this checkpoint and a second random
// one (nine loss passes), as a multiple of loss alone.
// Usage: bench_probe [--sentences N] [--only base|mid|demo] [--no-python] [--no-paper]
//                    [--blimp-series DIR [--blimp-per-task N] [--lanes N]
//                    [--pll-tokens N]] [--ablation] [--path]
#include "engine/bert_model.h"
#include "engine/cpu_threads.h"
#include "engine/heap.h"
#include "engine/log_probs.h"
#include "engine/weights.h"
#include "format/h5.h"
#include "format/series.h"
#include "probes/checkpoint_prober.h"
#include "probes/runner.h"

#include <torch/torch.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;
using namespace chrysalis;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double matmulPeak() {
  auto a = torch::randn({1024, 1024}), b = torch::randn({1024, 1024});
  torch::mm(a, b);
  double best = 1e9;
  for (int i = 0; i < 10; ++i) {
    auto t = Clock::now();
    for (int k = 0; k < 4; ++k)
      torch::mm(a, b);
    best = std::min(best, since(t) / 4);
  }
  return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
}

// Forward FLOPs of one pass over `tokens` tokens in sequences of mean length
// T, as the engine performs them: with logit rows (the loss pass) its last
// layer is pruned to those rows (keys and values still for every token).
double forwardFlops(const format::BertConfig& c, double tokens, double meanT, double logitRows) {
  const double D = static_cast<double>(c.hiddenSize), I = static_cast<double>(c.intermediateSize);
  const double perTokenLayer = 2 * (4 * D * D + 2 * D * I) + 4 * meanT * D;
  const auto L = static_cast<double>(c.numHiddenLayers);
  const double layers = logitRows > 0 ? tokens * perTokenLayer * (L - 1) +
                                            tokens * 2 * (2 * D * D) + logitRows * perTokenLayer
                                      : tokens * perTokenLayer * L;
  return layers + logitRows * 2 * (D * D + D * static_cast<double>(c.vocabSize));
}

// The Python twin's inputs. Batched as the engine batches (length-grouped),
// or, with `paper`, by the paper's protocol: sentences in corpus order, 16
// per batch, every batch padded to 128 pieces.
void writePythonInputs(const fs::path& path, const std::vector<probes::EncodedSentence>& enc,
                       const format::BertConfig& c, int64_t maskId, bool paper) {
  std::vector<size_t> lengths;
  for (const auto& e : enc)
    lengths.push_back(e.ids.size());
  std::vector<std::vector<size_t>> batches;
  if (paper) {
    for (size_t i = 0; i < enc.size(); i += 16) {
      batches.emplace_back();
      for (size_t k = i; k < std::min(enc.size(), i + 16); ++k)
        batches.back().push_back(k);
    }
  } else {
    batches = probes::lengthBatches(lengths, 64, 8192);
  }
  auto f = h5::create(path);
  h5::writeAttrInt(f, "/", "layers", c.numHiddenLayers);
  h5::writeAttrInt(f, "/", "heads", c.numAttentionHeads);
  for (size_t bi = 0; bi < batches.size(); ++bi) {
    const auto& b = batches[bi];
    int64_t T = paper ? 128 : 0;
    for (size_t i : b)
      T = std::max<int64_t>(T, static_cast<int64_t>(enc[i].ids.size()));
    const int64_t B = static_cast<int64_t>(b.size());
    std::vector<int64_t> ids(static_cast<size_t>(B * T), 0), mask(ids.size(), 0),
        masked(ids.size(), 0), wop(ids.size(), 0), len, pos, tgt;
    for (int64_t k = 0; k < B; ++k) {
      const auto& e = enc[b[static_cast<size_t>(k)]];
      const int64_t n = static_cast<int64_t>(e.ids.size());
      len.push_back(n);
      for (int64_t t = 0; t < n; ++t) {
        const size_t at = static_cast<size_t>(k * T + t);
        ids[at] = masked[at] = e.ids[static_cast<size_t>(t)];
        mask[at] = 1;
        if (t > 0 && t + 1 < n && t % 7 == 1) { // ~15% masked, like the loss probe
          masked[at] = maskId;
          pos.push_back(k * T + t);
          tgt.push_back(e.ids[static_cast<size_t>(t)]);
        }
      }
      wop[static_cast<size_t>(k * T + n - 1)] = static_cast<int64_t>(e.spans.size()) + 1;
      for (size_t w = 0; w < e.spans.size(); ++w)
        for (int32_t p = e.spans[w].begin; p < e.spans[w].end; ++p)
          wop[static_cast<size_t>(k * T + p)] = static_cast<int64_t>(w) + 1;
    }
    const std::string g = "batches/" + std::to_string(bi) + "/";
    h5::writeDatasetRaw(f, g + "ids", format::DType::I64, {B, T}, ids.data());
    h5::writeDatasetRaw(f, g + "mask", format::DType::I64, {B, T}, mask.data());
    h5::writeDatasetRaw(f, g + "masked", format::DType::I64, {B, T}, masked.data());
    h5::writeDatasetRaw(f, g + "word_of_piece", format::DType::I64, {B, T}, wop.data());
    h5::writeDatasetRaw(f, g + "lengths", format::DType::I64, {B}, len.data());
    h5::writeDatasetRaw(f, g + "positions", format::DType::I64, {static_cast<int64_t>(pos.size())},
                        pos.data());
    h5::writeDatasetRaw(f, g + "targets", format::DType::I64, {static_cast<int64_t>(tgt.size())},
                        tgt.data());
  }
}

} // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
  size_t sentences = 200;
  std::string blimpSeries; // --blimp-series DIR: time BLiMP on an existing (e.g. demo) series
  std::string only;        // --only base|mid|demo: one model
  bool python = true;      // --no-python: the C++ side alone
  int torchThreads = 0, blasThreads = 0; // --torch-threads/--blas-threads: pools set by hand
  bool retainHeap = true;
  bool paperProtocol = true; // --no-paper: skip the paper-protocol twin
  size_t blimpPerTask = 0;   // --blimp-per-task N: a subsample, for quick comparisons
  int cpuLanes = 0;          // --lanes N: forwards side by side (0 = the engine's choice)
  size_t pllTokens = 0;      // --pll-tokens N: padded tokens per forward (0 = the default)
  bool ablation = false;     // --ablation: time the ablation probe too
  bool path = false;         // --path: time the path probe too
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--blimp-series") blimpSeries = argv[i + 1];
    if (std::string(argv[i]) == "--blimp-per-task") blimpPerTask = std::stoul(argv[i + 1]);
    if (std::string(argv[i]) == "--lanes") cpuLanes = std::stoi(argv[i + 1]);
    if (std::string(argv[i]) == "--pll-tokens") pllTokens = std::stoul(argv[i + 1]);
  }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--sentences" && i + 1 < argc) sentences = std::stoul(argv[++i]);
    if (a == "--only" && i + 1 < argc) only = argv[++i];
    if (a == "--no-python") python = false;
    if (a == "--torch-threads" && i + 1 < argc) torchThreads = std::stoi(argv[++i]);
    if (a == "--blas-threads" && i + 1 < argc) blasThreads = std::stoi(argv[++i]);
    if (a == "--plain-heap") retainHeap = false;
    if (a == "--no-paper") paperProtocol = false;
    if (a == "--ablation") ablation = true;
    if (a == "--path") path = true;
  }
  // As chrysalis-cli does (engine/heap.h); --plain-heap measures without it.
  if (retainHeap) engine::retainFreedMemory();
  const fs::path data = CHRYSALIS_SHARED_DATA;
  const fs::path root = fs::temp_directory_path() / "chrysalis-bench-probe";
  fs::remove_all(root);
  fs::create_directories(root);
  const auto pools = torchThreads > 0 || blasThreads > 0
                         ? engine::configureCpuThreads(torchThreads, blasThreads)
                         : engine::configureCpuThreads(2);
  std::printf("threads: LibTorch %d, BLAS %d\n", pools.torch, pools.blas);
  // The peak moves by up to 20% between measurements on a shared VM; each
  // model's share is taken against the highest measured before or after it.
  double peak = matmulPeak();
  std::printf("matmul peak (1024^2, 2 threads): %.1f GFLOP/s\n", peak);

  const fs::path vocabFile = data / "vocab/bert-base-uncased-vocab.txt";
  text::WordPieceTokenizer tok(text::Vocab::load(vocabFile));
  probes::ProbeSetOptions po;
  po.maxSentences = sentences;
  po.maxPieces = 128;
  auto set = probes::buildProbeSet({data / "ud/UD_English-EWT/en_ewt-ud-dev.conllu"}, tok, po);
  probes::saveProbeSet(set, root / "probe.h5");
  std::ifstream vin(vocabFile);
  const std::string vocab((std::istreambuf_iterator<char>(vin)), {});

  struct Model {
    const char* name;
    int64_t layers, heads, hidden;
  };
  if (!blimpSeries.empty()) {
    // BLiMP, all pairs, on a real series' last checkpoint with weights (its own vocabulary).
    auto listing = format::listSeries(blimpSeries);
    int64_t step = -1;
    for (const auto& c : listing.checkpoints)
      if (c.hasWeights) step = c.step;
    const fs::path copy = root / "blimp-series";
    fs::create_directories(copy / "checkpoints");
    fs::copy_file(fs::path(blimpSeries) / "series.json", copy / "series.json");
    fs::copy_file(format::vocabPath(blimpSeries, listing.meta),
                  format::vocabPath(copy, listing.meta));
    fs::copy_file(format::checkpointPath(blimpSeries, step), format::checkpointPath(copy, step));
    text::WordPieceTokenizer own(text::Vocab::load(format::vocabPath(copy, listing.meta)));
    auto ownSet = probes::buildProbeSet({data / "ud/UD_English-EWT/en_ewt-ud-dev.conllu"}, own, po);
    probes::saveProbeSet(ownSet, root / "own-probe.h5");
    probes::RunRequest req;
    req.series = copy;
    req.probeSet = root / "own-probe.h5";
    req.blimpDir = data / "blimp";
    req.kinds = {"blimp"};
    req.threads = 2;
    req.prober.blimpPerTask = blimpPerTask;
    req.prober.cpuLanes = cpuLanes;
    if (pllTokens > 0) req.prober.pllTokens = pllTokens;
    {
      // One pseudo-likelihood forward as the BLiMP pass makes it (146 masked
      // copies of 14 pieces, the last layer pruned to the masked rows, one
      // thread each), on the engine's path (attention kernels, the first
      // projection shared, the last layer folded) and on the reference path
      // (ForwardOptions::referenceKernels), alternating, best of 15 each.
      const engine::ScopedBlasThreads oneBlasThread(1);
      torch::InferenceMode inference;
      engine::BertForMaskedLM model(listing.meta.model);
      engine::loadWeights(model, format::checkpointPath(copy, step));
      const int64_t B = 146, T = 14;
      torch::manual_seed(3);
      // Masked copies as the PLL makes them: each of 13 random sentences
      // once per inner piece, that piece replaced by [MASK].
      const int64_t maskId =
          text::Vocab::load(format::vocabPath(copy, listing.meta)).specials().mask;
      auto texts = torch::randint(5, listing.meta.model.vocabSize, {B / (T - 2) + 1, T});
      auto ids = torch::empty({B, T}, torch::kLong);
      for (int64_t b = 0; b < B; ++b) {
        ids[b] = texts[b / (T - 2)];
        ids[b][1 + b % (T - 2)] = maskId;
      }
      auto mask = torch::ones({B, T}, torch::kLong);
      std::vector<int64_t> rows;
      for (int64_t b = 0; b < B; ++b)
        rows.push_back(b * T + 1 + b % (T - 2)); // the masked piece
      auto targets = texts.index_select(0, torch::div(torch::arange(B), T - 2, "floor"))
                         .gather(1, (torch::arange(B) % (T - 2) + 1).unsqueeze(1))
                         .squeeze(1); // the masked pieces
      double best[2] = {1e9, 1e9};
      for (int rep = 0; rep < 15; ++rep)
        for (int reference = 0; reference < 2; ++reference) {
          engine::ForwardOptions o;
          o.logitPositions = torch::tensor(rows, torch::kLong);
          o.pruneLastLayer = true;
          o.referenceKernels = reference == 1;
          auto t = Clock::now();
          auto out = model.forward(ids, mask, {}, o);
          engine::targetLogProbs(out.logits, targets);
          best[reference] = std::min(best[reference], since(t));
        }
      std::printf("one PLL forward (%lld copies x %lld pieces, 1 thread): engine path "
                  "%.2f ms, reference path %.2f ms: %.2fx\n",
                  static_cast<long long>(B), static_cast<long long>(T), best[0] * 1e3,
                  best[1] * 1e3, best[1] / best[0]);
    }
    auto t0 = Clock::now();
    probes::runProbes(req, {}, nullptr);
    const double full = since(t0);
    auto t1 = Clock::now();
    auto again = probes::runProbes(req, {}, nullptr);
    const double cached = since(t1);
    std::printf("BLiMP, %s pairs, %s step %lld (%lld layers, hidden %lld, vocab %lld): %.1f s; "
                "asked again: %.3f s (%zu cache hits) = %.0fx faster  [goal >= 100x]\n",
                blimpPerTask ? (std::to_string(blimpPerTask) + " per task").c_str() : "all 67,000",
                blimpSeries.c_str(), static_cast<long long>(step),
                static_cast<long long>(listing.meta.model.numHiddenLayers),
                static_cast<long long>(listing.meta.model.hiddenSize),
                static_cast<long long>(listing.meta.model.vocabSize), full, cached, again.cached,
                full / cached);
    fs::remove_all(root);
    return 0;
  }
  for (const Model m :
       {Model{"base", 12, 12, 768}, Model{"mid", 6, 8, 512}, Model{"demo", 4, 4, 128}}) {
    if (!only.empty() && only != m.name) continue;
    format::BertConfig c;
    c.numHiddenLayers = m.layers;
    c.numAttentionHeads = m.heads;
    c.hiddenSize = m.hidden;
    c.intermediateSize = 4 * m.hidden;
    c.maxPositionEmbeddings = 128;
    format::SeriesMeta meta;
    meta.model = c;
    const fs::path series = root / (std::to_string(m.layers) + "-" + std::to_string(m.hidden));
    format::createSeries(series, meta, vocab);
    engine::BertForMaskedLM model(c);
    format::CheckpointInfo info;
    engine::saveWeights(model, format::checkpointPath(series, 0), info);

    probes::ProberOptions opts;
    opts.cpuLanes = cpuLanes;
    opts.uas.minRelationCount = 20;
    probes::CheckpointProber prober(set, tok, 128, nullptr, opts);
    prober.run(model, {"loss"}); // warm-up
    auto t = Clock::now();
    auto r = prober.run(model, {"loss", "uas"});
    const double cpp = since(t);

    auto enc = probes::encodeProbeSet(set, tok, 128);
    // The twin twice: batched as the engine batches, and by the paper's protocol.
    auto pythonSeconds = [&](bool paper) {
      writePythonInputs(root / "inputs.h5", enc, c, tok.vocab().specials().mask, paper);
      const std::string cmd =
          "/usr/bin/python3 " + std::string(CHRYSALIS_SOURCE_DIR) + "/tests/bench/bench_probe.py " +
          format::checkpointPath(series, 0).string() + " " + (root / "inputs.h5").string() + " 2";
      double seconds = 0;
      if (FILE* p = python ? popen(cmd.c_str(), "r") : nullptr) {
        char line[256];
        while (fgets(line, sizeof line, p))
          std::sscanf(line, "python_seconds %lf", &seconds);
        pclose(p);
      }
      return seconds;
    };
    const double peakAfter = matmulPeak();
    if (peakAfter > peak)
      std::printf("matmul peak measured again: %.1f GFLOP/s (was %.1f)\n", peakAfter, peak);
    peak = std::max(peak, peakAfter);
    const double py = pythonSeconds(false);
    const double pyPaper = paperProtocol ? pythonSeconds(true) : 0.0;
    double tokens = 0;
    for (const auto& e : enc)
      tokens += static_cast<double>(e.ids.size());
    const double flops = forwardFlops(c, tokens, tokens / static_cast<double>(enc.size()),
                                      r["loss"].scalars["loss_tokens"]) +
                         forwardFlops(c, tokens, tokens / static_cast<double>(enc.size()), 0);
    std::printf("%dx%dx%d (%s): %zu sentences, loss+uas in %.2f s = %.1f sentences/s (%.1f GFLOP/s "
                "= %.0f%% "
                "of peak); python, same batches %.2f s: %.2fx  [goal >= 1.5x]",
                static_cast<int>(m.layers), static_cast<int>(m.heads), static_cast<int>(m.hidden),
                m.name, set.sentences.size(), cpp, static_cast<double>(set.sentences.size()) / cpp,
                flops / cpp / 1e9, 100 * flops / cpp / 1e9 / peak, py, py / cpp);
    if (pyPaper > 0)
      std::printf("; python, paper's protocol (corpus order, batch 16, padded to 128) %.2f s: "
                  "%.2fx  [goal >= 5x on 6x8x512]",
                  pyPaper, pyPaper / cpp);
    std::printf("\n");
    if (path) {
      engine::BertForMaskedLM other(c);
      auto tl = Clock::now();
      prober.loss(model, nullptr);
      const double lossSeconds = since(tl);
      auto tp = Clock::now();
      auto pr = prober.path(model, other, nullptr);
      const double seconds = since(tp);
      std::printf("%dx%dx%d (%s): path (9 points) in %.2f s = %.1fx one loss pass (%.2f s); "
                  "barrier above the chord %.3f\n",
                  static_cast<int>(m.layers), static_cast<int>(m.heads), static_cast<int>(m.hidden),
                  m.name, seconds, seconds / lossSeconds, lossSeconds,
                  pr.scalars["path_barrier_chord"]);
    }
    if (ablation) {
      opts.ablation.heads = "top:3";
      probes::CheckpointProber ablator(set, tok, 128, nullptr, opts);
      auto ta = Clock::now();
      auto a = ablator.run(model, {"ablation"});
      const double seconds = since(ta);
      rusage usage{};
      getrusage(RUSAGE_SELF, &usage);
      std::printf("%dx%dx%d (%s): ablation top:3 + control in %.2f s = %.1fx loss+uas (loss delta "
                  "%+.3f, control %+.3f); peak RSS so far %.0f MiB\n",
                  static_cast<int>(m.layers), static_cast<int>(m.heads), static_cast<int>(m.hidden),
                  m.name, seconds, seconds / cpp, a["ablation"].scalars["ablation_loss_delta"],
                  a["ablation"].scalars["ablation_control_loss_delta"],
                  static_cast<double>(usage.ru_maxrss) / 1024.0);
    }
  }
  fs::remove_all(root);
  return 0;
}
