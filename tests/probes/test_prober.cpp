// Probes on a real probe set (EWT dev) with small random BERTs using the real
// bert-base-uncased vocabulary: results do not depend on batching or order,
// a second run is all cache hits, a lost result is recomputed identically,
// and the PLL equals the one computed by hand from full logits.
#include "engine/bert_model.h"
#include "engine/weights.h"
#include "engine_fixture.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "probes/checkpoint_prober.h"
#include "probes/masked_copies.h"
#include "probes/runner.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

struct ProbeFixture : ::testing::Test {
  void SetUp() override {
    if (test::sharedData().empty()) GTEST_SKIP() << "no ../shared/data";
    vocabFile = test::sharedData() / "vocab/bert-base-uncased-vocab.txt";
    tokenizer = std::make_unique<text::WordPieceTokenizer>(text::Vocab::load(vocabFile));
    probes::ProbeSetOptions o;
    o.maxSentences = 40;
    o.maxPieces = 48;
    o.seed = 5;
    set = probes::buildProbeSet({test::sharedData() / "ud/UD_English-EWT/en_ewt-ud-dev.conllu"},
                                *tokenizer, o);
    probes::saveProbeSet(set, dir / "probe.h5");

    config.vocabSize = 30522;
    config.hiddenSize = 32;
    config.numHiddenLayers = 2;
    config.numAttentionHeads = 2;
    config.intermediateSize = 64;
    config.maxPositionEmbeddings = 48;
    format::SeriesMeta meta;
    meta.model = config;
    meta.label = "probe-test";
    std::ifstream in(vocabFile);
    std::string vocab((std::istreambuf_iterator<char>(in)), {});
    series = dir / "series";
    format::createSeries(series, meta, vocab);
    for (int64_t step : {0, 100, 200}) {
      torch::manual_seed(static_cast<uint64_t>(step) + 1);
      engine::BertForMaskedLM m(config);
      format::CheckpointInfo info;
      info.step = step;
      engine::saveWeights(m, format::checkpointPath(series, step), info);
    }
  }
  engine::BertForMaskedLM model(int64_t step) {
    engine::BertForMaskedLM m(config);
    engine::loadWeights(m, format::checkpointPath(series, step));
    return m;
  }
  test::ScratchDir dir;
  fs::path vocabFile, series;
  std::unique_ptr<text::WordPieceTokenizer> tokenizer;
  probes::ProbeSet set;
  format::BertConfig config;
};

probes::ProberOptions smallOptions() {
  probes::ProberOptions o;
  o.uas.minRelationCount = 5;
  o.twonnPoints = 40;
  return o;
}

} // namespace

TEST_F(ProbeFixture, ProbeSetRoundTripsWithItsHash) {
  EXPECT_EQ(set.sentences.size(), 40u);
  auto back = probes::loadProbeSet(dir / "probe.h5");
  EXPECT_EQ(back.hash(), set.hash());
  EXPECT_EQ(back.sentences[3].relations, set.sentences[3].relations);
  // Deterministic: the same seed picks the same sentences.
  probes::ProbeSetOptions o;
  o.maxSentences = 40;
  o.maxPieces = 48;
  o.seed = 5;
  auto again = probes::buildProbeSet(
      {test::sharedData() / "ud/UD_English-EWT/en_ewt-ud-dev.conllu"}, *tokenizer, o);
  EXPECT_EQ(again.hash(), set.hash());
  o.seed = 6;
  EXPECT_NE(probes::buildProbeSet({test::sharedData() / "ud/UD_English-EWT/en_ewt-ud-dev.conllu"},
                                  *tokenizer, o)
                .hash(),
            set.hash());
}

