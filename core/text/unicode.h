#pragma once
// The character classes and normalisations BERT's basic tokenizer uses, as
// Hugging Face's Python code defines them, on top of utf8proc's tables.
#include <string>

namespace chrysalis::text::unicode {

// Python's _is_whitespace: space, \t, \n, \r or category Zs.
bool isBertWhitespace(char32_t cp);
// Python's _is_control: any C* category (Cc, Cf, Cn, Co, Cs) except \t \n \r.
bool isBertControl(char32_t cp);
// Python's _is_punctuation: ASCII 33–47, 58–64, 91–96, 123–126 or any P* category.
bool isBertPunctuation(char32_t cp);
// Python's _is_chinese_char: the CJK Unified / Compatibility Ideograph blocks.
bool isCjkIdeograph(char32_t cp);
// Separators that survive cleanup but still split words in Python's
// str.split(): U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
inline bool isLineOrParagraphSeparator(char32_t cp) {
  return cp == 0x2028 || cp == 0x2029;
}
// Category Mn (the marks that accent stripping removes).
bool isNonspacingMark(char32_t cp);

// Appends Python's str.lower() of one code point: utf8proc's simple mapping,
// plus the one unconditional multi-character rule (U+0130 → "i" U+0307).
void appendLower(std::u32string& out, char32_t cp);

// In-place Unicode normalisation (no-op on pure ASCII).
void toNfc(std::u32string& s);
void toNfd(std::u32string& s);

} // namespace chrysalis::text::unicode
