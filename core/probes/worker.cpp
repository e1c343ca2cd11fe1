#include "probes/worker.h"

#include "common/error.h"
#include "engine/bert_model.h"
#include "engine/series_model.h"
#include "format/series.h"
#include "probes/uas.h"
#include "text/wordpiece.h"

#include <torch/torch.h>

#include <sstream>

namespace chrysalis::probes {

struct Worker::Loaded {
  std::string series;
  int64_t step = 0;
  format::SeriesMeta meta;
  std::unique_ptr<text::WordPieceTokenizer> tokenizer;
  std::unique_ptr<engine::BertForMaskedLM> model;
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
    auto maps = wordLevelMaps(A.data_ptr<float>(), static_cast<size_t>(L * H),
                              static_cast<size_t>(T), aligned.spans);
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
  } catch (const std::exception& e) {
    return format::workerError(r.id, e.what());
  }
}

} // namespace chrysalis::probes