TEST_F(ProbeFixture, ResultsDoNotDependOnBatching) {
  auto m = model(100);
  auto one = smallOptions(), many = smallOptions();
  one.maxBatch = 1;
  many.maxBatch = 64;
  probes::CheckpointProber a(set, *tokenizer, 48, nullptr, one),
      b(set, *tokenizer, 48, nullptr, many);
  std::set<std::string> kinds{"loss", "uas", "attn", "twonn", "ngram"};
  auto ra = a.run(m, kinds), rb = b.run(m, kinds);
  EXPECT_DOUBLE_EQ(ra["uas"].scalars["uas"], rb["uas"].scalars["uas"]);
  EXPECT_EQ(ra["uas"].arrays["uas/accuracy"].values, rb["uas"].arrays["uas/accuracy"].values);
  EXPECT_NEAR(ra["loss"].scalars["loss"], rb["loss"].scalars["loss"], 1e-5);
  EXPECT_NEAR(ra["attn"].scalars["attn_entropy"], rb["attn"].scalars["attn_entropy"], 1e-5);
  EXPECT_NEAR(ra["twonn"].scalars["twonn_id"], rb["twonn"].scalars["twonn_id"], 1e-3);
  EXPECT_EQ(ra["ngram"].arrays["ngram/accuracy"].values.size(), 9u);
  // A random model scores well below a trained one but the numbers are sane.
  EXPECT_GT(ra["uas"].scalars["uas"], 0.0);
  EXPECT_LT(ra["uas"].scalars["uas"], 1.0);
  EXPECT_GT(ra["loss"].scalars["loss"], 5.0); // ~ln(30522) = 10.3 for random weights
}

// Batches of the fixture's real sentences (EWT dev, BERT pieces): every
// sentence once, the limits held, and padding capped, which splits off the
// long tail that a 64-sentence batch would pad to its longest.
TEST_F(ProbeFixture, LengthBatchesCapPadding) {
  std::vector<size_t> lengths;
  for (const auto& e : probes::encodeProbeSet(set, *tokenizer, 48))
    lengths.push_back(e.ids.size());
  ASSERT_GT(*std::max_element(lengths.begin(), lengths.end()),
            2 * *std::min_element(lengths.begin(), lengths.end())); // lengths vary
  auto padding = [&](const std::vector<size_t>& batch, size_t* real) {
    size_t longest = 0;
    *real = 0;
    for (size_t i : batch) {
      longest = std::max(longest, lengths[i]);
      *real += lengths[i];
    }
    return longest * batch.size();
  };
  for (double share : {0.15, 0.5}) {
    const auto batches = probes::lengthBatches(lengths, 16, 512, share);
    std::vector<int> seen(lengths.size(), 0);
    for (const auto& b : batches) {
      size_t real = 0;
      const size_t padded = padding(b, &real);
      EXPECT_LE(b.size(), 16u);
      EXPECT_LE(padded, 512u);
      if (b.size() > 1) {
        EXPECT_LE(static_cast<double>(padded), (1 + share) * static_cast<double>(real)) << share;
      }
      for (size_t i : b)
        ++seen[i];
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(lengths.size()));
  }
  // Without the cap (the old batching) the same sentences carry more padding.
  size_t paddedCapped = 0, paddedOpen = 0, real = 0;
  for (const auto& b : probes::lengthBatches(lengths, 16, 512))
    paddedCapped += padding(b, &real);
  for (const auto& b : probes::lengthBatches(lengths, 16, 512, 1e9))
    paddedOpen += padding(b, &real);
  EXPECT_LT(paddedCapped, paddedOpen);
}

// The pseudo-log-likelihood by hand: one forward per masked piece, LibTorch's
// log_softmax over the whole vocabulary.
double handPseudoLogLikelihood(engine::BertForMaskedLM& m, const std::vector<int64_t>& seq,
                               int64_t maskId) {
  double sum = 0;
  for (size_t t = 1; t + 1 < seq.size(); ++t) {
    auto masked = seq;
    masked[t] = maskId;
    auto logits = m.forward(torch::tensor(masked).unsqueeze(0)).logits[0][static_cast<int64_t>(t)];
    sum += torch::log_softmax(logits, -1)[seq[t]].item<double>();
  }
  return sum;
}

