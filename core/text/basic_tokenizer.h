#pragma once
// BERT's "basic" tokenizer: text cleanup, CJK splitting, NFC, whitespace
// split, optional lower-casing and accent stripping, punctuation split. It
// reproduces Hugging Face's slow (Python) BasicTokenizer step for step; the
// WordPiece stage then splits each of its words into vocabulary pieces.
#include <string>
#include <string_view>
#include <vector>

namespace chrysalis::text {

struct BasicTokenizerOptions {
  bool lowerCase = true;
  // Hugging Face's strip_accents=None means "follow lowerCase".
  bool stripAccents = true;
  bool tokenizeChineseChars = true;

  static BasicTokenizerOptions uncased() { return {true, true, true}; }
  static BasicTokenizerOptions cased() { return {false, false, true}; }
};

class BasicTokenizer {
public:
  explicit BasicTokenizer(BasicTokenizerOptions options = {}) : m_options(options) {}

  // Appends the words of `text` to `out`. Malformed UTF-8 bytes are read as
  // U+FFFD, which cleanup drops (as Python would after errors="replace").
  void tokenize(std::string_view text, std::vector<std::string>& out) const;
  std::vector<std::string> tokenize(std::string_view text) const;

  const BasicTokenizerOptions& options() const { return m_options; }

private:
  void tokenizeAscii(std::string_view text, std::vector<std::string>& out) const;
  void tokenizeUnicode(std::string_view text, std::vector<std::string>& out) const;
  void finishWord(std::u32string_view word, std::vector<std::string>& out) const;

  BasicTokenizerOptions m_options;
};

} // namespace chrysalis::text
