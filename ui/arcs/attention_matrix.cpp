#include "arcs/attention_matrix.h"
#include "arcs/map_maximum.h"

#include "sentences/probe_set_data.h"
#include "worker/attention_result.h"

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {

namespace {
QString headTitle(int layer, int head) {
  return QStringLiteral("head %1-%2").arg(layer + 1).arg(head + 1);
}
} // namespace

float AttentionMatrix::maximum() const {
  // Read at every paint; the exact loop only if an infinity came out on top.
  if (!isValid()) return 0.0f;
  const qsizetype n = qsizetype(size()) * size();
  const float top = maximumFromZero(data(), n);
  if (std::isfinite(top)) return top;
  float finiteTop = 0.0f;
  for (const float* x = data(); x != data() + n; ++x)
    if (std::isfinite(*x)) finiteTop = std::max(finiteTop, *x);
  return finiteTop;
}

QString AttentionMatrix::cellText(int row, int column) const {
  return QStringLiteral("%1 \u2192 %2: %3")
      .arg(labels.value(row), labels.value(column))
      .arg(static_cast<double>(value(row, column)), 0, 'f', 3);
}

AttentionMatrix wordAttentionMatrix(const ProbeSentence& s, const AttentionResult& r, int layer,
                                    int head) {
  AttentionMatrix m;
  const float* map = r.map(layer, head);
  if (!map || r.key.words != s.words || r.size != s.size() + 2) return m;
  m.labels << QStringLiteral("[CLS]") << s.words << QStringLiteral("[SEP]");
  m.values = r.wordAttention; // shared, not copied
  m.offset = map - r.wordAttention.constData();
  m.gold = s.heads;
  m.title = headTitle(layer, head);
  return m;
}

AttentionMatrix pieceAttentionMatrix(const AttentionResult& r, int layer, int head) {
  AttentionMatrix m;
  m.level = MatrixLevel::Pieces;
  const float* map = r.pieceMap(layer, head);
  if (!map) return m;
  const int t = r.pieceCount();
  m.labels = r.tokens;
  m.values = r.pieceAttention;
  m.offset = map - r.pieceAttention.constData();
  // [CLS] is word 0, [SEP] word n + 1 (as in the word-level map), every piece
  // of word i (1-based) is word i: the spans say which pieces those are.
  m.wordOf.fill(static_cast<int>(r.spans.size()) + 1, t);
  m.wordOf[0] = 0;
  for (int w = 0; w < r.spans.size(); ++w)
    for (int p = std::max(1, r.spans[w].first); p < std::min(t - 1, r.spans[w].second); ++p)
      m.wordOf[p] = w + 1;
  m.title = headTitle(layer, head) + QStringLiteral(" \u00B7 wordpieces");
  return m;
}

} // namespace chrysalis::ui
