#pragma once
// When each attention head emerges (core/onset/head_emergence.h), from the
// uas/head_best array of every UAS result, gathered step by step. The matrix
// is [steps x heads] exactly as `chrysalis-cli onsets` builds it, so the head
// grid and the CLI name the same steps. Pure functions: the reading and the
// threads are in emergence_source.h.
#include "data/run_onsets.h"
#include "data/step_arrays.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

namespace chrysalis::ui {

/// Each step's uas/head_best [layers, heads].
struct HeadBestRows {
  QMap<qint64, ArrayValue> rows;

  /// Adds a step's uas/head_best. @returns false when the arrays have none.
  bool add(const StepArrays& arrays);
};

struct HeadEmergenceResult {
  int layers = 0;
  int heads = 0;
  QVector<double> steps; ///< [layer * heads + head]; NaN = never emerges
  QVector<double> rises; ///< each head's largest rise, as the threshold sees it
  QStringList reasons;   ///< why each head never emerges (empty where it does)
  double minRise = 0.05; ///< a smaller rise is "never emerges"
  qint64 firstStep = 0;  ///< the results' steps: the colour axis
  qint64 lastStep = 0;
  qint64 firstPositiveStep = 0; ///< how many decades the steps span
  QString detector;             ///< the detector's description
  QString problem;              ///< why there is no grid, when there is none

  bool isValid() const { return layers > 0 && heads > 0 && steps.size() == layers * heads; }
};

/// onset::headEmergence on the rows with the GUI's detector. As the CLI: rows
/// whose shape differs from the first step's are left out, and fewer than 3
/// steps give no result (problem says so).
HeadEmergenceResult computeHeadEmergence(const HeadBestRows& rows, const OnsetSettings& settings);

} // namespace chrysalis::ui
