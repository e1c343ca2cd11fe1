// libFuzzer target: series metadata (series.json) and HF config.json parsing.
#include "common/error.h"
#include "format/series.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    auto meta = chrysalis::format::SeriesMeta::fromJson(j, "series.json");
    (void)meta.model.parameterCount();
    (void)meta.toJson().dump();
  } catch (const chrysalis::InputError&) {
  }
  try {
    (void)chrysalis::format::BertConfig::fromJson(j, "config.json");
  } catch (const chrysalis::InputError&) {
  }
  return 0;
}
