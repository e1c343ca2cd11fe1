#include "data/series_watcher.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace chrysalis::ui {

SeriesWatcher::SeriesWatcher(const QString& dir, int quietMs, QObject* parent, int pollMs,
                             bool notify)
    : QObject(parent), m_dir(dir), m_notify(notify) {
  m_quiet.setSingleShot(true);
  m_quiet.setInterval(quietMs);
  connect(&m_quiet, &QTimer::timeout, this, [this] {
    rescan();
    Q_EMIT changed(m_dir);
  });
  connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_quiet.start(); });
  rescan();
  if (pollMs > 0) {
    poll(); // the first stamps
    connect(&m_poll, &QTimer::timeout, this, &SeriesWatcher::poll);
    m_poll.start(pollMs);
  }
}

QStringList SeriesWatcher::folders() const {
  QStringList want = {m_dir, m_dir + QStringLiteral("/checkpoints"),
                      m_dir + QStringLiteral("/probes")};
  const QDir probes(m_dir + QStringLiteral("/probes"));
  for (const auto& sub : probes.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
    want << probes.filePath(sub);
  return want;
}

void SeriesWatcher::poll() {
  QList<qint64> stamps;
  for (const QString& d : folders()) {
    const QFileInfo info(d);
    stamps << (info.exists() ? info.lastModified().toMSecsSinceEpoch() : -1);
  }
  const bool first = m_stamps.isEmpty();
  if (!first && stamps != m_stamps && !m_quiet.isActive()) m_quiet.start();
  m_stamps = stamps;
}

void SeriesWatcher::rescan() {
  if (!m_notify) return;
  const QStringList want = folders();
  const QStringList have = m_watcher.directories();
  QStringList missing;
  for (const auto& d : want)
    if (!have.contains(d) && QDir(d).exists()) missing << d;
  if (!missing.isEmpty()) m_watcher.addPaths(missing);
}

} // namespace chrysalis::ui
