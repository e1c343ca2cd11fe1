#pragma once
// Watches a run that is still training: checkpoints/ and probes/ (and each
// probes/<hash>/, since a folder watch does not see its grandchildren). Bursts
// of new files (a checkpoint plus five probe results) arrive as one
// changed() after a short quiet period, so the run is reloaded once.
// File-system notifications do not see writes made by other machines on a
// network file system (a cluster array probing a shared series), so the
// folders' modification times are also polled every few seconds.
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace chrysalis::ui {

class SeriesWatcher : public QObject {
  Q_OBJECT
public:
  /// @param quietMs how long the folders must stay unchanged before changed().
  /// @param pollMs how often folder modification times are compared (0: never).
  /// @param notify use file-system notifications (off: polling only, as on NFS).
  explicit SeriesWatcher(const QString& dir, int quietMs = 300, QObject* parent = nullptr,
                         int pollMs = 3000, bool notify = true);
  QString dir() const { return m_dir; }
  /// Folders being watched (for tests and the tooltip).
  QStringList watched() const { return m_watcher.directories(); }

Q_SIGNALS:
  void changed(const QString& dir);

private:
  void rescan(); // picks up probe folders created since
  void poll();   // a changed folder mtime starts the quiet period
  QStringList folders() const;
  QString m_dir;
  bool m_notify;
  QFileSystemWatcher m_watcher;
  QTimer m_quiet;
  QTimer m_poll;
  QList<qint64> m_stamps; // folders()' modification times at the last poll
};

} // namespace chrysalis::ui
