#include "engine/attention_dump.h"

#include "common/error.h"
#include "engine/bert_model.h"
#include "engine/series_model.h"
#include "format/atomic_file.h"
#include "format/h5.h"
#include "format/series.h"

#include <torch/torch.h>

namespace chrysalis::engine {

void dumpAttention(const std::filesystem::path& series, int64_t step,
                   const std::vector<int64_t>& ids, const std::vector<std::string>& tokens,
                   const std::filesystem::path& out) {
  const format::SeriesMeta meta = format::readSeriesMeta(series);
  const auto& cfg = meta.model;
  const auto ckpt = format::checkpointPath(series, step);
  std::error_code ec;
  if (!std::filesystem::exists(ckpt, ec))
    throw InputError(series.string(), "step " + std::to_string(step), "no such checkpoint");
  if (ids.empty()) throw std::invalid_argument("no input tokens");
  if (static_cast<int64_t>(ids.size()) > cfg.maxPositionEmbeddings)
    throw std::invalid_argument("input of " + std::to_string(ids.size()) +
                                " tokens exceeds the model's " +
                                std::to_string(cfg.maxPositionEmbeddings) + " positions");
  for (auto id : ids)
    if (id < 0 || id >= cfg.vocabSize)
      throw std::invalid_argument("token id " + std::to_string(id) + " is outside the vocabulary");

  auto loaded = loadSeriesModel(series, cfg, step);
  BertForMaskedLM& model = *loaded;
  torch::InferenceMode inference;
  auto input = torch::tensor(ids, torch::kLong).unsqueeze(0);
  ForwardOptions opts;
  opts.attentions = true;
  opts.hiddenStates = true;
  auto o = model.forward(input, {}, {}, opts);
  auto attention = torch::stack(o.attentions).squeeze(1).contiguous(); // [L,H,T,T]
  auto hidden = torch::stack(o.hiddenStates).squeeze(1).contiguous();  // [L+1,T,D]
  auto logits = o.logits.squeeze(0).contiguous();                      // [T,V]

  format::publishAtomically(out, [&](const std::filesystem::path& temp) {
    h5::File f = h5::create(temp);
    h5::writeAttrInt(f, "/", "step", step);
    h5::writeAttrString(f, "/", "series", std::filesystem::absolute(series).string());
    h5::writeDatasetRaw(f, "input_ids", format::DType::I64, {static_cast<int64_t>(ids.size())},
                        ids.data());
    h5::writeStrings(f, "tokens", tokens);
    h5::writeDatasetRaw(f, "attention", format::DType::F32, attention.sizes().vec(),
                        attention.data_ptr());
    h5::writeDatasetRaw(f, "hidden_states", format::DType::F32, hidden.sizes().vec(),
                        hidden.data_ptr());
    h5::writeDatasetRaw(f, "logits", format::DType::F32, logits.sizes().vec(), logits.data_ptr());
    h5::flush(f);
  });
}

} // namespace chrysalis::engine
