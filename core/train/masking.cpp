#include "train/masking.h"

#include "text/splitmix.h"

#include <algorithm>

namespace chrysalis::train {

namespace {

// Uniform double in [0, 1) from the top 53 bits.
double uniform(text::SplitMix64& rng) {
  return static_cast<double>(rng.next() >> 11) * (1.0 / 9007199254740992.0);
}

bool isSpecial(int64_t id, const text::SpecialIds& s) {
  return id == s.pad || id == s.unk || id == s.cls || id == s.sep || id == s.mask;
}

} // namespace

MaskedBatch makeMaskedBatch(const std::vector<const TrainExample*>& examples,
                            const text::SpecialIds& specials, int64_t vocabSize, uint64_t seed,
                            const MaskingOptions& options) {
  MaskedBatch m;
  m.batch = static_cast<int64_t>(examples.size());
  for (const auto* ex : examples)
    m.length = std::max<int64_t>(m.length, static_cast<int64_t>(ex->ids.size()));
  const auto cells = static_cast<size_t>(m.batch * m.length);
  m.originalIds.assign(cells, specials.pad);
  m.attentionMask.assign(cells, 0);
  std::vector<size_t> maskable;
  for (int64_t b = 0; b < m.batch; ++b) {
    const auto& ex = *examples[static_cast<size_t>(b)];
    for (size_t t = 0; t < ex.ids.size(); ++t) {
      const size_t at = static_cast<size_t>(b * m.length) + t;
      m.originalIds[at] = ex.ids[t];
      m.attentionMask[at] = 1;
      // [CLS]/[SEP]/[PAD] are never masked; [UNK] and [MASK] in the text are
      // not either (predicting [UNK] teaches nothing).
      if (!isSpecial(ex.ids[t], specials)) maskable.push_back(at);
    }
    m.tokens += static_cast<int64_t>(ex.ids.size());
    for (const auto& p : ex.pairs) {
      m.pairs.push_back(b);
      m.pairs.push_back(p.dependent);
      m.pairs.push_back(p.head);
    }
  }
  m.inputIds = m.originalIds;

  text::SplitMix64 rng(seed);
  std::vector<size_t> chosen;
  for (size_t at : maskable)
    if (uniform(rng) < options.maskProb) chosen.push_back(at);
  if (chosen.empty() && !maskable.empty()) chosen.push_back(maskable[rng.below(maskable.size())]);

  const auto randomRange = static_cast<uint64_t>(vocabSize);
  for (size_t at : chosen) {
    m.maskedPositions.push_back(static_cast<int64_t>(at));
    m.targets.push_back(m.originalIds[at]);
    const double r = uniform(rng);
    if (r < options.replaceWithMask) {
      m.inputIds[at] = specials.mask;
    } else if (r < options.replaceWithMask + options.replaceWithRandom) {
      int64_t id;
      do
        id = static_cast<int64_t>(rng.below(randomRange));
      while (isSpecial(id, specials));
      m.inputIds[at] = id;
    }
  }
  return m;
}

} // namespace chrysalis::train
