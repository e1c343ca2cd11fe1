// Tokenize + align every sentence of EWT train on one core and report
// sentences per second (reading the file is not timed).
// Usage: bench_tokenize [DATA_DIR] [REPEATS]   (DATA_DIR defaults to shared/data)
#include "text/conllu.h"
#include "text/wordpiece.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

int main(int argc, char** argv) {
  using namespace chrysalis::text;
  const std::filesystem::path data = argc > 1 && argv[1][0] ? argv[1] : CHRYSALIS_SHARED_DATA;
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  try {
    const auto sentences = readConllu(data / "ud/UD_English-EWT/en_ewt-ud-train.conllu");
    const WordPieceTokenizer tokenizer(Vocab::load(data / "vocab/bert-base-uncased-vocab.txt"));
    size_t words = 0;
    for (const Sentence& s : sentences)
      words += s.size();

    std::vector<double> rates;
    size_t pieces = 0;
    for (int r = 0; r < repeats; ++r) {
      pieces = 0;
      const auto start = std::chrono::steady_clock::now();
      for (const Sentence& s : sentences)
        pieces += tokenizer.encodeWords(s.words, 512).ids.size();
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      rates.push_back(static_cast<double>(sentences.size()) / took.count());
    }
    std::sort(rates.begin(), rates.end());
    std::printf("EWT train: %zu sentences, %zu words, %zu ids with [CLS]/[SEP]\n", sentences.size(),
                words, pieces);
    std::printf("tokenize+align: median %.0f sentences/s (best %.0f, %d runs, one thread)\n",
                rates[rates.size() / 2], rates.back(), repeats);
    std::printf("                %.0f words/s (median)\n",
                rates[rates.size() / 2] * static_cast<double>(words) /
                    static_cast<double>(sentences.size()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_tokenize: %s\n", e.what());
    return 1;
  }
  return 0;
}
