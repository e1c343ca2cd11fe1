// libFuzzer target: vocab.txt loading, then the tokenizer. The bytes are
// tried as a vocabulary (tokenizing them with it when it loads) and always
// as text for a small fixed vocabulary, cased and uncased, plain and as
// pre-split words.
#include "text/wordpiece.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

namespace {
using namespace chrysalis::text;

const Vocab& fixedVocab() {
  static const Vocab v = [] {
    std::istringstream in("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nb\nab\n##a\n##b\n##ab\n.\n,\n"
                          "caf\xC3\xA9\ncafe\n\xE4\xB8\xAD\n##\xC3\xA9\n##e\nthe\n##s\n");
    return Vocab::read(in, "fixed.txt");
  }();
  return v;
}

void exercise(const WordPieceTokenizer& tokenizer, const std::string& text) {
  volatile size_t n = tokenizer.encode(text, 16).ids.size();
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= text.size() && words.size() < 64) { // split on spaces into "CoNLL-U words"
    size_t space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    words.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  n = n + tokenizer.encodeWords(words, 32).keptWords;
  (void)n;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    std::istringstream in(bytes);
    const WordPieceTokenizer tokenizer(Vocab::read(in, "fuzz.txt"));
    exercise(tokenizer, bytes);
  } catch (const chrysalis::InputError&) {
    // Expected for most inputs.
  }
  exercise(WordPieceTokenizer(fixedVocab(), WordPieceOptions::uncased()), bytes);
  exercise(WordPieceTokenizer(fixedVocab(), WordPieceOptions::cased()), bytes);
  return 0;
}
