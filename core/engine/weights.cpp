#include "engine/weights.h"

#include "common/error.h"
#include "engine/torch_dtype.h"

#include <torch/torch.h>

#include <algorithm>
#include <iostream>
#include <map>

namespace chrysalis::engine {

namespace {
std::string shapeText(const std::vector<int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i)
    t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

std::map<std::string, format::TensorEntry> matchingEntries(const format::CheckpointReader& reader,
                                                           const format::BertConfig& config) {
  std::map<std::string, format::TensorEntry> entries;
  const auto specs = format::bertParameterSpecs(config);
  // A checkpoint imported from BertModel has no MLM head at all (series.json
  // says so and the prober does not ask for logits); a partial head is an error.
  const bool headless =
      std::none_of(specs.begin(), specs.end(),
                   [&](const auto& spec) {
                     return format::isMlmHeadParameter(spec.name) && reader.hasTensor(spec.name);
                   }) &&
      !reader.hasTensor("cls.predictions.decoder.bias");
  for (const auto& spec : specs) {
    if (headless && format::isMlmHeadParameter(spec.name)) continue;
    std::string name = spec.name;
    if (name == "cls.predictions.bias" && !reader.hasTensor(name) &&
        reader.hasTensor("cls.predictions.decoder.bias"))
      name = "cls.predictions.decoder.bias";
    format::TensorEntry e = reader.tensor(name);
    const std::string place = "tensor '" + name + "'";
    if (!format::isWeightDType(e.dtype))
      throw InputError(reader.path(), place,
                       "dtype " + format::dtypeName(e.dtype) + " is not float32/float16/bfloat16");
    if (e.shape != spec.shape)
      throw InputError(reader.path(), place,
                       "shape " + shapeText(e.shape) + " does not match the model config's " +
                           shapeText(spec.shape));
    entries[spec.name] = e;
  }
  return entries;
}

} // namespace

void requireCheckpointMatches(const format::CheckpointReader& reader,
                              const format::BertConfig& config) {
  (void)matchingEntries(reader, config);
}

void loadWeights(BertForMaskedLM& model, const format::CheckpointReader& reader) {
  // Validate everything first, so a bad file leaves the model untouched.
  const auto entries = matchingEntries(reader, model.config());

  torch::NoGradGuard noGrad;
  std::vector<format::TensorRead> reads;
  std::vector<std::string> names;
  std::vector<std::pair<torch::Tensor, torch::Tensor>> staged; // (parameter, staging)
  for (auto& [name, param] : model.namedParameters()) {
    auto it = entries.find(name);
    if (it == entries.end()) continue; // not a stored parameter
    const auto& e = it->second;
    const bool direct =
        param.device().is_cpu() && param.scalar_type() == toTorch(e.dtype) && param.is_contiguous();
    void* dst = param.data_ptr();
    if (!direct) {
      // Read into host memory of the stored dtype, then copy over.
      staged.emplace_back(param,
                          torch::empty(e.shape, torch::TensorOptions().dtype(toTorch(e.dtype))));
      dst = staged.back().second.data_ptr();
    }
    reads.push_back({e, dst, 0});
    names.push_back(name);
  }
  // Straight into the parameters' memory, verified while it streams in.
  reader.readMany(reads);
  for (auto& [param, staging] : staged)
    param.copy_(staging);
  model.weightsChanged();
  // Loaded as stored, but never silently: a NaN spreads through every probe.
  for (size_t i = 0; i < reads.size(); ++i)
    if (reads[i].nonFinite > 0)
      std::cerr << "warning: " << reader.path() << ": tensor '" << names[i] << "' at step "
                << reader.info().step << " has " << reads[i].nonFinite
                << " NaN or infinite values\n";
}

void loadWeights(BertForMaskedLM& model, const std::filesystem::path& path) {
  format::CheckpointReader reader(path);
  if (!reader.info().hasWeights)
    throw InputError(path.string(), "", "this checkpoint's weights were not kept (metadata only)");
  loadWeights(model, reader);
}

void saveWeights(const BertForMaskedLM& model, const std::filesystem::path& path,
                 const format::CheckpointInfo& info, format::DType dtype) {
  std::vector<torch::Tensor> keep;
  std::vector<format::TensorBlob> blobs;
  for (const auto& [name, param] : model.namedParameters()) {
    auto t = param.detach().to(torch::kCPU, toTorch(dtype)).contiguous();
    keep.push_back(t);
    blobs.push_back({name, dtype, t.sizes().vec(), t.data_ptr()});
  }
  format::writeCheckpoint(path, info, blobs);
}

} // namespace chrysalis::engine
