#include "gpu_test_data.h"

#include "chrysalis/gpu/reference.h"
#include "engine_fixture.h"
#include "probes/uas.h"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace chrysalis::test::gpu {

using chrysalis::gpu::AttentionLayout;
using chrysalis::gpu::countIndex;

namespace {

std::string relationName(int r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "r%03d", r);
  return buf;
}

// A sentence of `n` words with 1..maxPieces pieces each, from piece 1 on.
std::vector<std::pair<int32_t, int32_t>> randomSpans(std::mt19937& rng, int n, int maxPieces) {
  std::uniform_int_distribution<int> pieces(1, maxPieces);
  std::vector<std::pair<int32_t, int32_t>> spans;
  int32_t at = 1;
  for (int i = 0; i < n; ++i) {
    const int32_t k = pieces(rng);
    spans.emplace_back(at, at + k);
    at += k;
  }
  return spans;
}

void randomParse(std::mt19937& rng, int n, int relations, bool uncounted,
                 std::vector<int32_t>* heads, std::vector<int32_t>* rels) {
  std::uniform_int_distribution<int32_t> head(0, n), rel(0, relations - 1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  heads->clear();
  rels->clear();
  for (int i = 0; i < n; ++i) {
    heads->push_back(head(rng));
    rels->push_back(uncounted && u(rng) < 0.1 ? -1 : rel(rng));
  }
}

// Sequence length of sentence b: its pieces plus [CLS] and [SEP].
int64_t sentenceLength(const chrysalis::gpu::UasBatch& w, size_t b) {
  const int32_t first = w.wordOffset[b], last = w.wordOffset[b + 1];
  return last > first ? w.pieceEnd[static_cast<size_t>(last) - 1] + 1 : 2;
}

const float* mapOf(const AttentionBatch& b, int64_t s, int64_t l, int64_t h) {
  return b.attention.data() + s * b.layout.strideBatch + l * b.layout.strideLayer +
         h * b.layout.strideHead;
}

} // namespace

AttentionBatch randomBatch(uint32_t seed, const RandomBatchOptions& o) {
  std::mt19937 rng(seed);
  AttentionBatch out;
  out.relations = o.relations;
  std::uniform_int_distribution<int> words(o.allowEmpty ? 0 : 1, o.maxWords);
  std::vector<int32_t> heads, rels;
  int64_t T = 2;
  for (int s = 0; s < o.sentences; ++s) {
    const int n = words(rng);
    const auto spans = randomSpans(rng, n, o.maxPiecesPerWord);
    randomParse(rng, n, o.relations, o.uncounted, &heads, &rels);
    out.words.add(spans, heads, rels);
    T = std::max<int64_t>(T, sentenceLength(out.words, static_cast<size_t>(s)));
  }
  if (o.sentences == 0) out.words.wordOffset.push_back(0);
  out.layout = o.layerMajor ? AttentionLayout::layerMajor(o.layers, o.sentences, o.heads, T)
                            : AttentionLayout::batchMajor(o.sentences, o.layers, o.heads, T);
  out.attention.assign(static_cast<size_t>(out.layout.extent()), o.padding);
  std::uniform_real_distribution<float> value(0.0f, 1.0f);
  std::uniform_int_distribution<int> tie(0, 4);
  for (int64_t s = 0; s < o.sentences; ++s) {
    const int64_t Tb = sentenceLength(out.words, static_cast<size_t>(s));
    for (int64_t l = 0; l < o.layers; ++l)
      for (int64_t h = 0; h < o.heads; ++h) {
        float* m = out.attention.data() + s * out.layout.strideBatch + l * out.layout.strideLayer +
                   h * out.layout.strideHead;
        for (int64_t q = 0; q < Tb; ++q)
          for (int64_t k = 0; k < Tb; ++k)
            m[q * T + k] = o.ties ? static_cast<float>(tie(rng)) / 16.0f : value(rng);
      }
  }
  return out;
}

