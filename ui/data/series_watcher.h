#pragma once
// Watches a run that is still training: checkpoints/ and probes/ (and each
// probes/<hash>/, since a folder watch does not see its grandchildren). Bursts
// of new files (a checkpoint plus five probe results) arrive as one
// changed() after a short quiet period, so the run is reloaded once.
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace chrysalis::ui {

class SeriesWatcher : public QObject {
  Q_OBJECT
public:
  /// @param quietMs how long the folders must stay unchanged before changed().
  explicit SeriesWatcher(const QString& dir, int quietMs = 300, QObject* parent = nullptr);
  QString dir() const { return m_dir; }
  /// Folders being watched (for tests and the tooltip).
  QStringList watched() const { return m_watcher.directories(); }

Q_SIGNALS:
  void changed(const QString& dir);

private:
  void rescan(); // picks up probe folders created since
  QString m_dir;
  QFileSystemWatcher m_watcher;
  QTimer m_quiet;
};

} // namespace chrysalis::ui