// The prober's pseudo-log-likelihoods of `seqs`, each checked against the hand computation.
std::vector<double> pseudoLogLikelihoodCheckedByHand(const probes::CheckpointProber& p,
                                                     engine::BertForMaskedLM& m,
                                                     const std::vector<std::vector<int64_t>>& seqs,
                                                     int64_t maskId) {
  torch::NoGradGuard noGrad;
  auto pll = p.pseudoLogLikelihood(m, seqs, nullptr);
  for (size_t s = 0; s < seqs.size(); ++s)
    EXPECT_NEAR(pll[s], handPseudoLogLikelihood(m, seqs[s], maskId), 1e-3) << s;
  return pll;
}

TEST_F(ProbeFixture, PseudoLogLikelihoodEqualsHandComputation) {
  auto m = model(200);
  probes::CheckpointProber p(set, *tokenizer, 48, nullptr, smallOptions());
  auto a = tokenizer->encode("the cat sat on the mat .", 48).ids;
  auto b = tokenizer->encode("colorless green ideas", 48).ids;
  std::vector<std::vector<int64_t>> seqs{{a.begin(), a.end()}, {b.begin(), b.end()}};
  pseudoLogLikelihoodCheckedByHand(p, m, seqs, tokenizer->vocab().specials().mask);
}

// Copies that coincide are forwarded once (probes/masked_copies.h): a
// one-word substitution (the pair's copies masked at that word are one
// copy, read for both words) and a repeated sentence must still give each
// sequence its hand-computed pseudo-log-likelihood.
TEST_F(ProbeFixture, PseudoLogLikelihoodOfSharedCopiesEqualsHandComputation) {
  auto m = model(200);
  probes::CheckpointProber p(set, *tokenizer, 48, nullptr, smallOptions());
  std::vector<std::vector<int64_t>> seqs;
  for (const char* text : {"the cat sat on the mat .", "the dog sat on the mat .",
                           "the cat sat on the mat .", "a cat sat on the mat ."}) {
    auto ids = tokenizer->encode(text, 48).ids;
    seqs.emplace_back(ids.begin(), ids.end());
  }
  ASSERT_EQ(seqs[0].size(), seqs[1].size()); // cat and dog are one piece each
  ASSERT_EQ(seqs[0].size(), seqs[3].size());
  // 0's copies; 1's and 3's except at the word they differ from 0 in; none of 2's.
  const size_t pieces = seqs[0].size() - 2;
  ASSERT_EQ(probes::planMaskedCopies(seqs).forwards.size(), pieces + 2 * (pieces - 1));
  auto pll = pseudoLogLikelihoodCheckedByHand(p, m, seqs, tokenizer->vocab().specials().mask);
  EXPECT_NE(pll[0], pll[1]);
  EXPECT_EQ(pll[0], pll[2]);
}

// The laned CPU path (forwards side by side, one BLAS thread each) and the
// chunk size must not change the values: checked against one lane with
// whole-batch chunks, on the 40 UD sentences of mixed lengths.
TEST_F(ProbeFixture, PseudoLogLikelihoodDoesNotDependOnLanesOrChunks) {
  auto m = model(100);
  std::vector<std::vector<int64_t>> seqs;
  for (const auto& s : set.sentences) {
    std::string text;
    for (const auto& w : s.words)
      text += w + " ";
    auto ids = tokenizer->encode(text, 48).ids;
    seqs.emplace_back(ids.begin(), ids.end());
  }
  auto serial = smallOptions(), laned = smallOptions();
  serial.cpuLanes = 1;
  serial.pllTokens = 1 << 20;
  laned.cpuLanes = 2;
  laned.pllTokens = 100; // many small chunks, some of two lengths
  probes::CheckpointProber a(set, *tokenizer, 48, nullptr, serial),
      b(set, *tokenizer, 48, nullptr, laned);
  torch::NoGradGuard noGrad;
  const auto want = a.pseudoLogLikelihood(m, seqs, nullptr);
  const auto got = b.pseudoLogLikelihood(m, seqs, nullptr);
  ASSERT_EQ(got.size(), seqs.size());
  for (size_t s = 0; s < seqs.size(); ++s) {
    EXPECT_LT(want[s], -1.0) << s; // a random model: every piece costs
    EXPECT_NEAR(got[s], want[s], 1e-4 * std::abs(want[s])) << s;
  }
}

