#include "data/series_watcher.h"

#include <QDir>

namespace chrysalis::ui {

SeriesWatcher::SeriesWatcher(const QString& dir, int quietMs, QObject* parent)
    : QObject(parent), m_dir(dir) {
  m_quiet.setSingleShot(true);
  m_quiet.setInterval(quietMs);
  connect(&m_quiet, &QTimer::timeout, this, [this] {
    rescan();
    Q_EMIT changed(m_dir);
  });
  connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_quiet.start(); });
  rescan();
}

void SeriesWatcher::rescan() {
  QStringList want = {m_dir, m_dir + QStringLiteral("/checkpoints"), m_dir + QStringLiteral("/probes")};
  const QDir probes(m_dir + QStringLiteral("/probes"));
  for (const auto& sub : probes.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
    want << probes.filePath(sub);
  const QStringList have = m_watcher.directories();
  QStringList missing;
  for (const auto& d : want)
    if (!have.contains(d) && QDir(d).exists()) missing << d;
  if (!missing.isEmpty()) m_watcher.addPaths(missing);
}

} // namespace chrysalis::ui
