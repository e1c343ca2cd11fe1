#include "engine/series_model.h"

#include "common/error.h"
#include "engine/weights.h"
#include "format/checkpoint_file.h"

#include <string>

namespace chrysalis::engine {

void requireSaneModelSize(const format::BertConfig& config, const std::string& file) {
  // In double: a hostile configuration must not overflow the count itself.
  double parameters = 0;
  for (const auto& spec : format::bertParameterSpecs(config)) {
    double n = 1;
    for (auto d : spec.shape)
      n *= static_cast<double>(d);
    parameters += n;
  }
  if (parameters > static_cast<double>(kMaxModelParameters))
    throw InputError(file, "model",
                     "describes " + std::to_string(static_cast<long long>(parameters / 1e6)) +
                         " M parameters, more than the " +
                         std::to_string(kMaxModelParameters / 1'000'000) +
                         " M the engine loads (vocab_size " + std::to_string(config.vocabSize) +
                         ", hidden_size " + std::to_string(config.hiddenSize) + ")");
}

text::Vocab loadSeriesVocab(const std::filesystem::path& series, const format::SeriesMeta& meta) {
  const auto path = format::vocabPath(series, meta);
  text::Vocab vocab = text::Vocab::load(path);
  if (static_cast<int64_t>(vocab.size()) != meta.model.vocabSize)
    throw InputError(path.string(), "",
                     "has " + std::to_string(vocab.size()) +
                         " entries but the model's vocab_size is " +
                         std::to_string(meta.model.vocabSize) + " (every id would be shifted)");
  return vocab;
}

void requireCheckpointMatches(const std::filesystem::path& path, const format::BertConfig& config) {
  format::CheckpointReader reader(path);
  if (!reader.info().hasWeights)
    throw InputError(path.string(), "", "this checkpoint's weights were not kept (metadata only)");
  requireCheckpointMatches(reader, config);
}

std::unique_ptr<BertForMaskedLM> loadSeriesModel(const std::filesystem::path& series,
                                                 const format::BertConfig& config, int64_t step) {
  const auto path = format::checkpointPath(series, step);
  format::CheckpointReader reader(path);
  if (!reader.info().hasWeights)
    throw InputError(path.string(), "", "this checkpoint's weights were not kept (metadata only)");
  // Shapes from the file's metadata first: a config that disagrees with
  // its checkpoint is refused before the model's memory is allocated.
  requireCheckpointMatches(reader, config);
  requireSaneModelSize(config, (series / format::kSeriesFile).string());
  auto model = std::make_unique<BertForMaskedLM>(config);
  loadWeights(*model, reader);
  model->setTraining(false);
  return model;
}

} // namespace chrysalis::engine
