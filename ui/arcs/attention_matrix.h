#pragma once
// One head's attention as the matrix view draws and exports it, at either
// level: words ([CLS], the words, [SEP]; what the UAS probe scores, with the
// gold parents to outline) or wordpieces (the model's own T x T attention,
// with the word each piece belongs to, so word boundaries can be drawn).
#include <QStringList>
#include <QVector>

namespace chrysalis::ui {

struct AttentionResult;
struct ProbeSentence;

enum class MatrixLevel { Words, Pieces };

struct AttentionMatrix {
  MatrixLevel level = MatrixLevel::Words;
  QStringList labels; ///< one per row and column
  /// size() x size() values from `offset` on, row-major: row i attends to
  /// column j. A head's map from an attention result shares the result's
  /// maps (all heads) instead of copying its own 1 MB at every cursor move.
  QVector<float> values;
  qsizetype offset = 0;
  QVector<int> gold;   ///< words: 1-based gold parent of word i (row i + 1), else empty
  QVector<int> wordOf; ///< pieces: the word row of each piece (0 = [CLS]), else empty
  QString title;

  int size() const { return static_cast<int>(labels.size()); }
  bool isValid() const {
    return size() > 0 && offset >= 0 && values.size() - offset >= qsizetype(size()) * size();
  }
  /// The first value of row 0 (valid matrices only).
  const float* data() const { return values.constData() + offset; }
  float value(int row, int column) const { return data()[qsizetype(row) * size() + column]; }
  /// The largest finite value (the top of the colour scale), 0 when none.
  float maximum() const;
  /// Whether a word boundary lies just before row/column `i` (pieces only).
  bool startsWord(int i) const { return i > 0 && i < wordOf.size() && wordOf[i] != wordOf[i - 1]; }
  /// "from → to: value", what hovering a cell says.
  QString cellText(int row, int column) const;
};

/// The W x W word-level map of a head, labelled with the sentence's words.
/// Invalid when the result has no such head or is for other words.
AttentionMatrix wordAttentionMatrix(const ProbeSentence& sentence, const AttentionResult& result,
                                    int layer, int head);

/// The T x T piece-level map of a head, labelled with the pieces ("##x" for
/// continuations). Invalid when the result carries no piece-level maps.
AttentionMatrix pieceAttentionMatrix(const AttentionResult& result, int layer, int head);

} // namespace chrysalis::ui
