#pragma once
// Bootstrap intervals of each run's onsets, computed in the background: the
// per-item arrays are read on the I/O thread a few steps per job (so head-grid
// reads are never queued behind a whole series), then the resampling runs on
// a worker thread. A newer request for a run (new results, another detector)
// supersedes the one in flight; results arrive through updated().
#include "data/item_scores.h"
#include "data/run_data.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QThreadPool>

#include <memory>

namespace chrysalis::ui {

class JobQueue;

class OnsetIntervals : public QObject {
  Q_OBJECT
public:
  explicit OnsetIntervals(JobQueue& queue, BootstrapSettings bootstrap = {},
                          QObject* parent = nullptr);
  /// Cancels the resampling in flight and waits for it.
  ~OnsetIntervals() override;

  /// Reads what is missing of the run's items and recomputes when the items
  /// or the settings changed; does nothing when the result is current.
  void request(const RunData& run, const OnsetSettings& settings);
  /// The newest result for the run computed with these settings, or nullptr.
  const RunOnsets* result(const QString& dir, const OnsetSettings& settings) const;
  /// Drops a closed run.
  void forget(const QString& dir);

Q_SIGNALS:
  void updated(const QString& dir);

private:
  struct State;
  void advance(const QString& dir);
  void readChunk(const QString& dir, State& state);
  void compute(const QString& dir, State& state);

  JobQueue& m_queue;
  BootstrapSettings m_bootstrap;
  QThreadPool m_pool; // one thread: bootstraps run one at a time
  QHash<QString, std::shared_ptr<State>> m_runs;
};

} // namespace chrysalis::ui
