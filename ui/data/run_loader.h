#pragma once
// Loads runs on the I/O thread (house-style §3: the UI only connects to these
// events, it never polls). Loading the same folder again while a load is in
// flight supersedes it.
#include "data/run_data.h"

#include <QObject>
#include <QSet>

namespace chrysalis::ui {

class JobQueue;

class RunLoader : public QObject {
  Q_OBJECT
public:
  explicit RunLoader(JobQueue& queue, QObject* parent = nullptr);

  /// Starts loading `dir`. With `previous` (the run as loaded before), only
  /// files that are new since then are read.
  void load(const QString& dir, const RunData& previous = {});
  /// Number of loads in flight (for the busy indicator).
  int pending() const { return m_pending; }

Q_SIGNALS:
  void started(const QString& dir);
  /// @param dir the folder as requested (run.dir is its canonical path).
  void loaded(const QString& dir, const chrysalis::ui::RunData& run);
  void failed(const QString& dir, const QString& message);
  void busyChanged(bool busy);

private:
  void finish();
  JobQueue& m_queue;
  int m_pending = 0;
  QSet<QString> m_inFlight;
};

} // namespace chrysalis::ui
