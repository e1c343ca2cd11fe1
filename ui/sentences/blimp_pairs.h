#pragma once
// BLiMP pairs as the sentence browser shows them: the texts of the pairs a
// blimp probe scored, its per-pair pseudo-log-likelihoods at one step, and
// which pairs flipped between two steps. Probe results store PLLs by
// position only (docs/probes.md: blimp/pll_good, blimp/pll_bad,
// blimp/pair_task), so the texts are rebuilt from the BLiMP files exactly as
// the prober chose them (core/probes/checkpoint_prober.cpp) and checked
// against the result's "pairs" hash.
#include "data/step_arrays.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace chrysalis::ui {

struct BlimpPairText {
  QString task; ///< UID, e.g. "adjunct_island"
  QString phenomenon;
  QString pairId;
  QString good;
  QString bad;
};

/// The scored pairs in scoring order: tasks sorted by UID, at most `perTask`
/// of each (0: all), in file order.
struct BlimpTexts {
  QString dir;  ///< the folder of *.jsonl read
  QString hash; ///< as the prober's "pairs" config field
  QVector<BlimpPairText> pairs;
};

/// Reads every *.jsonl in `dir` and subsamples as the prober does. Call on
/// the I/O thread for a full BLiMP (67,000 pairs).
/// @throws chrysalis::InputError for an unreadable or malformed file.
BlimpTexts loadBlimpTexts(const QString& dir, int perTask, quint64 seed);

/// One step's per-pair scores (empty when the result holds no per-pair arrays).
struct BlimpScores {
  qint64 step = -1;
  QVector<double> good; ///< PLL of the grammatical sentence
  QVector<double> bad;
  QVector<int> task; ///< index into tasks
  QStringList tasks;
  QStringList phenomena; ///< of each task
  int size() const { return static_cast<int>(good.size()); }
  bool isEmpty() const { return good.isEmpty(); }
  /// The model prefers the grammatical sentence (ties count as wrong, as in the probe).
  bool correct(int pair) const { return good[pair] > bad[pair]; }
  int correctCount() const;
};

/// @returns the scores, or empty scores when the arrays are missing or disagree in size.
BlimpScores blimpScoresFrom(const StepArrays& arrays);

enum class BlimpFlip { None, BecameCorrect, BecameWrong };

/// Per pair: how `current` differs from `previous`. All None when previous is
/// empty or scored other pairs (another size or task list).
QVector<BlimpFlip> blimpFlips(const BlimpScores& previous, const BlimpScores& current);

} // namespace chrysalis::ui
