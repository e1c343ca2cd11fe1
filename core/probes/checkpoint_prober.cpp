#include "probes/checkpoint_prober.h"

#include "engine/bert_model.h"
#include "engine/cpu_threads.h"
#include "engine/log_probs.h"
#include "probes/attention_shape.h"
#include "probes/head_choice.h"
#include "text/splitmix.h"

#include <torch/torch.h>

#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <numeric>
#include <thread>

namespace chrysalis::probes {

namespace {

bool cancelled(const std::atomic<bool>* c) {
  return c && c->load();
}

struct Batch {
  torch::Tensor ids, mask;
  int64_t T = 0;
};

// Pads sequences with `pad` into [B, T] ids and a 1/0 attention mask.
Batch pack(const std::vector<const std::vector<int64_t>*>& seqs, int64_t pad) {
  Batch b;
  for (auto* s : seqs)
    b.T = std::max<int64_t>(b.T, static_cast<int64_t>(s->size()));
  const int64_t B = static_cast<int64_t>(seqs.size());
  b.ids = torch::full({B, b.T}, pad, torch::kLong);
  b.mask = torch::zeros({B, b.T}, torch::kLong);
  auto ids = b.ids.accessor<int64_t, 2>();
  auto mask = b.mask.accessor<int64_t, 2>();
  for (int64_t i = 0; i < B; ++i)
    for (size_t t = 0; t < seqs[static_cast<size_t>(i)]->size(); ++t) {
      ids[i][static_cast<int64_t>(t)] = (*seqs[static_cast<size_t>(i)])[t];
      mask[i][static_cast<int64_t>(t)] = 1;
    }
  return b;
}

// The probe sentences' lengths in pieces, and a batch of them packed.
std::vector<size_t> encodedLengths(const std::vector<EncodedSentence>& encoded) {
  std::vector<size_t> lengths;
  for (const auto& e : encoded)
    lengths.push_back(e.ids.size());
  return lengths;
}
Batch packEncoded(const std::vector<EncodedSentence>& encoded, const std::vector<size_t>& batch,
                  int64_t pad) {
  std::vector<const std::vector<int64_t>*> seqs;
  for (size_t i : batch)
    seqs.push_back(&encoded[i].ids);
  return pack(seqs, pad);
}

// Options with the mask's heads ablated (none when the mask is empty).
engine::ForwardOptions masked(const HeadMask& mask) {
  engine::ForwardOptions o;
  o.headKeep = mask.keep;
  o.headFill = mask.fill;
  return o;
}

// Sentence k of a batch's stacked maps A [L,B,H,T,T], cut to its Tb pieces:
// [L*H, Tb, Tb], contiguous.
torch::Tensor sentenceAttention(const torch::Tensor& A, int64_t k, int64_t Tb) {
  return A.select(1, k)
      .slice(2, 0, Tb)
      .slice(3, 0, Tb)
      .reshape({A.size(0) * A.size(2), Tb, Tb})
      .contiguous();
}

// Log-probabilities of `targets` at the masked positions (one per row).
torch::Tensor targetLogProbs(engine::BertForMaskedLM& model, const Batch& b,
                             const std::vector<int64_t>& flatPositions,
                             const std::vector<int64_t>& targets, const HeadMask& mask) {
  engine::ForwardOptions o = masked(mask);
  const auto device = model.device();
  o.logitPositions = torch::tensor(flatPositions, torch::kLong).to(device);
  o.pruneLastLayer = true; // only the masked rows are needed
  auto out = model.forward(b.ids.to(device), b.mask.to(device), {}, o);
  auto t = torch::tensor(targets, torch::kLong).to(device);
  return engine::targetLogProbs(out.logits.to(torch::kFloat), t).to(torch::kCPU, torch::kDouble);
}

// Forwards side by side on the CPU: LibTorch runs element-wise steps on one
// thread here while BLAS holds every core (engine/cpu_threads.h), so whole
// forwards on one lane per BLAS thread, each with a one-thread BLAS, keep
// every core computing (docs/performance.md, "BLiMP, all 67,000 pairs").
// `requested` > 0 sets the lanes; 1 on a GPU. By default only small models
// get lanes: measured on 2 cores, loss+UAS at hidden 128 gained, at 512 and
// 768 lost 6-10% (two large forwards share the caches and memory bandwidth),
// and BLiMP's pseudo-likelihood at 128 gained 1.45x.
constexpr int64_t kLanesUpToHidden = 256;
int lanesFor(engine::BertForMaskedLM& model, int requested) {
  if (!model.device().is_cpu()) return 1;
  if (requested > 0) return requested;
  if (model.config().hiddenSize > kLanesUpToHidden) return 1;
  return std::max(1, engine::blasThreads());
}

// Calls work(i) for i in [0, count), the first on this thread (it builds the
// model's lazily fused weights), the rest spread over `lanes` threads. The
// caller keeps results by index, so they do not depend on the lanes.
void runInLanes(size_t count, int lanes, const std::atomic<bool>* cancel,
                const std::function<void(size_t)>& work) {
  if (lanes <= 1 || count < 2) {
    for (size_t i = 0; i < count && !cancelled(cancel); ++i)
      work(i);
    return;
  }
  {
    // As on the lanes: the lazily fused weights must be built here, by the
    // inference path, before the lanes share them.
    torch::InferenceMode inference;
    work(0);
  }
  const engine::ScopedBlasThreads oneBlasThread(1);
  std::atomic<size_t> next{1};
  std::vector<std::exception_ptr> errors(static_cast<size_t>(lanes));
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int l = 0; l < lanes; ++l)
    threads.emplace_back([&, l] {
      try {
        torch::InferenceMode inference;
        for (size_t i = next++; i < count && !cancelled(cancel) && !failed; i = next++)
          work(i);
      } catch (...) {
        errors[static_cast<size_t>(l)] = std::current_exception();
        failed = true;
      }
    });
  for (auto& t : threads)
    t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

uint64_t mix(uint64_t seed, uint64_t index) {
  return seed ^ (0x9E3779B97F4A7C15ULL * (index + 1));
}

} // namespace

nlohmann::json probeConfig(const std::string& kind, const ProberOptions& o,
                           const std::string& probeSetHash, const std::string& blimpHash) {
  nlohmann::json j{{"probe", kind}, {"version", 1}};
  if (kind != "blimp") j["probe_set"] = probeSetHash;
  if (kind == "uas") j["min_relation_count"] = o.uas.minRelationCount;
  if (kind == "loss")
    j.update({{"seed", o.lossSeed}, {"mask_rate", o.maskRate}, {"replacement", "mask"}});
  if (kind == "twonn")
    j.update({{"points", o.twonnPoints}, {"layer", o.twonnLayer}, {"vector", "cls"}});
  if (kind == "ngram")
    j.update({{"positions_per_sentence", o.ngramPositions}, {"seed", o.ngramSeed}, {"n", {2, 10}}});
  if (kind == "ablation") {
    j.update({{"heads", o.ablation.heads},
              {"mode", o.ablation.mode},
              {"seed", o.ablation.seed},
              {"control", o.ablation.control},
              {"min_relation_count", o.uas.minRelationCount},
              {"loss_seed", o.lossSeed},
              {"mask_rate", o.maskRate},
              {"blimp", blimpHash}}); // "" when no suite was given: loss and UAS only
    if (!blimpHash.empty())
      j.update({{"blimp_per_task", o.blimpPerTask}, {"blimp_seed", o.blimpSeed}});
  }
  if (kind == "path")
    j.update({{"points", kPathPoints},
              {"seed", o.lossSeed},
              {"mask_rate", o.maskRate},
              {"segment", "previous checkpoint with weights"}});
  if (kind == "blimp")
    j.update({{"pairs", blimpHash},
              {"per_task", o.blimpPerTask},
              {"seed", o.blimpSeed},
              {"score", "pll"}});
  return j;
}

CheckpointProber::CheckpointProber(const ProbeSet& set, const text::WordPieceTokenizer& tokenizer,
                                   size_t maxPositions, const text::BlimpSuite* blimp,
                                   ProberOptions options)
    : m_set(set), m_options(options), m_specials(tokenizer.vocab().specials()),
      m_vocabSize(static_cast<int64_t>(tokenizer.vocab().size())),
      m_encoded(encodeProbeSet(set, tokenizer, maxPositions)) {
  if (!blimp) return;
  const text::BlimpSuite suite =
      options.blimpPerTask > 0 ? blimp->subsample(options.blimpPerTask, options.blimpSeed) : *blimp;
  uint64_t h = 1469598103934665603ull;
  auto hashString = [&h](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  std::vector<std::vector<int64_t>> bad;
  for (size_t k = 0; k < suite.tasks().size(); ++k) {
    const auto& task = suite.tasks()[k];
    m_blimpTasks.push_back(task.uid);
    m_blimpPhenomena.push_back(task.phenomenon);
    for (const auto& p : task.pairs) {
      auto g = tokenizer.encode(p.good, maxPositions).ids;
      auto b = tokenizer.encode(p.bad, maxPositions).ids;
      m_blimpSentences.emplace_back(g.begin(), g.end());
      bad.emplace_back(b.begin(), b.end());
      m_blimpTask.push_back(static_cast<int64_t>(k));
      hashString(task.uid);
      hashString(p.pairId);
    }
  }
  m_blimpSentences.insert(m_blimpSentences.end(), std::make_move_iterator(bad.begin()),
                          std::make_move_iterator(bad.end()));
  m_blimpPlan = planMaskedCopies(m_blimpSentences);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  m_blimpHash = buf;
}

std::map<std::string, format::ProbeResult>
CheckpointProber::run(engine::BertForMaskedLM& model, const std::set<std::string>& kinds,
                      const std::atomic<bool>* cancel) const {
  model.setTraining(false);
  torch::InferenceMode inference;
  std::map<std::string, format::ProbeResult> out;
  const bool uas = kinds.count("uas"), attn = kinds.count("attn"), twonn = kinds.count("twonn");
  if (uas || attn || twonn) {
    // One forward pass serves all three: attention maps and [CLS] vectors.
    auto r = structure(model, uas, attn, twonn, cancel);
    if (cancelled(cancel)) return out;
    for (const char* kind : {"uas", "attn", "twonn"}) {
      if (!kinds.count(kind)) continue;
      format::ProbeResult part;
      part.step = r.step;
      const std::string prefix = kind;
      for (const auto& [k, v] : r.scalars)
        if (k.rfind(prefix, 0) == 0) part.scalars[k] = v;
      for (const auto& [k, v] : r.arrays)
        if (k.rfind(prefix + "/", 0) == 0) part.arrays[k] = v;
      for (const auto& [k, v] : r.strings)
        if (k.rfind(prefix + "/", 0) == 0) part.strings[k] = v;
      out[kind] = std::move(part);
    }
  }
  if (kinds.count("loss") && !cancelled(cancel)) {
    auto r = loss(model, cancel);
    if (!cancelled(cancel)) out["loss"] = std::move(r);
  }
  if (kinds.count("ngram") && !cancelled(cancel)) {
    auto r = ngram(model, cancel);
    if (!cancelled(cancel)) out["ngram"] = std::move(r);
  }
  if (kinds.count("blimp") && !m_blimpSentences.empty() && !cancelled(cancel)) {
    auto r = blimp(model, cancel);
    if (!cancelled(cancel)) out["blimp"] = std::move(r);
  }
  if (kinds.count("ablation") && !cancelled(cancel)) {
    auto r = ablation(model, cancel);
    if (!cancelled(cancel)) out["ablation"] = std::move(r);
  }
  return out;
}

format::ProbeResult CheckpointProber::structure(engine::BertForMaskedLM& model, bool uas, bool attn,
                                                bool twonn, const std::atomic<bool>* cancel) const {
  const auto& cfg = model.config();
  const int64_t L = cfg.numHiddenLayers, H = cfg.numAttentionHeads, D = cfg.hiddenSize;
  UasAccumulator uasAcc(L, H, m_set, m_options.uas);
  AttentionShapeAccumulator shape(L, H);
  const size_t nCls = std::min(m_options.twonnPoints, m_encoded.size());
  std::vector<float> cls(nCls * static_cast<size_t>(D));
  const int64_t layerIndex =
      m_options.twonnLayer < 0 ? L : std::min<int64_t>(m_options.twonnLayer, L);

  const auto device = model.device();
  for (const auto& batch :
       lengthBatches(encodedLengths(m_encoded), m_options.maxBatch, m_options.maxTokens)) {
    if (cancelled(cancel)) break;
    Batch b = packEncoded(m_encoded, batch, m_specials.pad);
    engine::ForwardOptions o;
    o.attentions = uas || attn;
    o.hiddenStates = twonn;
    o.logits = false;
    auto out = model.forward(b.ids.to(device), b.mask.to(device), {}, o);
    if (o.attentions) {
      auto A = torch::stack(out.attentions, 0).to(torch::kCPU, torch::kFloat); // [L,B,H,T,T]
      if (attn) {
        auto rowMask = b.mask.to(torch::kFloat).view({1, -1, 1, b.T});      // real query rows
        auto ent = -(A * torch::log(A.clamp_min(1e-30))).sum(-1) * rowMask; // [L,B,H,T]
        auto perHead = ent.sum({1, 3}).to(torch::kDouble).contiguous();     // [L,H]
        std::vector<double> sums(perHead.data_ptr<double>(), perHead.data_ptr<double>() + L * H);
        shape.addEntropy(sums, b.mask.sum().item<double>());
      }
      for (size_t k = 0; k < batch.size(); ++k) {
        const auto& e = m_encoded[batch[k]];
        const int64_t Tb = static_cast<int64_t>(e.ids.size());
        const int64_t W = static_cast<int64_t>(e.spans.size()) + 2;
        auto Ab = sentenceAttention(A, static_cast<int64_t>(k), Tb);
        const auto maps = wordLevelMaps(Ab.data_ptr<float>(), static_cast<size_t>(L * H),
                                        static_cast<size_t>(Tb), e.spans);
        if (uas) uasAcc.addSentence(batch[k], maps.data(), static_cast<size_t>(W));
        if (attn) {
          shape.addWordMaps(maps.data(), static_cast<size_t>(W));
          shape.addPieceMaps(Ab.data_ptr<float>(), static_cast<size_t>(Tb));
        }
      }
    }
    if (twonn) {
      auto h = out.hiddenStates[static_cast<size_t>(layerIndex)]
                   .select(1, 0)
                   .to(torch::kCPU, torch::kFloat)
                   .contiguous();
      for (size_t k = 0; k < batch.size(); ++k)
        if (batch[k] < nCls)
          std::copy_n(h[static_cast<int64_t>(k)].data_ptr<float>(), D,
                      cls.begin() + static_cast<long>(batch[k] * static_cast<size_t>(D)));
    }
  }
  format::ProbeResult r;
  if (cancelled(cancel)) return r;
  if (uas) r = uasAcc.finish();
  if (attn) {
    auto a = shape.finish();
    r.scalars.insert(a.scalars.begin(), a.scalars.end());
    r.arrays.insert(a.arrays.begin(), a.arrays.end());
  }
  if (twonn) {
    auto t = twoNn(cls.data(), static_cast<int64_t>(nCls), D);
    r.scalars["twonn_id"] = t.id;
    r.scalars["twonn_r"] = t.r;
    r.scalars["twonn_n"] = static_cast<double>(t.used);
  }
  return r;
}

std::unique_ptr<UasAccumulator> CheckpointProber::uasPass(engine::BertForMaskedLM& model,
                                                          const HeadMask& mask,
                                                          const std::atomic<bool>* cancel,
                                                          at::Tensor* headMean) const {
  const auto& cfg = model.config();
  const int64_t L = cfg.numHiddenLayers, H = cfg.numAttentionHeads, D = cfg.hiddenSize;
  auto acc = std::make_unique<UasAccumulator>(L, H, m_set, m_options.uas);
  auto contextSum = torch::zeros({L, D}, torch::kDouble);
  double realTokens = 0;
  const auto device = model.device();
  for (const auto& batch :
       lengthBatches(encodedLengths(m_encoded), m_options.maxBatch, m_options.maxTokens)) {
    if (cancelled(cancel)) break;
    Batch b = packEncoded(m_encoded, batch, m_specials.pad);
    engine::ForwardOptions o = masked(mask);
    o.attentions = true;
    o.headContexts = headMean != nullptr;
    o.logits = false;
    auto out = model.forward(b.ids.to(device), b.mask.to(device), {}, o);
    auto A = torch::stack(out.attentions, 0).to(torch::kCPU, torch::kFloat); // [L,B,H,T,T]
    for (size_t k = 0; k < batch.size(); ++k) {
      const auto& e = m_encoded[batch[k]];
      const int64_t Tb = static_cast<int64_t>(e.ids.size());
      auto Ab = sentenceAttention(A, static_cast<int64_t>(k), Tb);
      const auto maps = wordLevelMaps(Ab.data_ptr<float>(), static_cast<size_t>(L * H),
                                      static_cast<size_t>(Tb), e.spans);
      acc->addSentence(batch[k], maps.data(), e.spans.size() + 2);
    }
    if (headMean) {
      auto real = b.mask.to(device, torch::kDouble).unsqueeze(-1); // [B,T,1]
      for (int64_t l = 0; l < L; ++l)
        contextSum[l] += (out.headContexts[static_cast<size_t>(l)].to(torch::kDouble) * real)
                             .sum(torch::IntArrayRef{0, 1})
                             .to(torch::kCPU);
      realTokens += b.mask.sum().item<double>();
    }
  }
  if (headMean)
    *headMean =
        (contextSum / std::max(realTokens, 1.0)).view({L, H, D / H}).to(device, torch::kFloat);
  return acc;
}

format::ProbeResult CheckpointProber::ablation(engine::BertForMaskedLM& model,
                                               const std::atomic<bool>* cancel) const {
  const auto& cfg = model.config();
  const int64_t L = cfg.numHiddenLayers, H = cfg.numAttentionHeads;
  const auto& opt = m_options.ablation;
  const HeadChoice choice = parseHeadChoice(opt.heads);
  if (opt.mode != "zero" && opt.mode != "mean")
    throw std::invalid_argument("ablation mode '" + opt.mode + "': expected zero or mean");
  // What does not fit the model is refused before any forward pass (an
  // explicit list is checked in full; top:K and random:K by their K).
  if (choice.kind == HeadChoice::Kind::Explicit)
    chooseHeads(choice, L, H, {}, opt.seed);
  else
    chooseHeads(HeadChoice{HeadChoice::Kind::Random, choice.count, {}, {}}, L, H, {}, opt.seed);
  // The control needs as many other heads; a model too small for it gets none (and says so).
  const bool control = opt.control && 2 * static_cast<int64_t>(choice.count) <= L * H;
  format::ProbeResult r;
  if (opt.control && !control)
    r.strings["ablation/control_note"] = {"no control: the model has " + std::to_string(L * H) +
                                          " heads, fewer than twice the " +
                                          std::to_string(choice.count) + " ablated"};
  at::Tensor headMean;
  const auto intactUas = uasPass(model, {}, cancel, opt.mode == "mean" ? &headMean : nullptr);
  if (cancelled(cancel)) return r;
  const auto intactAll = intactUas->finish();
  const auto chosen =
      chooseHeads(choice, L, H, intactAll.arrays.at("uas/head_best").values, opt.seed);
  const double lossIntact = loss(model, cancel).scalars.at("loss");
  const bool withBlimp = !m_blimpSentences.empty();
  const double blimpIntact =
      withBlimp && !cancelled(cancel) ? blimp(model, cancel).scalars.at("blimp") : std::nan("");
  r.scalars["ablation_uas_all_heads"] = intactAll.scalars.at("uas");
  r.scalars["ablation_loss_intact"] = lossIntact;
  if (withBlimp) r.scalars["ablation_blimp_intact"] = blimpIntact;
  r.scalars["ablation_head_count"] = static_cast<double>(chosen.size());
  r.strings["ablation/choice"] = {headChoiceSpec(choice)};
  r.strings["ablation/mode"] = {opt.mode};

  // `prefix`_loss, _uas, _blimp and their deltas for the model with `heads` ablated.
  auto measure = [&](const std::string& prefix, const std::string& array,
                     const std::vector<int64_t>& heads) {
    HeadMask mask;
    auto keep = torch::ones({L * H});
    std::vector<bool> excluded(static_cast<size_t>(L * H), false);
    format::NumericArray listed{{static_cast<int64_t>(heads.size()), 2}, {}};
    for (int64_t h : heads) {
      keep[h] = 0.0;
      excluded[static_cast<size_t>(h)] = true;
      listed.values.push_back(static_cast<double>(h / H));
      listed.values.push_back(static_cast<double>(h % H));
    }
    mask.keep = keep.view({L, H}).to(model.device());
    mask.fill = headMean;
    r.arrays["ablation/" + array] = std::move(listed);
    // UAS of the heads left, intact and ablated: what the ablation does to
    // the syntax the rest of the network attends to.
    const double uasIntact = intactUas->finish(excluded).scalars.at("uas");
    const auto ablatedUas = uasPass(model, mask, cancel);
    if (cancelled(cancel)) return;
    const double uas = ablatedUas->finish(excluded).scalars.at("uas");
    const double lossAblated = loss(model, cancel, mask).scalars.at("loss");
    if (cancelled(cancel)) return;
    r.scalars[prefix + "_uas_intact"] = uasIntact;
    r.scalars[prefix + "_uas"] = uas;
    r.scalars[prefix + "_uas_delta"] = uas - uasIntact;
    r.scalars[prefix + "_loss"] = lossAblated;
    r.scalars[prefix + "_loss_delta"] = lossAblated - lossIntact;
    if (!withBlimp) return;
    const double b = blimp(model, cancel, mask).scalars.at("blimp");
    r.scalars[prefix + "_blimp"] = b;
    r.scalars[prefix + "_blimp_delta"] = b - blimpIntact;
  };
  measure("ablation", "heads", chosen);
  if (control && !cancelled(cancel))
    measure("ablation_control", "control_heads",
            randomHeadsExcept(chosen.size(), L * H, chosen, mix(opt.seed, 1)));
  return r;
}

format::ProbeResult CheckpointProber::path(engine::BertForMaskedLM& end,
                                           engine::BertForMaskedLM& start,
                                           const std::atomic<bool>* cancel) const {
  torch::InferenceMode inference; // as run(): the loss probe's fast inference path
  engine::BertForMaskedLM point(end.config());
  point.to(end.device());
  point.setTraining(false);
  const auto from = start.namedParameters(), to = end.namedParameters(),
             at = point.namedParameters();
  format::ProbeResult r;
  format::NumericArray curve{{kPathPoints}, {}};
  for (int i = 0; i < kPathPoints && !cancelled(cancel); ++i) {
    const double alpha = static_cast<double>(i) / (kPathPoints - 1);
    {
      torch::NoGradGuard noGrad;
      for (size_t p = 0; p < at.size(); ++p) // (1 - α)·start + α·end, exact at both ends
        at[p].second.copy_(i == kPathPoints - 1
                               ? to[p].second
                               : from[p].second + alpha * (to[p].second - from[p].second));
    }
    point.weightsChanged();
    curve.values.push_back(loss(point, cancel).scalars.at("loss"));
  }
  if (cancelled(cancel)) return r;
  const auto& v = curve.values;
  r.scalars["path_loss_start"] = v.front();
  r.scalars["path_loss_end"] = v.back();
  // The curve as scalars too: timelines read scalars only, and the app draws
  // the curve at the cursor from these.
  for (int i = 0; i < kPathPoints; ++i)
    r.scalars["path_loss_" + std::to_string(i)] = v[static_cast<size_t>(i)];
  r.arrays["path/loss"] = curve;
  for (const char* k : {"path_barrier", "path_max_at", "path_barrier_chord", "path_chord_at"})
    r.scalars[k] = std::nan(""); // a NaN anywhere on the line: no barrier can be read off it
  if (!std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); })) return r;
  const auto top = std::max_element(v.begin(), v.end());
  r.scalars["path_barrier"] = *top - (v.front() + v.back()) / 2;
  r.scalars["path_max_at"] = static_cast<double>(top - v.begin()) / (kPathPoints - 1);
  // Height above the chord between the ends (Frankle et al. 2020): 0 when
  // the loss falls along the line no slower than linearly, > 0 for a bump.
  double chord = 0, chordAt = 0;
  for (int i = 0; i < kPathPoints; ++i) {
    const double a = static_cast<double>(i) / (kPathPoints - 1);
    const double above = v[static_cast<size_t>(i)] - ((1 - a) * v.front() + a * v.back());
    if (above > chord) {
      chord = above;
      chordAt = a;
    }
  }
  r.scalars["path_barrier_chord"] = chord;
  r.scalars["path_chord_at"] = chordAt;
  return r;
}

