#include "text/basic_tokenizer.h"

#include "text/unicode.h"
#include "text/utf8.h"

namespace chrysalis::text {

namespace {
bool isAsciiPunctuation(unsigned char c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
         (c >= 123 && c <= 126);
}

void flush(std::string& word, std::vector<std::string>& out) {
  if (word.empty()) return;
  out.push_back(word);
  word.clear();
}
} // namespace

void BasicTokenizer::tokenize(std::string_view text, std::vector<std::string>& out) const {
  // Most corpus text is ASCII; it needs no decoding or normalisation.
  if (utf8::isAscii(text))
    tokenizeAscii(text, out);
  else
    tokenizeUnicode(text, out);
}

std::vector<std::string> BasicTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> out;
  tokenize(text, out);
  return out;
}

void BasicTokenizer::tokenizeAscii(std::string_view text, std::vector<std::string>& out) const {
  std::string word;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush(word, out);
    } else if (c < 0x20 || c == 0x7F) {
      continue; // control characters (and NUL) are dropped, not word breaks
    } else if (isAsciiPunctuation(c)) {
      flush(word, out);
      out.emplace_back(1, ch);
    } else {
      word.push_back(m_options.lowerCase && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : ch);
    }
  }
  flush(word, out);
}

void BasicTokenizer::tokenizeUnicode(std::string_view text, std::vector<std::string>& out) const {
  std::u32string decoded;
  decoded.reserve(text.size());
  utf8::decode(text, decoded);

  // Cleanup and CJK spacing, as _clean_text and _tokenize_chinese_chars do.
  std::u32string cleaned;
  cleaned.reserve(decoded.size());
  for (char32_t cp : decoded) {
    if (cp == 0 || cp == utf8::kReplacement || unicode::isBertControl(cp)) continue;
    if (unicode::isBertWhitespace(cp)) {
      cleaned.push_back(' ');
    } else if (m_options.tokenizeChineseChars && unicode::isCjkIdeograph(cp)) {
      cleaned.push_back(' ');
      cleaned.push_back(cp);
      cleaned.push_back(' ');
    } else {
      cleaned.push_back(cp);
    }
  }
  unicode::toNfc(cleaned);

  size_t start = 0;
  for (size_t i = 0; i <= cleaned.size(); ++i) {
    if (i < cleaned.size() && cleaned[i] != ' ' && !unicode::isLineOrParagraphSeparator(cleaned[i]))
      continue;
    if (i > start) finishWord(std::u32string_view(cleaned).substr(start, i - start), out);
    start = i + 1;
  }
}

// Lower-cases, strips accents and splits punctuation off one whitespace word.
void BasicTokenizer::finishWord(std::u32string_view word, std::vector<std::string>& out) const {
  std::u32string w;
  w.reserve(word.size() + 1);
  for (char32_t cp : word) {
    if (m_options.lowerCase)
      unicode::appendLower(w, cp);
    else
      w.push_back(cp);
  }
  if (m_options.stripAccents) {
    unicode::toNfd(w);
    std::u32string kept;
    kept.reserve(w.size());
    for (char32_t cp : w)
      if (!unicode::isNonspacingMark(cp)) kept.push_back(cp);
    w.swap(kept);
  }
  std::string piece;
  for (char32_t cp : w) {
    if (unicode::isBertPunctuation(cp)) {
      flush(piece, out);
      utf8::append(piece, cp);
      flush(piece, out);
    } else {
      utf8::append(piece, cp);
    }
  }
  flush(piece, out);
}

} // namespace chrysalis::text