// The held-out loss on one lane and on two (forwards side by side): the
// per-batch sums are added in batch order, so lanes change nothing.
TEST_F(ProbeFixture, LossDoesNotDependOnLanes) {
  auto m = model(200);
  auto one = smallOptions(), two = smallOptions();
  one.cpuLanes = 1;
  two.cpuLanes = 2;
  one.maxBatch = two.maxBatch = 4; // ten batches to share out
  probes::CheckpointProber a(set, *tokenizer, 48, nullptr, one),
      b(set, *tokenizer, 48, nullptr, two);
  auto ra = a.run(m, {"loss"}), rb = b.run(m, {"loss"});
  EXPECT_GT(ra["loss"].scalars["loss_tokens"], 40.0);
  EXPECT_EQ(ra["loss"].scalars["loss_tokens"], rb["loss"].scalars["loss_tokens"]);
  EXPECT_NEAR(ra["loss"].scalars["loss"], rb["loss"].scalars["loss"], 1e-9);
  EXPECT_EQ(ra["loss"].scalars["mlm_accuracy"], rb["loss"].scalars["mlm_accuracy"]);
}

TEST_F(ProbeFixture, RunnerCachesAndRecomputesOnlyWhatIsMissing) {
  probes::RunRequest req;
  req.series = series;
  req.probeSet = dir / "probe.h5";
  req.kinds = {"loss", "uas", "attn"};
  req.prober = smallOptions();
  auto first = probes::runProbes(req, {}, nullptr);
  EXPECT_EQ(first.computed, 9u);
  EXPECT_EQ(first.cached, 0u);

  // Asking again is all cache hits: no checkpoint is even loaded.
  std::vector<probes::ProgressEvent> events;
  auto second = probes::runProbes(
      req, [&](const probes::ProgressEvent& e) { events.push_back(e); }, nullptr);
  EXPECT_EQ(second.computed, 0u);
  EXPECT_EQ(second.cached, 9u);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](auto& e) { return e.type == probes::ProgressEvent::Type::CacheHit; }),
            3);

  // A result lost (e.g. a kill before it was published) is recomputed, identically.
  format::ProbeStore store(series);
  const auto uasHash = first.configHashes.at("uas");
  const auto before = store.read(uasHash, 100);
  fs::remove(store.resultPath(uasHash, 100));
  req.order = probes::StepOrder::CoarseToFine;
  auto third = probes::runProbes(req, {}, nullptr);
  EXPECT_EQ(third.computed, 1u);
  const auto after = store.read(uasHash, 100);
  EXPECT_EQ(before.arrays.at("uas/accuracy").values, after.arrays.at("uas/accuracy").values);
  EXPECT_EQ(before.scalars, after.scalars);
}

TEST_F(ProbeFixture, CancellationKeepsFinishedResults) {
  probes::RunRequest req;
  req.series = series;
  req.probeSet = dir / "probe.h5";
  req.kinds = {"uas"};
  req.prober = smallOptions();
  std::atomic<bool> cancel{false};
  auto s = probes::runProbes(
      req,
      [&](const probes::ProgressEvent& e) {
        if (e.type == probes::ProgressEvent::Type::StepDone)
          cancel = true; // stop after the first step
      },
      &cancel);
  EXPECT_TRUE(s.cancelled);
  EXPECT_EQ(s.computed, 1u);
  EXPECT_EQ(format::ProbeStore(series).steps(s.configHashes.at("uas")).size(), 1u);
}

TEST_F(ProbeFixture, BlimpOnASubsample) {
  probes::ProberOptions o = smallOptions();
  o.blimpPerTask = 2;
  auto suite = text::BlimpSuite::loadDirectory(test::sharedData() / "blimp");
  probes::CheckpointProber p(set, *tokenizer, 48, &suite, o);
  auto m = model(0);
  auto r = p.run(m, {"blimp"});
  const auto& b = r.at("blimp");
  EXPECT_EQ(b.arrays.at("blimp/task_accuracy").values.size(), 67u);
  EXPECT_EQ(b.arrays.at("blimp/pll_good").values.size(), 134u);
  EXPECT_GE(b.scalars.at("blimp"), 0.0);
  EXPECT_LE(b.scalars.at("blimp"), 1.0);
  EXPECT_EQ(b.strings.at("blimp/tasks").size(), 67u);
}