format::ProbeResult CheckpointProber::loss(engine::BertForMaskedLM& model,
                                           const std::atomic<bool>* cancel,
                                           const HeadMask& mask) const {
  // The fixed masking pattern: each content piece is masked with probability
  // maskRate by a generator seeded from (seed, sentence), at least one per sentence.
  std::vector<std::vector<int64_t>> inputs;
  std::vector<std::vector<int64_t>> positions, targets;
  const uint64_t threshold = static_cast<uint64_t>(m_options.maskRate * 1e6);
  for (size_t s = 0; s < m_encoded.size(); ++s) {
    auto ids = m_encoded[s].ids;
    text::SplitMix64 rng(mix(m_options.lossSeed, s));
    std::vector<int64_t> pos, tgt;
    const int64_t T = static_cast<int64_t>(ids.size());
    for (int64_t t = 1; t + 1 < T; ++t)
      if (rng.below(1000000) < threshold) pos.push_back(t);
    if (pos.empty() && T > 2)
      pos.push_back(1 + static_cast<int64_t>(rng.below(static_cast<uint64_t>(T - 2))));
    for (auto t : pos) {
      tgt.push_back(ids[static_cast<size_t>(t)]);
      ids[static_cast<size_t>(t)] = m_specials.mask;
    }
    inputs.push_back(std::move(ids));
    positions.push_back(std::move(pos));
    targets.push_back(std::move(tgt));
  }
  std::vector<size_t> lengths;
  for (const auto& i : inputs)
    lengths.push_back(i.size());
  const auto batches = lengthBatches(lengths, m_options.maxBatch, m_options.maxTokens);
  struct Sums {
    double nll = 0, correct = 0, count = 0;
  };
  std::vector<Sums> sums(batches.size());
  auto runBatch = [&](size_t bi) {
    const auto& batch = batches[bi];
    std::vector<const std::vector<int64_t>*> seqs;
    std::vector<int64_t> flat, tgt;
    int64_t T = 0;
    for (size_t i : batch)
      T = std::max<int64_t>(T, static_cast<int64_t>(inputs[i].size()));
    for (size_t k = 0; k < batch.size(); ++k) {
      seqs.push_back(&inputs[batch[k]]);
      for (size_t j = 0; j < positions[batch[k]].size(); ++j) {
        flat.push_back(static_cast<int64_t>(k) * T + positions[batch[k]][j]);
        tgt.push_back(targets[batch[k]][j]);
      }
    }
    Batch b = pack(seqs, m_specials.pad);
    engine::ForwardOptions o = masked(mask);
    o.logitPositions = torch::tensor(flat, torch::kLong).to(model.device());
    o.pruneLastLayer = true; // only the masked rows are needed
    auto logits = model.forward(b.ids.to(model.device()), b.mask.to(model.device()), {}, o)
                      .logits.to(torch::kCPU, torch::kFloat);
    auto t = torch::tensor(tgt, torch::kLong);
    Sums& out = sums[bi];
    out.nll =
        torch::nn::functional::cross_entropy(
            logits, t, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
            .item<double>();
    out.correct = logits.argmax(-1).eq(t).sum().item<double>();
    out.count = static_cast<double>(tgt.size());
  };
  runInLanes(batches.size(), lanesFor(model, m_options.cpuLanes), cancel, runBatch);
  // Summed in batch order, so the result does not depend on the lanes.
  double nll = 0, correct = 0, count = 0;
  for (const Sums& b : sums) {
    nll += b.nll;
    correct += b.correct;
    count += b.count;
  }
  format::ProbeResult r;
  r.scalars["loss"] = count > 0 ? nll / count : std::nan("");
  r.scalars["loss_tokens"] = count;
  r.scalars["mlm_accuracy"] = count > 0 ? correct / count : std::nan("");
  return r;
}

format::ProbeResult CheckpointProber::ngram(engine::BertForMaskedLM& model,
                                            const std::atomic<bool>* cancel) const {
  // Held-out positions, fixed by seed: up to ngramPositions content pieces per sentence.
  std::vector<std::pair<size_t, int64_t>> held;
  for (size_t s = 0; s < m_encoded.size(); ++s) {
    const int64_t content = static_cast<int64_t>(m_encoded[s].ids.size()) - 2;
    if (content < 1) continue;
    text::SplitMix64 rng(mix(m_options.ngramSeed, s));
    std::vector<int64_t> all;
    for (int64_t t = 1; t <= content; ++t)
      all.push_back(t);
    for (size_t i = all.size(); i > 1; --i)
      std::swap(all[i - 1], all[rng.below(i)]);
    all.resize(std::min(all.size(), m_options.ngramPositions));
    for (auto t : all)
      held.emplace_back(s, t);
  }
  format::ProbeResult r;
  format::NumericArray acc{{9}, {}};
  for (int n = 2; n <= 10 && !cancelled(cancel); ++n) {
    // Window of n content pieces containing t, as centred as the sentence allows.
    std::vector<std::vector<int64_t>> windows;
    std::vector<int64_t> maskAt, targets;
    for (const auto& [s, t] : held) {
      const auto& ids = m_encoded[s].ids;
      const int64_t content = static_cast<int64_t>(ids.size()) - 2;
      const int64_t len = std::min<int64_t>(n, content);
      int64_t start = std::clamp<int64_t>(t - (len - 1) / 2, 1, content - len + 1);
      std::vector<int64_t> w{m_specials.cls};
      for (int64_t k = start; k < start + len; ++k)
        w.push_back(k == t ? m_specials.mask : ids[static_cast<size_t>(k)]);
      w.push_back(m_specials.sep);
      windows.push_back(std::move(w));
      maskAt.push_back(t - start + 1);
      targets.push_back(ids[static_cast<size_t>(t)]);
    }
    double correct = 0;
    for (size_t begin = 0; begin < windows.size(); begin += m_options.maxBatch * 4) {
      const size_t end = std::min(windows.size(), begin + m_options.maxBatch * 4);
      std::vector<const std::vector<int64_t>*> seqs;
      std::vector<int64_t> flat, tgt;
      const int64_t T = n + 2;
      for (size_t i = begin; i < end; ++i) {
        seqs.push_back(&windows[i]);
        flat.push_back(static_cast<int64_t>(i - begin) * T + maskAt[i]);
        tgt.push_back(targets[i]);
      }
      Batch b = pack(seqs, m_specials.pad);
      // pack() pads to the longest window, which is n + 2 unless every sentence is shorter.
      if (b.T != T)
        for (size_t i = 0; i < flat.size(); ++i)
          flat[i] = static_cast<int64_t>(i) * b.T + maskAt[begin + i];
      engine::ForwardOptions o;
      o.logitPositions = torch::tensor(flat, torch::kLong).to(model.device());
      o.pruneLastLayer = true; // only the masked rows are needed
      auto logits = model.forward(b.ids.to(model.device()), b.mask.to(model.device()), {}, o)
                        .logits.to(torch::kCPU);
      correct += logits.argmax(-1).eq(torch::tensor(tgt, torch::kLong)).sum().item<double>();
    }
    const double a = held.empty() ? std::nan("") : correct / static_cast<double>(held.size());
    acc.values.push_back(a);
    r.scalars["ngram_" + std::to_string(n)] = a;
  }
  r.arrays["ngram/accuracy"] = std::move(acc);
  return r;
}

std::vector<double>
CheckpointProber::pseudoLogLikelihood(engine::BertForMaskedLM& model,
                                      const std::vector<std::vector<int64_t>>& seqs,
                                      const std::atomic<bool>* cancel, const HeadMask& mask) const {
  return pseudoLogLikelihood(model, seqs, planMaskedCopies(seqs), cancel, mask);
}

std::vector<double> CheckpointProber::pseudoLogLikelihood(
    engine::BertForMaskedLM& model, const std::vector<std::vector<int64_t>>& seqs,
    const MaskedCopyPlan& plan, const std::atomic<bool>* cancel, const HeadMask& mask) const {
  // Forwards: the distinct masked copies (probes/masked_copies.h), shortest
  // first; a chunk of them is one forward pass.
  const auto& rows = plan.rows;
  std::vector<std::pair<size_t, size_t>> chunks; // [begin, end) in plan.forwards
  size_t open = 0;                               // the first forward of the chunk being filled
  for (size_t f = 0; f < plan.forwards.size(); ++f) {
    // Sorted by length, so a chunk's copies are (almost) all as long as its last.
    const size_t length = seqs[rows[plan.forwards[f]].seq].size();
    const size_t perChunk = std::max<size_t>(1, m_options.pllTokens / std::max<size_t>(1, length));
    if (f - open >= perChunk) {
      chunks.emplace_back(open, f);
      open = f;
    }
  }
  if (plan.forwards.size() > open) chunks.emplace_back(open, plan.forwards.size());
  std::vector<double> queryLogProb(plan.queries.size(), 0.0);
  auto runChunk = [&](size_t c) {
    const auto [begin, end] = chunks[c];
    std::vector<std::vector<int64_t>> copies;
    std::vector<const std::vector<int64_t>*> ptrs;
    std::vector<int64_t> flat, tgt;
    copies.reserve(end - begin);
    for (size_t f = begin; f < end; ++f) {
      const auto& row = rows[plan.forwards[f]];
      copies.push_back(seqs[row.seq]);
      copies.back()[static_cast<size_t>(row.pos)] = m_specials.mask;
    }
    for (const auto& copy : copies)
      ptrs.push_back(&copy);
    Batch b = pack(ptrs, m_specials.pad);
    const size_t firstQuery = plan.queryBegin[begin], endQuery = plan.queryBegin[end];
    for (size_t q = firstQuery; q < endQuery; ++q) {
      const auto& query = plan.queries[q];
      const auto& row = rows[plan.forwards[query.forward]];
      flat.push_back(static_cast<int64_t>(query.forward - begin) * b.T + row.pos);
      tgt.push_back(query.target);
    }
    auto lp = targetLogProbs(model, b, flat, tgt, mask);
    auto acc = lp.accessor<double, 1>();
    for (size_t q = firstQuery; q < endQuery; ++q)
      queryLogProb[q] = acc[static_cast<int64_t>(q - firstQuery)];
  };
  runInLanes(chunks.size(), lanesFor(model, m_options.cpuLanes), cancel, runChunk);
  // Summed in row order, so the result does not depend on the lanes.
  std::vector<double> pll(seqs.size(), 0.0);
  for (size_t r = 0; r < rows.size(); ++r)
    pll[rows[r].seq] += queryLogProb[plan.queryOf[r]];
  return pll;
}

format::ProbeResult CheckpointProber::blimp(engine::BertForMaskedLM& model,
                                            const std::atomic<bool>* cancel,
                                            const HeadMask& mask) const {
  auto pll = pseudoLogLikelihood(model, m_blimpSentences, m_blimpPlan, cancel, mask);
  const size_t P = m_blimpTask.size(), K = m_blimpTasks.size();
  std::vector<double> good(pll.begin(), pll.begin() + static_cast<std::ptrdiff_t>(P));
  std::vector<double> bad(pll.begin() + static_cast<std::ptrdiff_t>(P), pll.end());
  std::vector<double> right(K, 0), total(K, 0);
  for (size_t p = 0; p < P; ++p) {
    const auto k = static_cast<size_t>(m_blimpTask[p]);
    total[k] += 1;
    right[k] += good[p] > bad[p];
  }
  format::ProbeResult r;
  format::NumericArray taskAcc{{static_cast<int64_t>(K)}, {}};
  double sum = 0;
  for (size_t k = 0; k < K; ++k) {
    taskAcc.values.push_back(total[k] > 0 ? right[k] / total[k] : std::nan(""));
    sum += taskAcc.values.back();
  }
  r.scalars["blimp"] = K > 0 ? sum / static_cast<double>(K) : std::nan("");
  r.scalars["blimp_pairs"] = static_cast<double>(P);
  r.arrays["blimp/task_accuracy"] = std::move(taskAcc);
  r.arrays["blimp/pll_good"] = {{static_cast<int64_t>(P)}, good};
  r.arrays["blimp/pll_bad"] = {{static_cast<int64_t>(P)}, bad};
  r.arrays["blimp/pair_task"] = {{static_cast<int64_t>(P)},
                                 std::vector<double>(m_blimpTask.begin(), m_blimpTask.end())};
  r.strings["blimp/tasks"] = m_blimpTasks;
  r.strings["blimp/task_phenomena"] = m_blimpPhenomena;
  return r;
}

} // namespace chrysalis::probes
