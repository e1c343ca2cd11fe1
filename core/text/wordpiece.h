#pragma once
// WordPiece tokenization as Hugging Face's (slow, Python) BertTokenizer does
// it: special tokens written literally in the text are kept whole, the rest
// goes through BasicTokenizer and then greedy longest-match-first WordPiece
// with "##" continuations. A word longer than maxCharsPerWord code points, or
// one that cannot be covered by vocabulary pieces, becomes [UNK].
#include "text/basic_tokenizer.h"
#include "text/vocab.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chrysalis::text {

struct WordPieceOptions {
  BasicTokenizerOptions basic = BasicTokenizerOptions::uncased();
  size_t maxCharsPerWord = 100; // Hugging Face's max_input_chars_per_word
  // Keep "[CLS]", "[MASK]", ... written in the text as single tokens (Hugging
  // Face's default, split_special_tokens=False).
  bool keepSpecialTokens = true;

  static WordPieceOptions uncased() { return {}; }
  static WordPieceOptions cased() { return {BasicTokenizerOptions::cased(), 100, true}; }
};

// [CLS] pieces [SEP], cut to at most maxPositions ids.
struct Encoding {
  std::vector<int32_t> ids;
  bool truncated = false;
};

// A word's pieces: ids[begin, end) of the encoded sequence ([CLS] is at 0).
struct PieceSpan {
  int32_t begin = 0;
  int32_t end = 0;
  int32_t size() const { return end - begin; }
};

// Pre-split words (e.g. CoNLL-U FORMs) encoded as [CLS] pieces [SEP].
struct WordAlignment {
  std::vector<int32_t> ids;
  // One span per input word. Words [0, keptWords) are in the sequence, each
  // with at least one piece, contiguous and in order. The rest were truncated
  // away (a word is kept whole or not at all) and have an empty span at the
  // position of [SEP].
  std::vector<PieceSpan> spans;
  size_t keptWords = 0;

  bool truncated(size_t word) const { return word >= keptWords; }
  size_t truncatedCount() const { return spans.size() - keptWords; }
};

class WordPieceTokenizer {
public:
  explicit WordPieceTokenizer(Vocab vocab, WordPieceOptions options = {});

  // Piece ids of `text` (no [CLS]/[SEP]); appends to `out`.
  void tokenizeIds(std::string_view text, std::vector<int32_t>& out) const;
  std::vector<int32_t> tokenizeIds(std::string_view text) const;
  // Piece strings of `text`, e.g. "unaffable" → un ##aff ##able.
  std::vector<std::string> tokenize(std::string_view text) const;

  // [CLS] pieces [SEP]; pieces past maxPositions - 2 are cut off.
  Encoding encode(std::string_view text, size_t maxPositions = 512) const;

  // Tokenizes each word on its own (a word that yields no piece at all, e.g.
  // only control characters, gets [UNK] so that every word has a piece) and
  // keeps as many whole words as fit in maxPositions with [CLS] and [SEP].
  WordAlignment encodeWords(const std::vector<std::string>& words, size_t maxPositions = 512) const;

  const Vocab& vocab() const { return m_vocab; }
  const WordPieceOptions& options() const { return m_options; }

private:
  // Greedy longest-match-first split of one basic-tokenizer word.
  void wordPieces(std::string_view word, std::vector<int32_t>& out) const;
  void tokenizePlain(std::string_view text, std::vector<int32_t>& out) const;

  Vocab m_vocab;
  WordPieceOptions m_options;
  BasicTokenizer m_basic;
};

} // namespace chrysalis::text