TEST(CoarseToFine, CoarseStepsComeFirst) {
  std::vector<int64_t> steps;
  for (int64_t i = 0; i < 40; ++i)
    steps.push_back(i * 10);
  auto o = probes::coarseToFine(steps);
  ASSERT_EQ(o.size(), steps.size());
  EXPECT_EQ((std::vector<int64_t>(o.begin(), o.begin() + 4)),
            (std::vector<int64_t>{0, 160, 320, 390}));
  std::sort(o.begin(), o.end());
  EXPECT_EQ(o, steps);
}

TEST(CoarseToFine, FirstStepIsTheNewestCheckpointAtOrBefore) {
  const std::vector<int64_t> steps{0, 100, 200, 300};
  EXPECT_EQ(probes::nearestAtOrBefore(steps, 250), 200);
  EXPECT_EQ(probes::nearestAtOrBefore(steps, 300), 300);
  EXPECT_EQ(probes::nearestAtOrBefore({100, 200}, 50), 100); // before them all: the first
  EXPECT_EQ(probes::nearestAtOrBefore({}, 50), -1);
  EXPECT_EQ(probes::moveToFront(probes::coarseToFine(steps), 200),
            (std::vector<int64_t>{200, 0, 300, 100}));
  EXPECT_EQ(probes::moveToFront({0, 300}, 200), (std::vector<int64_t>{0, 300})); // not ours
}

// A series imported from BertModel checkpoints (no cls.predictions.*): the
// probes that read logits say why they cannot run, the others run.
TEST_F(ProbeFixture, HeadlessSeriesSkipsTheProbesThatNeedLogits) {
  fs::path headless = dir / "headless";
  auto meta = format::readSeriesMeta(series);
  meta.hasMlmHead = false;
  std::ifstream in(vocabFile);
  format::createSeries(headless, meta, std::string((std::istreambuf_iterator<char>(in)), {}));
  for (int64_t step : {0, 100}) {
    format::CheckpointReader r(format::checkpointPath(series, step));
    std::vector<std::vector<char>> bytes;
    std::vector<format::TensorBlob> blobs;
    auto entries = r.tensors();
    bytes.reserve(entries.size());
    for (const auto& e : entries) {
      if (format::isMlmHeadParameter(e.name)) continue;
      bytes.emplace_back(e.byteSize());
      r.read(e, bytes.back().data(), bytes.back().size());
      blobs.push_back({e.name, e.dtype, e.shape, bytes.back().data()});
    }
    format::writeCheckpoint(format::checkpointPath(headless, step), r.info(), blobs);
  }
  probes::RunRequest req;
  req.series = headless;
  req.probeSet = dir / "probe.h5";
  req.kinds = {"loss", "uas"};
  req.prober = smallOptions();
  auto summary = probes::runProbes(req, {}, nullptr);
  EXPECT_EQ(summary.computed, 2u); // uas at two steps
  ASSERT_EQ(summary.skipped.count("loss"), 1u);
  EXPECT_NE(summary.skipped["loss"].find("no MLM head"), std::string::npos);
  // UAS equals the full model's: the encoder is the same.
  req.series = series;
  req.kinds = {"uas"};
  probes::runProbes(req, {}, nullptr);
  format::ProbeStore a(headless), b(series);
  const auto hash = summary.configHashes.at("uas");
  EXPECT_EQ(a.read(hash, 100).scalars, b.read(hash, 100).scalars);

  req.series = headless;
  req.kinds = {"loss", "blimp"};
  const std::string error = test::errorOf([&] { probes::runProbes(req, {}, nullptr); });
  EXPECT_NE(error.find("no MLM head"), std::string::npos) << error;
  EXPECT_NE(error.find("series.json"), std::string::npos) << error;
}
