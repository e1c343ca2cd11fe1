#pragma once
// Bootstrap intervals of each run's onsets, computed in the background: the per-item arrays come
// from the session's RunItemsReader (read on the I/O thread, a few steps per
// job), then the resampling runs on a worker thread. A newer request for a run
// or group (new results, another detector) supersedes the one in flight;
// results arrive through updated().
#include "data/item_scores.h"
#include "data/run_data.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <memory>

namespace chrysalis::ui {

class RunItemsReader;

class OnsetIntervals : public QObject {
  Q_OBJECT
public:
  explicit OnsetIntervals(RunItemsReader& items, BootstrapSettings bootstrap = {},
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
  struct Target;
  void want(const QString& key, const QStringList& dirs, const OnsetSettings& settings);
  void compute(const QString& key);

  RunItemsReader& m_items;
  BootstrapSettings m_bootstrap;
  QThreadPool m_pool;                                // one thread: bootstraps run one at a time
  QHash<QString, std::shared_ptr<Target>> m_targets; ///< by run folder
};

} // namespace chrysalis::ui
