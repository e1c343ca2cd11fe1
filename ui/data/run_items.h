#pragma once
// What the background computations need from every UAS and BLiMP result of a
// run, read once per result on the I/O thread, a few steps per job that ends
// early when other reads wait (so the head grid's reads at the cursor queue
// behind one result at most, not a whole series): the
// per-item scores behind the onset intervals and each head's best-relation
// accuracy behind emergence. A live run's new results are read when the run
// is asked for again. The Session owns one reader, shared by every view.
#include "data/emergence_table.h"
#include "data/item_scores.h"
#include "data/run_data.h"

#include <QHash>
#include <QObject>
#include <QVector>

#include <functional>

#include <memory>

namespace chrysalis::ui {

class JobQueue;

struct RunItems {
  QString uasHash, blimpHash; ///< the configurations read
  ItemTable uas, blimp;       ///< per-item scores (item_scores.h)
  HeadBestRows headBest;      ///< uas/head_best per step (emergence_table.h)
  /// The first result read had no per-item arrays (probed before they were
  /// stored): no intervals for the metric.
  bool uasItemsMissing = false, blimpItemsMissing = false;

  /// Adds one result's arrays (uas or blimp by `uas`).
  void add(bool uas, const StepArrays& arrays);
};

class RunItemsReader : public QObject {
  Q_OBJECT
public:
  explicit RunItemsReader(JobQueue& queue, QObject* parent = nullptr);

  /// Reads the run's UAS results, and its BLiMP results when `blimp`, that
  /// are not read yet. @returns items() (nullptr while reading).
  const RunItems* want(const RunData& run, bool blimp);
  /// The run's items once every result asked for (BLiMP too when `blimp`)
  /// has been read; nullptr while some are still being read.
  const RunItems* items(const QString& dir, bool blimp) const;
  /// Drops a closed run.
  void forget(const QString& dir);

Q_SIGNALS:
  /// More of the run's results have been read.
  void read(const QString& dir);

private:
  struct State;
  void readChunk(const QString& dir, State& state);

  JobQueue& m_queue;
  QHash<QString, std::shared_ptr<State>> m_runs;
};

/// Reads every UAS (and BLiMP, when `blimp`) result of the run on the calling
/// thread (headless export, tests).
RunItems readRunItems(const RunData& run, bool blimp);

/// One result of a run: a UAS result, or a BLiMP result, at a step.
struct RunStepKey {
  bool uas = true;
  qint64 step = 0;
};

/// What one job read of a run's results, and what it left for a later job.
struct RunItemsChunk {
  RunItems items;
  QVector<RunStepKey> unread; ///< in the order given
};

/// Reads the results `keys` names; a damaged or half-written file is left
/// out (that step has no items). After each result read it stops when
/// `cancelled` says so, or when `yield` does (other reads wait for the
/// thread): the results not read are then in `unread`.
RunItemsChunk readRunSteps(const QString& dir, const QString& uasHash, const QString& blimpHash,
                           const QVector<RunStepKey>& keys,
                           const std::function<bool()>& cancelled = {},
                           const std::function<bool()>& yield = {});

} // namespace chrysalis::ui
