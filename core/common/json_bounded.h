#pragma once
// Parsing JSON from outside with a nesting bound checked BEFORE any value is
// built: nlohmann's copy, comparison and dump recurse once per level, so a
// 150,000-deep array (300 KB) overflows the stack in whoever touches it.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace chrysalis {

// Deeper than any file Chrysalis reads (series.json nests 4 levels).
inline constexpr int kMaxJsonDepth = 64;

// Parses `text` (the contents of `file`, or a protocol line named so).
// Throws InputError(file, place, reason) for invalid JSON (naming the byte)
// and for nesting deeper than maxDepth.
nlohmann::json parseJsonBounded(std::string_view text, const std::string& file,
                                int maxDepth = kMaxJsonDepth, const std::string& place = "");

} // namespace chrysalis
