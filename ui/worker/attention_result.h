#pragma once
// What the engine worker computes for one sentence at one checkpoint: the
// word-level attention of every head and, when asked, the piece-level
// attention it is made from (core/format/worker_protocol.h). Plain
// values with implicitly shared containers (house-style §2), so a result is
// cheap to copy into the cache, across signals and into views.
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

namespace chrysalis::ui {

/// Identifies a request: which series, which checkpoint, which words, and
/// whether the piece-level maps come too. The words themselves (not a sentence
/// id) are the identity, so a sentence typed by hand and the same probe
/// sentence share a cache entry.
struct AttentionKey {
  QString series; ///< the run's folder
  qint64 step = -1;
  QStringList words;
  bool pieces = false; ///< also the T x T piece-level maps (a bigger reply)
  bool isValid() const { return !series.isEmpty() && step >= 0 && !words.isEmpty(); }
  friend bool operator==(const AttentionKey& a, const AttentionKey& b) {
    return a.step == b.step && a.pieces == b.pieces && a.series == b.series && a.words == b.words;
  }
  friend bool operator!=(const AttentionKey& a, const AttentionKey& b) { return !(a == b); }
};

inline size_t qHash(const AttentionKey& k, size_t seed = 0) {
  return ::qHash(k.series, seed) ^ ::qHash(k.step, seed) ^ ::qHash(k.words, seed) ^
         ::qHash(k.pieces, seed);
}

struct AttentionResult {
  AttentionKey key;
  int layers = 0;
  int heads = 0;
  int size = 0;                   ///< W = words + 2: [CLS] at 0, the words at 1..n, [SEP] at n+1
  QStringList tokens;             ///< word pieces with [CLS]/[SEP]
  QVector<QPair<int, int>> spans; ///< each word's pieces [begin, end)
  QVector<float> wordAttention;   ///< layers*heads maps of W x W, rows "from"
  QVector<float> pieceAttention;  ///< layers*heads maps of T x T (T = tokens), when key.pieces

  bool isValid() const {
    return layers > 0 && heads > 0 && size > 2 &&
           wordAttention.size() == qsizetype(layers) * heads * size * size;
  }
  /// The W x W map of one head (row-major), or nullptr when out of range.
  const float* map(int layer, int head) const {
    if (!isValid() || layer < 0 || head < 0 || layer >= layers || head >= heads) return nullptr;
    return wordAttention.constData() + (qsizetype(layer) * heads + head) * size * size;
  }
  int pieceCount() const { return static_cast<int>(tokens.size()); }
  bool hasPieces() const {
    const qsizetype t = tokens.size();
    return isValid() && t > 2 && pieceAttention.size() == qsizetype(layers) * heads * t * t;
  }
  /// The T x T piece-level map of one head (row-major), or nullptr.
  const float* pieceMap(int layer, int head) const {
    if (!hasPieces() || !map(layer, head)) return nullptr;
    const qsizetype t = tokens.size();
    return pieceAttention.constData() + (qsizetype(layer) * heads + head) * t * t;
  }
};

} // namespace chrysalis::ui

Q_DECLARE_METATYPE(chrysalis::ui::AttentionKey)
Q_DECLARE_METATYPE(chrysalis::ui::AttentionResult)
