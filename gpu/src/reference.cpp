// CPU twins of the gpu/ kernels (see reference.h). The UAS twin runs core's
// probes::wordLevelMaps and probes::UasAccumulator on each sentence and reads
// the predicted parents back, so it cannot drift from the CPU prober.
#include "chrysalis/gpu/reference.h"

#include "probes/uas.h"

#include <limits>
#include <string>

namespace chrysalis::gpu::reference {

void uasCorrectCounts(const float* attention, const AttentionLayout& layout, const UasBatch& words,
                      int64_t relations, int64_t* counts) {
  validateUasBatch(layout, words, relations);
  const int64_t L = layout.layers, H = layout.heads;
  const size_t T = static_cast<size_t>(layout.T);
  for (size_t b = 0; b < words.sentences(); ++b) {
    const size_t w0 = static_cast<size_t>(words.wordOffset[b]);
    const size_t n = static_cast<size_t>(words.wordOffset[b + 1]) - w0;
    if (n == 0 || L == 0 || H == 0) continue;
    // A one-sentence probe set for the accumulator; only the heads matter here.
    probes::ProbeSet set;
    probes::ParsedSentence sentence;
    std::vector<text::PieceSpan> spans;
    for (size_t k = w0; k < w0 + n; ++k) {
      sentence.words.push_back("w" + std::to_string(k - w0 + 1));
      sentence.heads.push_back(words.head[k]);
      sentence.relations.push_back(std::to_string(words.relation[k]));
      spans.push_back({words.pieceBegin[k], words.pieceEnd[k]});
    }
    set.sentences.push_back(std::move(sentence));
    probes::UasAccumulator acc(L, H, set, probes::UasOptions{0});

    // Word-level maps of every head. With the padded T the [SEP] column
    // differs from the prober's, but [CLS]/[SEP] never enter the argmax and
    // every word value is computed from the same elements in the same order.
    const size_t W = n + 2;
    std::vector<float> maps(static_cast<size_t>(L * H) * W * W);
    for (int64_t l = 0; l < L; ++l)
      for (int64_t h = 0; h < H; ++h) {
        const float* a = attention + static_cast<int64_t>(b) * layout.strideBatch +
                         l * layout.strideLayer + h * layout.strideHead;
        const auto m = probes::wordLevelMaps(a, 1, T, spans);
        std::copy(m.begin(), m.end(),
                  maps.begin() + static_cast<long>(static_cast<size_t>(l * H + h) * W * W));
      }
    acc.addSentence(0, maps.data(), W);

    // Correct exactly where the accumulator marks a word correct: a non-root
    // gold head that equals the prediction.
    for (int64_t l = 0; l < L; ++l)
      for (int64_t h = 0; h < H; ++h)
        for (int dir = 0; dir < 2; ++dir)
          for (size_t i = 1; i <= n; ++i) {
            const int32_t gold = words.head[w0 + i - 1];
            const int32_t r = words.relation[w0 + i - 1];
            const int32_t predicted = acc.lastPrediction(static_cast<size_t>(l * H + h), dir, i);
            if (gold != 0 && gold == predicted && r >= 0)
              ++counts[countIndex(l, h, dir, r, H, relations)];
          }
  }
}

void twoNnNeighbours(const float* points, int64_t n, int64_t d, double* first, double* second) {
  const double inf = std::numeric_limits<double>::infinity();
  for (int64_t i = 0; i < n; ++i) {
    double f = inf, s = inf;
    const float* xi = points + i * d;
    for (int64_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const float* xj = points + j * d;
      double acc = 0.0;
      for (int64_t k = 0; k < d; ++k) {
        const double diff = static_cast<double>(xi[k]) - static_cast<double>(xj[k]);
        const double sq = diff * diff; // this file is built with -ffp-contract=off
        acc = acc + sq;
      }
      if (acc < f) {
        s = f;
        f = acc;
      } else if (acc < s) {
        s = acc;
      }
    }
    first[i] = f;
    second[i] = s;
  }
}

} // namespace chrysalis::gpu::reference
