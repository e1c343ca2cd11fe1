#pragma once
// A head's implicit parse of one sentence, exactly as the UAS probe scores it
// (docs/method.md, "SAS and UAS"; core/probes/uas.cpp): from the head's word-level
// map, drop [CLS]/[SEP], zero the diagonal, take each word's argmax (first
// index on ties). No renormalising, and ROOT is never predicted.
#include <QStringList>
#include <QVector>

namespace chrysalis::ui {

enum class ArcDirection {
  DepToHead,  ///< row i: what word i attends to
  HeadFromDep ///< column i: which word attends most to i
};

/// @param map  W x W word-level attention, row-major, rows "from"; [CLS] at
///             0, words 1..n, [SEP] at n+1 (W = n + 2).
/// @returns the predicted parent of each word, 1-based (n entries); empty
///          when W < 3 or map is null.
QVector<int> predictedParents(const float* map, int size,
                              ArcDirection direction = ArcDirection::DepToHead);

/// What an arc view draws: the words, their gold parse, and a predicted
/// parse to compare (empty while none is known).
struct ArcScene {
  QStringList words;
  QVector<int> gold;      ///< 1-based parents, 0 = root
  QStringList relations;  ///< gold relation of each word
  QVector<int> predicted; ///< 1-based parents, or empty
  QString predictedLabel; ///< e.g. "head 4-6 · step 1,500"

  int size() const { return static_cast<int>(words.size()); }
  bool hasPrediction() const { return predicted.size() == words.size() && !words.isEmpty(); }
  bool isCorrect(int word) const {
    return hasPrediction() && gold.value(word) != 0 && predicted[word] == gold[word];
  }
  /// Words whose predicted parent is the gold one (root words always count as wrong).
  int correctCount() const;
};

} // namespace chrysalis::ui
