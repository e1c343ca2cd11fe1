#pragma once
// The open runs: loads them on the I/O thread, keeps them fresh while they
// are still training (SeriesWatcher), gives each a colour (an index into the
// palette of runs/run_colours.h: this layer has no QtGui), and owns the I/O
// thread, the array cache and the probe items reader every view shares.
#include "data/array_cache.h"
#include "data/job_queue.h"
#include "data/run_data.h"
#include "data/run_items.h"
#include "data/run_loader.h"

#include <QHash>
#include <QObject>
#include <QVector>

namespace chrysalis::ui {

class SeriesWatcher;

struct OpenRun {
  int id = 0; ///< stable while the run is open (indices shift when others close)
  /// data.label is what every view shows: series.json's label, with the
  /// folder added while another open run has the same one.
  RunData data;
  QString seriesLabel; ///< the label as series.json has it
  int colour = 0;      ///< index into the run palette (runColour(), runs/run_colours.h)
  bool visible = true;
};

class Session : public QObject {
  Q_OBJECT
public:
  explicit Session(QObject* parent = nullptr);
  ~Session() override;

  /// Opens a run in the background; runAdded() or openFailed() follows. A run
  /// that is already open is reloaded instead.
  void open(const QString& dir);
  /// Reads the run on the calling thread and adds it. For headless export and
  /// tests, when no background load is in flight.
  /// @returns the run's id. @throws chrysalis::InputError.
  int openNow(const QString& dir);
  void close(int id);

  int count() const { return m_runs.size(); }
  const OpenRun& at(int index) const { return m_runs[index]; }
  int indexOf(int id) const;
  const OpenRun* find(int id) const;
  /// Runs that are shown on the charts.
  QVector<const OpenRun*> visibleRuns() const;
  void setVisible(int id, bool visible);
  /// Every step of every open run, ascending (keyboard navigation).
  QVector<qint64> steps() const;

  /// Reload runs when their folders change (on by default).
  void setWatching(bool on);
  bool isBusy() const { return m_loader.pending() > 0; }

  ArrayCache& arrays() { return m_arrays; }
  /// Every UAS and BLiMP result's items, read once (run_items.h).
  RunItemsReader& items() { return m_items; }
  JobQueue& queue() { return m_queue; }

Q_SIGNALS:
  void runAboutToBeAdded(int index);
  void runAdded(int id);
  void runChanged(int id);
  void runAboutToBeRemoved(int index);
  void runRemoved(int id);
  void openFailed(const QString& dir, const QString& message);
  void busyChanged(bool busy);

private:
  void onLoaded(const QString& dir, const RunData& run);
  void onFailed(const QString& dir, const QString& message);
  int add(const RunData& run);
  /// Sets each run's shown label. @returns the runs whose label changed.
  QVector<int> relabel();
  /// runChanged for each of `ids` still open, but `except`.
  void announce(const QVector<int>& ids, int except);
  int nextColour() const;
  void watch(const QString& dir);

  JobQueue m_queue; // first: the cache and loader post to it, it outlives both
  ArrayCache m_arrays;
  RunItemsReader m_items;
  RunLoader m_loader;
  QVector<OpenRun> m_runs;
  QHash<QString, SeriesWatcher*> m_watchers; // by canonical dir
  bool m_watching = true;
  int m_nextId = 1;
};

/// How many run colours there are (runs/run_colours.h holds them).
inline constexpr int kRunColours = 7;

} // namespace chrysalis::ui
