// libFuzzer target: series metadata (series.json) and HF config.json parsing,
// through the bounded JSON parser every reader uses.
#include "common/error.h"
#include "common/json_bounded.h"
#include "format/series.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json j;
  try {
    j = chrysalis::parseJsonBounded(std::string_view(reinterpret_cast<const char*>(data), size),
                                    "series.json");
  } catch (const chrysalis::InputError&) {
    return 0;
  }
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
