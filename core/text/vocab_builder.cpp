#include "text/vocab_builder.h"

#include "text/utf8.h"
#include "text/vocab.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <queue>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace chrysalis::text {

namespace {
using Symbol = uint32_t;
using PairKey = uint64_t;

PairKey key(Symbol a, Symbol b) {
  return (static_cast<uint64_t>(a) << 32) | b;
}
Symbol left(PairKey k) {
  return static_cast<Symbol>(k >> 32);
}
Symbol right(PairKey k) {
  return static_cast<Symbol>(k & 0xFFFFFFFFu);
}

struct Word {
  std::vector<Symbol> symbols;
  int64_t count = 0;
};

struct Candidate {
  int64_t count;
  std::string merged;
  std::string leftPiece;
  PairKey pair;
};

// Orders the heap so that top() is the pair to merge next.
struct MergeLater {
  bool operator()(const Candidate& x, const Candidate& y) const {
    if (x.count != y.count) return x.count < y.count;
    if (x.merged != y.merged) return x.merged > y.merged;
    return x.leftPiece > y.leftPiece;
  }
};

class Merger {
public:
  Merger(std::vector<Word> words, std::vector<std::string>& symbols,
         std::unordered_map<std::string, Symbol>& ids)
      : m_words(std::move(words)), m_symbols(symbols), m_ids(ids) {
    for (size_t w = 0; w < m_words.size(); ++w)
      addPairs(w, nullptr);
    for (const auto& [pair, count] : m_counts)
      push(pair);
  }

  // Runs merges until `vocab` has `size` entries or no pair is left.
  void run(std::vector<std::string>& vocab, std::unordered_set<std::string>& inVocab, size_t size) {
    while (vocab.size() < size && !m_heap.empty()) {
      Candidate best = m_heap.top();
      m_heap.pop();
      const int64_t current = count(best.pair);
      if (current != best.count) { // stale entry: re-queue with today's count
        if (current > 0) push(best.pair);
        continue;
      }
      const Symbol merged = symbolFor(best.merged);
      if (inVocab.insert(best.merged).second) vocab.push_back(best.merged);
      apply(best.pair, merged);
    }
  }

private:
  int64_t count(PairKey pair) const {
    auto it = m_counts.find(pair);
    return it == m_counts.end() ? 0 : it->second;
  }

  std::string mergedPiece(PairKey pair) const {
    return m_symbols[left(pair)] + m_symbols[right(pair)].substr(2);
  }

  void push(PairKey pair) {
    m_heap.push({count(pair), mergedPiece(pair), m_symbols[left(pair)], pair});
  }

  Symbol symbolFor(const std::string& piece) {
    auto [it, inserted] = m_ids.emplace(piece, static_cast<Symbol>(m_symbols.size()));
    if (inserted) m_symbols.push_back(piece);
    return it->second;
  }

  void addPairs(size_t w, std::unordered_set<PairKey>* grown) {
    const Word& word = m_words[w];
    for (size_t i = 0; i + 1 < word.symbols.size(); ++i) {
      const PairKey k = key(word.symbols[i], word.symbols[i + 1]);
      m_counts[k] += word.count;
      m_where[k].push_back(static_cast<uint32_t>(w));
      if (grown) grown->insert(k);
    }
  }

  void removePairs(size_t w) {
    const Word& word = m_words[w];
    for (size_t i = 0; i + 1 < word.symbols.size(); ++i)
      m_counts[key(word.symbols[i], word.symbols[i + 1])] -= word.count;
  }

  // Replaces every (a, b) by `merged` in the words that contain it.
  void apply(PairKey pair, Symbol merged) {
    const Symbol a = left(pair);
    const Symbol b = right(pair);
    std::vector<uint32_t> where = std::move(m_where[pair]);
    m_where.erase(pair);
    std::sort(where.begin(), where.end());
    where.erase(std::unique(where.begin(), where.end()), where.end());
    std::unordered_set<PairKey> grown;
    for (uint32_t w : where) {
      std::vector<Symbol>& s = m_words[w].symbols;
      bool found = false;
      for (size_t i = 0; i + 1 < s.size() && !found; ++i)
        found = s[i] == a && s[i + 1] == b;
      if (!found) continue; // stale: an earlier merge removed the pair here
      removePairs(w);
      std::vector<Symbol> next;
      next.reserve(s.size());
      for (size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          next.push_back(merged);
          ++i;
        } else {
          next.push_back(s[i]);
        }
      }
      s.swap(next);
      addPairs(w, &grown);
    }
    m_counts.erase(pair);
    for (PairKey k : grown)
      if (left(k) == merged || right(k) == merged) push(k);
  }

