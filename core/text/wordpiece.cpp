#include "text/wordpiece.h"

#include <algorithm>
#include <stdexcept>

namespace chrysalis::text {

namespace {
bool isContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

size_t codePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    n += isContinuationByte(c) ? 0 : 1;
  return n;
}

void checkPositions(size_t maxPositions) {
  if (maxPositions < 2)
    throw std::invalid_argument("maxPositions must leave room for [CLS] and [SEP]");
}
} // namespace

WordPieceTokenizer::WordPieceTokenizer(Vocab vocab, WordPieceOptions options)
    : m_vocab(std::move(vocab)), m_options(options), m_basic(options.basic) {}

void WordPieceTokenizer::wordPieces(std::string_view word, std::vector<int32_t>& out) const {
  const int32_t unk = m_vocab.specials().unk;
  if (codePointCount(word) > m_options.maxCharsPerWord) {
    out.push_back(unk);
    return;
  }
  const size_t mark = out.size();
  size_t start = 0;
  while (start < word.size()) {
    // Longest candidate first; no vocabulary entry is longer than maxLen bytes.
    const size_t maxLen = start == 0 ? m_vocab.maxTokenBytes() : m_vocab.maxStemBytes();
    size_t end = std::min(word.size(), start + maxLen);
    while (end > start && end < word.size() && isContinuationByte(word[end]))
      --end;
    int32_t id = Vocab::kMissing;
    while (end > start) {
      std::string_view candidate = word.substr(start, end - start);
      id = start == 0 ? m_vocab.find(candidate) : m_vocab.findContinuation(candidate);
      if (id != Vocab::kMissing) break;
      do {
        --end;
      } while (end > start && isContinuationByte(word[end]));
    }
    if (id == Vocab::kMissing) { // no piece covers this position: the whole word is unknown
      out.resize(mark);
      out.push_back(unk);
      return;
    }
    out.push_back(id);
    start = end;
  }
}

void WordPieceTokenizer::tokenizePlain(std::string_view text, std::vector<int32_t>& out) const {
  thread_local std::vector<std::string> words;
  words.clear();
  m_basic.tokenize(text, words);
  for (const std::string& word : words)
    wordPieces(word, out);
}

void WordPieceTokenizer::tokenizeIds(std::string_view text, std::vector<int32_t>& out) const {
  if (!m_options.keepSpecialTokens) {
    tokenizePlain(text, out);
    return;
  }
  // Split around literal special tokens, as Hugging Face's added-token trie does.
  size_t segment = 0;
  size_t pos = text.find('[');
  while (pos != std::string_view::npos) {
    int32_t special = Vocab::kMissing;
    size_t length = 0;
    for (const char* name : Vocab::kSpecialTokens) {
      std::string_view n(name);
      if (text.substr(pos, n.size()) == n) {
        special = m_vocab.find(n);
        length = n.size();
        break;
      }
    }
    if (special == Vocab::kMissing) {
      pos = text.find('[', pos + 1);
      continue;
    }
    tokenizePlain(text.substr(segment, pos - segment), out);
    out.push_back(special);
    segment = pos + length;
    pos = text.find('[', segment);
  }
  tokenizePlain(text.substr(segment), out);
}

std::vector<int32_t> WordPieceTokenizer::tokenizeIds(std::string_view text) const {
  std::vector<int32_t> out;
  tokenizeIds(text, out);
  return out;
}

std::vector<std::string> WordPieceTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> pieces;
  for (int32_t id : tokenizeIds(text))
    pieces.push_back(m_vocab.token(id));
  return pieces;
}

Encoding WordPieceTokenizer::encode(std::string_view text, size_t maxPositions) const {
  checkPositions(maxPositions);
  Encoding enc;
  enc.ids.push_back(m_vocab.specials().cls);
  tokenizeIds(text, enc.ids);
  if (enc.ids.size() > maxPositions - 1) {
    enc.ids.resize(maxPositions - 1);
    enc.truncated = true;
  }
  enc.ids.push_back(m_vocab.specials().sep);
  return enc;
}

WordAlignment WordPieceTokenizer::encodeWords(const std::vector<std::string>& words,
                                              size_t maxPositions) const {
  checkPositions(maxPositions);
  WordAlignment result;
  result.ids.reserve(std::min(maxPositions, words.size() * 2 + 2));
  result.ids.push_back(m_vocab.specials().cls);
  result.spans.resize(words.size());
  std::vector<int32_t> pieces;
  for (size_t w = 0; w < words.size(); ++w) {
    pieces.clear();
    tokenizeIds(words[w], pieces);
    if (pieces.empty()) pieces.push_back(m_vocab.specials().unk);
    // Keep a prefix of whole words: once one word does not fit, stop.
    if (result.ids.size() + pieces.size() + 1 > maxPositions) break;
    const auto begin = static_cast<int32_t>(result.ids.size());
    result.ids.insert(result.ids.end(), pieces.begin(), pieces.end());
    result.spans[w] = {begin, static_cast<int32_t>(result.ids.size())};
    result.keptWords = w + 1;
  }
  const auto sepAt = static_cast<int32_t>(result.ids.size());
  for (size_t w = result.keptWords; w < words.size(); ++w)
    result.spans[w] = {sepAt, sepAt};
  result.ids.push_back(m_vocab.specials().sep);
  return result;
}

} // namespace chrysalis::text
