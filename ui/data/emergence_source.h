#pragma once
// Each run's head emergence steps, computed off the GUI thread: the
// uas/head_best arrays come from the session's RunItemsReader (read a few
// steps per I/O job), then the detector runs as one more I/O job. New UAS
// results of a live run are read when the run is requested again, and the
// steps recomputed; until then the previous result stays available, so the
// grid does not flicker.
#include "data/emergence_table.h"
#include "data/run_data.h"

#include <QHash>
#include <QObject>

#include <optional>

namespace chrysalis::ui {

class JobQueue;
class RunItemsReader;

class EmergenceSource : public QObject {
  Q_OBJECT
public:
  EmergenceSource(RunItemsReader& items, JobQueue& queue, QObject* parent = nullptr);

  /// Reads the run's UAS results not read yet and recomputes when the rows
  /// or the settings changed; updated() follows a new result.
  void request(const RunData& run, const OnsetSettings& settings);
  /// The newest result for the run with these settings, or nullptr.
  const HeadEmergenceResult* result(const QString& dir, const OnsetSettings& settings) const;
  /// Drops a closed run.
  void forget(const QString& dir);

Q_SIGNALS:
  void updated(const QString& dir);

private:
  struct Wanted {
    OnsetSettings settings;
    QString computing, computed; ///< settings and row count of the job in flight / the result
    std::optional<HeadEmergenceResult> result;
    QString resultSettings;
  };
  void compute(const QString& dir);

  RunItemsReader& m_items;
  JobQueue& m_queue;
  QHash<QString, Wanted> m_runs;
};

/// Reads every UAS result of the run and computes on the calling thread
/// (headless export, tests).
HeadEmergenceResult readHeadEmergence(const RunData& run, const OnsetSettings& settings);

} // namespace chrysalis::ui