std::vector<UasCase> uasCases(bool large) {
  std::vector<UasCase> cases{
      {{1, 1, 1, 1, 1, 2, false, false}, "one word"},
      {{3, 2, 2, 6, 1, 4, false, false}, "one piece per word"},
      {{6, 2, 3, 12, 4, 6, false, false, true}, "ragged spans, uncounted words"},
      {{6, 2, 3, 12, 4, 6, true, false}, "ragged spans, [L,B,H,T,T]"},
      {{8, 3, 2, 15, 3, 7, false, true}, "ties"},
      {{8, 3, 2, 15, 3, 7, true, true, true, true}, "ties, empty sentences"},
      {{4, 1, 2, 40, 2, 9, true, true}, "long sentences with ties"},
  };
  if (large) {
    cases.push_back({{32, 4, 4, 40, 3, 20, false, false}, "BERT-like batch"});
    // Up to 126 one-piece words: T up to 128 and two shared-memory bands.
    cases.push_back({{6, 2, 2, 126, 1, 10, true, true}, "up to 126 words, two bands"});
    cases.push_back({{3, 1, 2, 400, 1, 10, false, false}, "up to 400 words, many bands"});
  }
  return cases;
}

std::vector<int64_t> twinCounts(const AttentionBatch& b) {
  std::vector<int64_t> c(static_cast<size_t>(b.layout.layers * b.layout.heads * 2 * b.relations),
                         0);
  chrysalis::gpu::reference::uasCorrectCounts(b.attention.data(), b.layout, b.words, b.relations,
                                              c.data());
  return c;
}

AttentionBatch tinyBertBatch(uint32_t seed, int relations) {
  const auto file = tinyBert("expected.h5");
  auto attn = readExpected(file, "attentions").contiguous(); // [L,B,H,T,T]
  auto mask = readExpected(file, "attention_mask");          // [B,T]
  const int64_t L = attn.size(0), B = attn.size(1), H = attn.size(2), T = attn.size(3);
  AttentionBatch out;
  out.relations = relations;
  out.layout = AttentionLayout::layerMajor(L, B, H, T);
  out.attention.assign(attn.data_ptr<float>(), attn.data_ptr<float>() + attn.numel());
  std::mt19937 rng(seed);
  std::vector<int32_t> heads, rels;
  for (int64_t b = 0; b < B; ++b) {
    const int64_t real = mask[b].sum().item<int64_t>(); // [CLS] pieces [SEP]
    // Cut pieces 1..real-2 into words of 1-3 pieces.
    std::vector<std::pair<int32_t, int32_t>> spans;
    std::uniform_int_distribution<int> pieces(1, 3);
    for (int32_t at = 1; at < real - 1;) {
      const int32_t end = std::min<int32_t>(at + pieces(rng), static_cast<int32_t>(real - 1));
      spans.emplace_back(at, end);
      at = end;
    }
    randomParse(rng, static_cast<int>(spans.size()), relations, false, &heads, &rels);
    out.words.add(spans, heads, rels);
  }
  return out;
}

std::vector<float> tinyBertHiddenPoints(int64_t* n, int64_t* d) {
  const auto file = tinyBert("expected.h5");
  auto hidden = readExpected(file, "hidden_states"); // [L+1,B,T,D]
  auto mask = readExpected(file, "attention_mask");
  std::vector<float> points;
  *d = hidden.size(3);
  *n = 0;
  for (int64_t l = 0; l < hidden.size(0); ++l)
    for (int64_t b = 0; b < hidden.size(1); ++b)
      for (int64_t t = 0; t < hidden.size(2); ++t) {
        if (mask[b][t].item<int64_t>() == 0) continue;
        auto row = hidden[l][b][t].contiguous();
        points.insert(points.end(), row.data_ptr<float>(), row.data_ptr<float>() + *d);
        ++*n;
      }
  return points;
}

