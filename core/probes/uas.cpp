#include "probes/uas.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

namespace chrysalis::probes {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Offsets of the fixed-offset baseline: parent = word i + k (docs/method.md, "SAS and UAS").
constexpr int kOffsets[] = {-3, -2, -1, 1, 2};
// Offsets of the per-relation best-offset baseline (docs/method.md,
// "Per-relation best-offset baseline"): parent = word i + k, inside the
// sentence; a position outside it counts as wrong (no clamping).
constexpr int kRelationOffsets[] = {-3, -2, -1, 1, 2, 3};

bool excludedRelation(const std::string& r) {
  return r == "punct" || r == "root";
}
} // namespace

std::vector<float> wordLevelMaps(const float* attention, size_t maps, size_t T,
                                 const std::vector<text::PieceSpan>& spans) {
  const size_t W = spans.size() + 2;
  // Piece range of each word: [CLS], the words, [SEP].
  std::vector<std::pair<size_t, size_t>> range{{0, 1}};
  for (const auto& s : spans)
    range.emplace_back(static_cast<size_t>(s.begin), static_cast<size_t>(s.end));
  range.emplace_back(T - 1, T);
  std::vector<float> out(maps * W * W, 0.0f);
  std::vector<double> rowSum(T);
  for (size_t m = 0; m < maps; ++m) {
    const float* a = attention + m * T * T;
    float* o = out.data() + m * W * W;
    for (size_t i = 0; i < W; ++i) {
      // Mean over the source word's pieces of each piece column...
      std::fill(rowSum.begin(), rowSum.end(), 0.0);
      const auto [b, e] = range[i];
      for (size_t p = b; p < e; ++p)
        for (size_t t = 0; t < T; ++t)
          rowSum[t] += a[p * T + t];
      const double inv = 1.0 / static_cast<double>(e - b);
      // ...summed over the target word's pieces.
      for (size_t j = 0; j < W; ++j) {
        double v = 0;
        for (size_t t = range[j].first; t < range[j].second; ++t)
          v += rowSum[t];
        o[i * W + j] = static_cast<float>(v * inv);
      }
    }
  }
  return out;
}

UasAccumulator::UasAccumulator(int64_t layers, int64_t heads, const ProbeSet& set,
                               UasOptions options)
    : m_layers(layers), m_heads(heads), m_set(set), m_options(options) {
  std::map<std::string, int32_t> index;
  for (const auto& s : set.sentences)
    for (const auto& r : s.relations)
      index.emplace(r, 0);
  for (auto& [name, i] : index) {
    i = static_cast<int32_t>(m_relations.size());
    m_relations.push_back(name);
  }
  size_t words = 0;
  for (const auto& s : set.sentences) {
    m_wordOffset.push_back(words);
    for (const auto& r : s.relations)
      m_relationIndex.push_back(index.at(r));
    words += s.words.size();
  }
  m_correct.assign(words * candidates(), 0);
  m_goldAttention.assign(words * candidates(), 0.0);
  m_added.assign(set.sentences.size(), false);
}

void UasAccumulator::addSentence(size_t s, const float* maps, size_t W) {
  const auto& sent = m_set.sentences.at(s);
  const size_t n = sent.words.size();
  if (W != n + 2) throw std::invalid_argument("word map size does not match the sentence");
  if (m_added[s]) throw std::invalid_argument("sentence added twice");
  m_added[s] = true;
  const size_t H = static_cast<size_t>(m_layers * m_heads);
  m_lastPred.assign(candidates() * (n + 1), 0);
  for (size_t h = 0; h < H; ++h) {
    const float* m = maps + h * W * W;
    for (int dir = 0; dir < 2; ++dir) {
      const size_t c = h * 2 + static_cast<size_t>(dir);
      // dep->head reads row i (what i attends to); head<-dep reads column i
      // (which word attends most to i). [CLS]/[SEP] are dropped, the diagonal
      // is zero, nothing is renormalised; ties go to the first index.
      auto at = [&](size_t i, size_t j) { return dir == 0 ? m[i * W + j] : m[j * W + i]; };
      for (size_t i = 1; i <= n; ++i) {
        size_t best = 0;
        float bestValue = -1.0f;
        for (size_t j = 1; j <= n; ++j) {
          float v = j == i ? 0.0f : at(i, j);
          if (v > bestValue) {
            bestValue = v;
            best = j;
          }
        }
        const size_t g = m_wordOffset[s] + i - 1;
        const int32_t gold = sent.heads[i - 1];
        m_lastPred[c * (n + 1) + i] = static_cast<int32_t>(best);
        m_correct[g * candidates() + c] = gold != 0 && static_cast<size_t>(gold) == best;
        m_goldAttention[g * candidates() + c] = gold != 0 ? at(i, static_cast<size_t>(gold)) : kNaN;
      }
    }
  }
}