  std::vector<Word> m_words;
  std::vector<std::string>& m_symbols;
  std::unordered_map<std::string, Symbol>& m_ids;
  std::unordered_map<PairKey, int64_t> m_counts;
  std::unordered_map<PairKey, std::vector<uint32_t>> m_where;
  std::priority_queue<Candidate, std::vector<Candidate>, MergeLater> m_heap;
};
} // namespace

std::vector<std::string> buildWordPieceVocab(const std::vector<std::string>& corpus,
                                             const VocabBuilderOptions& options) {
  if (options.vocabSize < 5)
    throw std::invalid_argument("vocabSize must hold at least the 5 special tokens");

  // 1. Word counts (std::map: a fixed order for everything that follows).
  BasicTokenizer basic(options.basic);
  std::map<std::string, int64_t> wordCounts;
  std::vector<std::string> words;
  for (const std::string& line : corpus) {
    words.clear();
    basic.tokenize(line, words);
    for (const std::string& w : words)
      if (utf8::length(w) <= options.maxCharsPerWord) ++wordCounts[w];
  }

  // 2. The alphabet, most frequent characters first.
  std::map<char32_t, int64_t> charCounts;
  std::u32string cps;
  for (const auto& [w, n] : wordCounts) {
    cps.clear();
    utf8::decode(w, cps);
    for (char32_t c : cps)
      charCounts[c] += n;
  }
  std::vector<std::pair<char32_t, int64_t>> byFrequency(charCounts.begin(), charCounts.end());
  std::stable_sort(byFrequency.begin(), byFrequency.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second; });
  const size_t alphabetRoom = (options.vocabSize - 5) / 2;
  if (byFrequency.size() > alphabetRoom) byFrequency.resize(alphabetRoom);

  std::vector<std::string> vocab(std::begin(Vocab::kSpecialTokens),
                                 std::end(Vocab::kSpecialTokens));
  std::unordered_set<std::string> inVocab(vocab.begin(), vocab.end());
  std::vector<std::string> plain, continued;
  for (const auto& [c, n] : byFrequency) {
    std::string s;
    utf8::append(s, c);
    plain.push_back(s);
    continued.push_back("##" + s);
  }
  std::sort(plain.begin(), plain.end());
  std::sort(continued.begin(), continued.end());
  for (const auto* group : {&plain, &continued})
    for (const std::string& s : *group)
      if (inVocab.insert(s).second) vocab.push_back(s);

  // 3. Merges over words made only of alphabet characters.
  std::vector<std::string> symbols;
  std::unordered_map<std::string, Symbol> ids;
  auto symbolFor = [&](const std::string& piece) {
    auto [it, inserted] = ids.emplace(piece, static_cast<Symbol>(symbols.size()));
    if (inserted) symbols.push_back(piece);
    return it->second;
  };
  std::vector<Word> split;
  for (const auto& [w, n] : wordCounts) {
    if (n < static_cast<int64_t>(options.minWordCount)) continue;
    Word word;
    word.count = n;
    size_t pos = 0;
    bool usable = true;
    while (pos < w.size()) {
      std::string piece = pos == 0 ? "" : "##";
      utf8::append(piece, utf8::decodeNext(w, pos));
      if (!inVocab.count(piece)) usable = false;
      word.symbols.push_back(symbolFor(piece));
    }
    if (usable && word.symbols.size() > 1) split.push_back(std::move(word));
  }
  Merger merger(std::move(split), symbols, ids);
  merger.run(vocab, inVocab, options.vocabSize);
  return vocab;
}

} // namespace chrysalis::text
