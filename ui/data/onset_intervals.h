#pragma once
// Bootstrap intervals of each run's onsets, and of each seed group's onsets
// on its mean curves, computed in the background: the per-item arrays come
// from the session's RunItemsReader (read on the I/O lane, a few steps per
// job), then the resampling runs on the session's JobQueue, compute lane. A
// newer request for a run or group (new results, another detector) supersedes
// the one in flight (same tag); results arrive through updated().
#include "data/item_scores.h"
#include "data/run_data.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace chrysalis::ui {

class JobQueue;
class RunItemsReader;

class OnsetIntervals : public QObject {
  Q_OBJECT
public:
  OnsetIntervals(RunItemsReader& items, JobQueue& queue, BootstrapSettings bootstrap = {},
                 QObject* parent = nullptr);
  /// Cancels the resampling in flight (its result is never delivered).
  ~OnsetIntervals() override;

  /// Reads what is missing of the run's items and recomputes when the items
  /// or the settings changed; does nothing when the result is current.
  void request(const RunData& run, const OnsetSettings& settings);
  /// The newest result for the run computed with these settings, or nullptr.
  const RunOnsets* result(const QString& dir, const OnsetSettings& settings) const;
  /// The same for a seed group: every seed's items, resampled alike. Seeds
  /// probed on different probe sets (other configuration hashes) get no
  /// interval; their result says why in `problem`.
  void requestGroup(const QVector<const RunData*>& seeds, const OnsetSettings& settings);
  const RunOnsets* groupResult(const QVector<const RunData*>& seeds,
                               const OnsetSettings& settings) const;
  /// Drops a closed run and the groups it was in.
  void forget(const QString& dir);

Q_SIGNALS:
  /// @param key a run's folder, or a group's folders one a line.
  void updated(const QString& key);

private:
  struct Target;
  void want(const QString& key, const QStringList& dirs, const OnsetSettings& settings);
  void compute(const QString& key);

  RunItemsReader& m_items;
  JobQueue& m_queue;
  BootstrapSettings m_bootstrap;
  QHash<QString, std::shared_ptr<Target>> m_targets; ///< runs and groups, by key
};

/// A run's intervals, read and resampled on the calling thread (headless
/// export): the same seeded resamples, so the same bands as in the window.
/// @returns the onsets with intervals; empty when the results have no items.
RunOnsets readRunIntervals(const RunData& run, const OnsetSettings& settings,
                           const BootstrapSettings& bootstrap = {});

} // namespace chrysalis::ui