int32_t UasAccumulator::lastPrediction(size_t headIndex, int direction, size_t word) const {
  const size_t n = m_lastPred.size() / candidates() - 1;
  return m_lastPred.at((headIndex * 2 + static_cast<size_t>(direction)) * (n + 1) + word);
}

format::ProbeResult UasAccumulator::finish(const std::vector<bool>& excludedHeads) const {
  const size_t R = m_relations.size(), C = candidates(), H = C / 2;
  if (!excludedHeads.empty() && excludedHeads.size() != H)
    throw std::invalid_argument("UAS: the excluded-heads mask has " +
                                std::to_string(excludedHeads.size()) + " entries for " +
                                std::to_string(H) + " heads");
  auto allowed = [&](size_t c) { return excludedHeads.empty() || !excludedHeads[c / 2]; };
  size_t firstAllowed = 0;
  while (firstAllowed < C && !allowed(firstAllowed))
    ++firstAllowed;
  if (firstAllowed == C) throw std::invalid_argument("UAS: every head is excluded");
  const size_t W = m_relationIndex.size();
  std::vector<double> correct(C * R, 0.0), attention(C * R, 0.0), counts(R, 0.0),
      attnCounts(R, 0.0);
  std::vector<double> allCorrect(C, 0.0);
  for (size_t g = 0; g < W; ++g) {
    const size_t r = static_cast<size_t>(m_relationIndex[g]);
    counts[r] += 1;
    const bool hasParent = !std::isnan(m_goldAttention[g * C]);
    if (hasParent) attnCounts[r] += 1;
    for (size_t c = 0; c < C; ++c) {
      correct[c * R + r] += m_correct[g * C + c];
      allCorrect[c] += m_correct[g * C + c];
      if (hasParent) attention[c * R + r] += m_goldAttention[g * C + c];
    }
  }
  std::vector<bool> included(R);
  for (size_t r = 0; r < R; ++r)
    included[r] = !excludedRelation(m_relations[r]) &&
                  counts[r] >= static_cast<double>(m_options.minRelationCount);

  format::ProbeResult res;
  // accuracy [L,H,2,R]: candidate c = head*2 + direction, so c-major order matches.
  format::NumericArray acc{{m_layers, m_heads, 2, static_cast<int64_t>(R)},
                           std::vector<double>(C * R)};
  format::NumericArray meanAttn = acc;
  for (size_t c = 0; c < C; ++c)
    for (size_t r = 0; r < R; ++r) {
      acc.values[c * R + r] = counts[r] > 0 ? correct[c * R + r] / counts[r] : kNaN;
      meanAttn.values[c * R + r] = attnCounts[r] > 0 ? attention[c * R + r] / attnCounts[r] : kNaN;
    }

  // Best candidate per relation (first on ties), the implicit parse.
  format::NumericArray best{{static_cast<int64_t>(R), 3}, std::vector<double>(R * 3, kNaN)};
  std::vector<size_t> bestOf(R, 0);
  double uasNum = 0, uasDen = 0, attnNum = 0, attnDen = 0;
  for (size_t r = 0; r < R; ++r) {
    if (counts[r] == 0) continue;
    size_t b = firstAllowed;
    size_t ba = firstAllowed;
    for (size_t c = firstAllowed + 1; c < C; ++c) {
      if (!allowed(c)) continue;
      if (correct[c * R + r] > correct[b * R + r]) b = c;
      if (attention[c * R + r] > attention[ba * R + r]) ba = c;
    }
    bestOf[r] = b;
    best.values[r * 3 + 0] = static_cast<double>(b / 2 / static_cast<size_t>(m_heads));
    best.values[r * 3 + 1] = static_cast<double>(b / 2 % static_cast<size_t>(m_heads));
    best.values[r * 3 + 2] = static_cast<double>(b % 2);
    if (included[r]) {
      uasNum += correct[b * R + r];
      uasDen += counts[r];
      attnNum += attention[ba * R + r];
      attnDen += attnCounts[r];
    }
  }

  // Per sentence: implicit-parse correct and scored words (for bootstrap intervals).
  const size_t S = m_set.sentences.size();
  format::NumericArray sentCorrect{{static_cast<int64_t>(S)}, std::vector<double>(S, 0.0)};
  format::NumericArray sentWords = sentCorrect;
  // Offset baseline over the same scored words.
  double offsetCorrect[std::size(kOffsets)] = {};
  // Per-relation offsets: correct parents of relation r at offset k.
  constexpr size_t K = std::size(kRelationOffsets);
  std::vector<double> relationOffsetCorrect(R * K, 0.0);
  // Non-adjacent dependencies: gold parent more than one word away.
  double farCorrect = 0, farWords = 0;
  for (size_t s = 0; s < S; ++s) {
    const auto& sent = m_set.sentences[s];
    const int n = static_cast<int>(sent.words.size());
    for (int i = 1; i <= n; ++i) {
      const size_t g = m_wordOffset[s] + static_cast<size_t>(i) - 1;
      const size_t r = static_cast<size_t>(m_relationIndex[g]);
      if (!included[r]) continue;
      sentWords.values[s] += 1;
      sentCorrect.values[s] += m_correct[g * C + bestOf[r]];
      const int gold = sent.heads[static_cast<size_t>(i) - 1];
      for (size_t k = 0; k < std::size(kOffsets); ++k) {
        int parent = std::clamp(i + kOffsets[k], 1, n);
        offsetCorrect[k] += parent == gold;
      }
      for (size_t k = 0; k < K; ++k)
        relationOffsetCorrect[r * K + k] += i + kRelationOffsets[k] == gold;
      if (gold != 0 && std::abs(gold - i) > 1) {
        farWords += 1;
        farCorrect += m_correct[g * C + bestOf[r]];
      }
    }
  }
  // Each included relation's best offset (first on ties), weighted by its words.
  format::NumericArray relationOffset{{static_cast<int64_t>(R), 2},
                                      std::vector<double>(R * 2, kNaN)};
  double relationOffsetNum = 0;
  for (size_t r = 0; r < R; ++r) {
    if (!included[r]) continue;
    size_t b = 0;
    for (size_t k = 1; k < K; ++k)
      if (relationOffsetCorrect[r * K + k] > relationOffsetCorrect[r * K + b]) b = k;
    relationOffsetNum += relationOffsetCorrect[r * K + b];
    relationOffset.values[r * 2 + 0] = kRelationOffsets[b];
    relationOffset.values[r * 2 + 1] = relationOffsetCorrect[r * K + b] / counts[r];
  }

  size_t bestK = 0;
  for (size_t k = 1; k < std::size(kOffsets); ++k)
    if (offsetCorrect[k] > offsetCorrect[bestK]) bestK = k;

  // Each head's best accuracy over the included relations and both directions.
  format::NumericArray headBest{{m_layers, m_heads}, std::vector<double>(H, kNaN)};
  for (size_t h = 0; h < H; ++h)
    for (size_t d = 0; d < 2; ++d)
      for (size_t r = 0; r < R; ++r)
        if (included[r] && counts[r] > 0) {
          double a = correct[(h * 2 + d) * R + r] / counts[r];
          if (std::isnan(headBest.values[h]) || a > headBest.values[h]) headBest.values[h] = a;
        }

  size_t bestAll = firstAllowed;
  for (size_t c = firstAllowed + 1; c < C; ++c)
    if (allowed(c) && allCorrect[c] > allCorrect[bestAll]) bestAll = c;

  res.scalars["uas"] = uasDen > 0 ? uasNum / uasDen : kNaN;
  res.scalars["uas_words"] = uasDen;
  res.scalars["uas_all_words"] = W > 0 ? allCorrect[bestAll] / static_cast<double>(W) : kNaN;
  res.scalars["uas_offset_baseline"] = uasDen > 0 ? offsetCorrect[bestK] / uasDen : kNaN;
  res.scalars["uas_offset_best_k"] = kOffsets[bestK];
  res.scalars["uas_relation_offset_baseline"] = uasDen > 0 ? relationOffsetNum / uasDen : kNaN;
  res.scalars["uas_nonadjacent"] = farWords > 0 ? farCorrect / farWords : kNaN;
  res.scalars["uas_nonadjacent_words"] = farWords;
  res.scalars["uas_mean_attention"] = attnDen > 0 ? attnNum / attnDen : kNaN;
  res.arrays["uas/accuracy"] = std::move(acc);
  res.arrays["uas/mean_attention"] = std::move(meanAttn);
  res.arrays["uas/relation_counts"] = {{static_cast<int64_t>(R)}, counts};
  res.arrays["uas/best"] = std::move(best);
  res.arrays["uas/relation_offset"] = std::move(relationOffset);
  // Which relations the implicit parse and head_best score (1) or leave out
  // (0: punct, root, rarer than the minimum count), so views can explain a
  // head's best accuracy by the same relations.
  format::NumericArray includedArray{{static_cast<int64_t>(R)}, std::vector<double>(R, 0.0)};
  for (size_t r = 0; r < R; ++r)
    includedArray.values[r] = included[r] ? 1.0 : 0.0;
  res.arrays["uas/relation_included"] = std::move(includedArray);
  res.arrays["uas/sentence_correct"] = std::move(sentCorrect);
  res.arrays["uas/sentence_words"] = std::move(sentWords);
  res.arrays["uas/head_best"] = std::move(headBest);
  res.strings["uas/relations"] = m_relations;
  return res;
}

} // namespace chrysalis::probes