std::vector<int64_t> proberCounts(const AttentionBatch& b) {
  const auto& lay = b.layout;
  const auto& w = b.words;
  probes::ProbeSet set;
  for (size_t s = 0; s < w.sentences(); ++s) {
    probes::ParsedSentence ps;
    for (int32_t k = w.wordOffset[s]; k < w.wordOffset[s + 1]; ++k) {
      if (w.relation[static_cast<size_t>(k)] < 0)
        throw std::invalid_argument("proberCounts: relation -1");
      ps.words.push_back("w");
      ps.heads.push_back(w.head[static_cast<size_t>(k)]);
      ps.relations.push_back(relationName(w.relation[static_cast<size_t>(k)]));
    }
    set.sentences.push_back(ps);
  }
  probes::UasAccumulator acc(lay.layers, lay.heads, set, probes::UasOptions{0});
  for (size_t s = 0; s < w.sentences(); ++s) {
    const int64_t Tb = sentenceLength(w, s);
    std::vector<text::PieceSpan> spans;
    for (int32_t k = w.wordOffset[s]; k < w.wordOffset[s + 1]; ++k)
      spans.push_back({w.pieceBegin[static_cast<size_t>(k)], w.pieceEnd[static_cast<size_t>(k)]});
    // The prober's contiguous [L*H, T_b, T_b] slice.
    std::vector<float> maps(static_cast<size_t>(lay.layers * lay.heads * Tb * Tb));
    for (int64_t l = 0; l < lay.layers; ++l)
      for (int64_t h = 0; h < lay.heads; ++h) {
        const float* m = mapOf(b, static_cast<int64_t>(s), l, h);
        float* o = maps.data() + (l * lay.heads + h) * Tb * Tb;
        for (int64_t q = 0; q < Tb; ++q)
          for (int64_t k = 0; k < Tb; ++k)
            o[q * Tb + k] = m[q * lay.T + k];
      }
    const auto words = probes::wordLevelMaps(
        maps.data(), static_cast<size_t>(lay.layers * lay.heads), static_cast<size_t>(Tb), spans);
    acc.addSentence(s, words.data(), spans.size() + 2);
  }
  const auto res = acc.finish();
  const auto& names = res.strings.at("uas/relations");
  const auto& accuracy = res.arrays.at("uas/accuracy").values; // [L,H,2,R']
  const auto& occurrences = res.arrays.at("uas/relation_counts").values;
  const size_t R2 = names.size();
  std::vector<int64_t> counts(static_cast<size_t>(lay.layers * lay.heads * 2 * b.relations), 0);
  for (int64_t l = 0; l < lay.layers; ++l)
    for (int64_t h = 0; h < lay.heads; ++h)
      for (int dir = 0; dir < 2; ++dir)
        for (size_t r = 0; r < R2; ++r) {
          const int rel = std::stoi(names[r].substr(1));
          const double a =
              accuracy[(static_cast<size_t>(l * lay.heads + h) * 2 + static_cast<size_t>(dir)) *
                           R2 +
                       r];
          counts[countIndex(l, h, dir, rel, lay.heads, b.relations)] =
              std::llround(a * occurrences[r]);
        }
  return counts;
}

chrysalis::probes::TwoNnResult twoNnFromSquared(std::vector<double> first,
                                                std::vector<double> second) {
  for (auto* v : {&first, &second})
    for (auto& x : *v)
      x = std::sqrt(x);
  return chrysalis::probes::twoNnFromDistances(first, second);
}

std::vector<float> randomPoints(uint32_t seed, int64_t n, int64_t d, bool lattice) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g;
  std::uniform_int_distribution<int> small(-2, 2);
  std::vector<float> x(static_cast<size_t>(n * d));
  for (auto& v : x)
    v = lattice ? static_cast<float>(small(rng)) : g(rng);
  return x;
}

} // namespace chrysalis::test::gpu
