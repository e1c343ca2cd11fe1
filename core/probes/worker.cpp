#include "probes/worker.h"

#include "common/error.h"
#include "engine/bert_model.h"
#include "engine/series_model.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "probes/checkpoint_prober.h"
#include "probes/head_choice.h"
#include "probes/uas.h"
#include "text/wordpiece.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>

namespace chrysalis::probes {

struct Worker::Loaded {
  std::string series;
  int64_t step = 0;
  format::SeriesMeta meta;
  std::unique_ptr<text::WordPieceTokenizer> tokenizer;
  std::unique_ptr<engine::BertForMaskedLM> model;
};

// A probe set encoded for one series' vocabulary with one set of options;
// rebuilt when a request differs (encoding a probe set takes milliseconds).
struct Worker::Prober {
  std::string series, probeSetPath;
  ProberOptions options;
  ProbeSet set;
  std::unique_ptr<CheckpointProber> prober;
  bool serves(const format::WorkerRequest& r) const {
    return series == r.series && probeSetPath == r.probeSet && options.ablation.heads == r.heads &&
           options.ablation.mode == r.mode &&
           options.uas.minRelationCount == static_cast<size_t>(r.minRelationCount);
  }
};

Worker::Worker(size_t cachedModels) : m_capacity(std::max<size_t>(1, cachedModels)) {}
Worker::~Worker() = default;

Worker::Loaded& Worker::model(const std::string& series, int64_t step) {
  for (auto it = m_cache.begin(); it != m_cache.end(); ++it)
    if ((*it)->series == series && (*it)->step == step) {
      m_cache.splice(m_cache.begin(), m_cache, it);
      return *m_cache.front();
    }
  auto l = std::make_unique<Loaded>();
  l->series = series;
  l->step = step;
  l->meta = format::readSeriesMeta(series);
  l->tokenizer = std::make_unique<text::WordPieceTokenizer>(
      engine::loadSeriesVocab(series, l->meta),
      l->meta.doLowerCase ? text::WordPieceOptions::uncased() : text::WordPieceOptions::cased());
  l->model = engine::loadSeriesModel(series, l->meta.model, step);
  m_cache.push_front(std::move(l));
  if (m_cache.size() > m_capacity) m_cache.pop_back();
  return *m_cache.front();
}

nlohmann::json Worker::handle(const format::WorkerRequest& r) {
  using Op = format::WorkerRequest::Op;
  try {
    if (r.op == Op::Ping) return {{"id", r.id}, {"ok", true}, {"pong", true}};
    if (r.op == Op::Shutdown) return {{"id", r.id}, {"ok", true}};
    auto& m = model(r.series, r.step);
    return r.op == Op::Ablate ? ablate(r, m) : attention(r, m);
  } catch (const std::exception& e) {
    return format::workerError(r.id, e.what());
  }
}

nlohmann::json Worker::attention(const format::WorkerRequest& r, Loaded& m) {
  std::vector<std::string> words = r.words;
  if (words.empty()) {
    std::istringstream in(r.text);
    for (std::string w; in >> w;)
      words.push_back(w);
  }
  const auto& cfg = m.meta.model;
  auto aligned = m.tokenizer->encodeWords(words, static_cast<size_t>(cfg.maxPositionEmbeddings));
  if (aligned.truncatedCount() > 0)
    throw std::invalid_argument("the sentence does not fit the model's " +
                                std::to_string(cfg.maxPositionEmbeddings) + " positions");
  torch::InferenceMode inference;
  std::vector<int64_t> ids(aligned.ids.begin(), aligned.ids.end());
  engine::ForwardOptions o;
  o.attentions = true;
  o.logits = false;
  auto out = m.model->forward(torch::tensor(ids).unsqueeze(0), {}, {}, o);
  const int64_t L = cfg.numHiddenLayers, H = cfg.numAttentionHeads,
                T = static_cast<int64_t>(ids.size());
  auto A = torch::stack(out.attentions, 0).reshape({L * H, T, T}).contiguous();
  auto maps = wordLevelMaps(A.data_ptr<float>(), static_cast<size_t>(L * H), static_cast<size_t>(T),
                            aligned.spans);
  nlohmann::json reply{{"id", r.id}, {"ok", true},  {"step", r.step},           {"layers", L},
                       {"heads", H}, {"pieces", T}, {"words", words.size() + 2}};
  std::vector<std::string> tokens;
  for (auto id : ids)
    tokens.push_back(m.tokenizer->vocab().token(static_cast<int32_t>(id)));
  reply["tokens"] = tokens;
  nlohmann::json spans = nlohmann::json::array();
  for (const auto& s : aligned.spans)
    spans.push_back({s.begin, s.end});
  reply["spans"] = spans;
  reply["word_attention"] = maps;
  // The maps above are derived from these; a piece-level view wants the source.
  if (r.pieces)
    reply["piece_attention"] =
        std::vector<float>(A.data_ptr<float>(), A.data_ptr<float>() + A.numel());
  return reply;
}

nlohmann::json Worker::ablate(const format::WorkerRequest& r, Loaded& m) {
  if (!m.meta.hasMlmHead)
    throw std::invalid_argument("this series has no MLM head (imported from BertModel "
                                "checkpoints): the ablation probe needs its loss");
  if (!m_prober || !m_prober->serves(r)) {
    parseHeadChoice(r.heads); // a bad choice is refused before the probe set is read
    auto p = std::make_unique<Prober>();
    p->series = r.series;
    p->probeSetPath = r.probeSet;
    p->options.ablation.heads = r.heads;
    p->options.ablation.mode = r.mode;
    p->options.uas.minRelationCount = static_cast<size_t>(r.minRelationCount);
    p->set = loadProbeSet(r.probeSet);
    m_prober.reset(); // the old prober refers to the old set
    p->prober = std::make_unique<CheckpointProber>(
        p->set, *m.tokenizer, static_cast<size_t>(m.meta.model.maxPositionEmbeddings), nullptr,
        p->options);
    m_prober = std::move(p);
  }
  // The same configuration as `chrysalis-cli probe --probes ablation` without
  // BLiMP, so a result computed here is a point on that timeline and back.
  format::ProbeStore store(r.series);
  const auto config = probeConfig("ablation", m_prober->options, m_prober->set.hash(), "");
  const std::string hash = format::probeConfigHash(config);
  format::ProbeResult result;
  bool cached = store.has(hash, r.step);
  if (cached) {
    result = store.read(hash, r.step);
  } else {
    torch::InferenceMode inference;
    m.model->setTraining(false);
    result = m_prober->prober->ablation(*m.model, nullptr);
    result.step = r.step;
    result.probeSetHash = m_prober->set.hash();
    try { // a read-only series still gets its answer
      store.ensureConfig(config);
      store.write(hash, result);
    } catch (const std::exception&) {
    }
  }
  nlohmann::json scalars = nlohmann::json::object();
  for (const auto& [name, value] : result.scalars)
    scalars[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
  auto pairs = [&](const char* name) {
    nlohmann::json out = nlohmann::json::array();
    auto it = result.arrays.find(name);
    if (it != result.arrays.end())
      for (size_t i = 0; i + 1 < it->second.values.size(); i += 2)
        out.push_back({static_cast<int64_t>(it->second.values[i]),
                       static_cast<int64_t>(it->second.values[i + 1])});
    return out;
  };
  return {{"id", r.id},
          {"ok", true},
          {"step", r.step},
          {"config_hash", hash},
          {"cached", cached},
          {"scalars", scalars},
          {"heads", pairs("ablation/heads")},
          {"control_heads", pairs("ablation/control_heads")}};
}

} // namespace chrysalis::probes
