#pragma once
// Small UTF-8 helpers shared by the text readers and the tokenizer. Decoding
// never fails: a malformed byte becomes U+FFFD, which BERT's cleanup drops.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chrysalis::text::utf8 {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point starting at s[pos] and advances pos (by at least 1).
char32_t decodeNext(std::string_view s, size_t& pos);

// Appends all code points of s to out (malformed bytes → U+FFFD).
void decode(std::string_view s, std::u32string& out);

void append(std::string& out, char32_t cp);
std::string encode(std::u32string_view cps);

// Byte offset of the first malformed sequence, or npos when s is valid UTF-8
// (overlong forms, surrogates and code points past U+10FFFF are malformed).
size_t firstInvalid(std::string_view s);
inline bool isValid(std::string_view s) {
  return firstInvalid(s) == std::string_view::npos;
}

inline bool isAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Number of code points (a malformed byte counts as one).
size_t length(std::string_view s);

} // namespace chrysalis::text::utf8
