#pragma once
// Builds a WordPiece vocabulary from a corpus, deterministically.
//
// Algorithm (a WordPiece-flavoured BPE, as Hugging Face's WordPieceTrainer):
//  1. Run BERT's basic tokenizer (same options as the tokenizer that will use
//     the vocabulary) over every corpus string and count the words. Words
//     longer than maxCharsPerWord code points are ignored (they become [UNK]
//     whatever the vocabulary).
//  2. Alphabet: every character of the counted words, both as a word-initial
//     piece "c" and as a continuation "##c", so any word over the alphabet can
//     be tokenized. If the alphabet does not fit, the most frequent characters
//     are kept (ties: smaller code point first).
//  3. Words with count >= minWordCount are split into characters (first one
//     plain, the rest "##"). Repeatedly, the adjacent pair with the highest
//     count (summed over word occurrences) is merged everywhere: "x" + "##y"
//     → "xy", "##x" + "##y" → "##xy". Ties go to the lexicographically
//     (bytewise) smallest merged piece, then the smallest left piece. Each
//     merge adds its piece unless already present, until the vocabulary has
//     vocabSize entries or no pair is left (the result is then smaller).
//  4. Output order: [PAD] [UNK] [CLS] [SEP] [MASK], the plain characters, the
//     "##" characters (each group in byte order), then pieces in merge order.
#include "text/basic_tokenizer.h"

#include <string>
#include <vector>

namespace chrysalis::text {

struct VocabBuilderOptions {
  size_t vocabSize = 30522;
  BasicTokenizerOptions basic = BasicTokenizerOptions::uncased();
  size_t minWordCount = 1;
  size_t maxCharsPerWord = 100;
};

// The tokens in vocab.txt order (id = index); feed them to Vocab::fromTokens
// or write them one per line. Throws std::invalid_argument when vocabSize
// cannot even hold the five special tokens.
std::vector<std::string> buildWordPieceVocab(const std::vector<std::string>& corpus,
                                             const VocabBuilderOptions& options = {});

} // namespace chrysalis::text
