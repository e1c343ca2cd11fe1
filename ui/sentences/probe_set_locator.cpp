#include "sentences/probe_set_locator.h"

#include <QDir>
#include <QFileInfo>

namespace chrysalis::ui {

namespace {
void addFrom(const QDir& dir, QStringList& out) {
  const QString named = dir.filePath(QStringLiteral("probe-set.h5"));
  if (QFileInfo(named).isFile()) out << QFileInfo(named).absoluteFilePath();
  // docs/probes.md's examples name them NAME.probeset.h5.
  const QFileInfoList others =
      dir.entryInfoList({QStringLiteral("*.probeset.h5")}, QDir::Files, QDir::Name);
  for (const QFileInfo& f : others)
    out << f.absoluteFilePath();
}
} // namespace

QStringList seriesAndParentCandidates(const QString& seriesDir,
                                      const std::function<void(const QDir&, QStringList&)>& add) {
  QStringList out;
  if (seriesDir.isEmpty()) return out;
  QDir dir(seriesDir);
  add(dir, out);
  if (dir.cdUp()) add(dir, out);
  out.removeDuplicates();
  return out;
}

QStringList probeSetCandidates(const QString& seriesDir) {
  return seriesAndParentCandidates(seriesDir, addFrom);
}

QString findProbeSet(const QString& seriesDir) {
  return probeSetCandidates(seriesDir).value(0);
}

} // namespace chrysalis::ui
