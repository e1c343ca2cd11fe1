#include "sentences/blimp_locator.h"

#include "sentences/probe_set_locator.h"

#include <QDir>
#include <QFileInfo>

namespace chrysalis::ui {

namespace {
void addFrom(const QDir& dir, QStringList& out) {
  for (const QString& sub : {QStringLiteral("data/blimp"), QStringLiteral("blimp")}) {
    const QDir d(dir.filePath(sub));
    if (d.exists() && !d.entryList({QStringLiteral("*.jsonl")}, QDir::Files).isEmpty())
      out << d.absolutePath();
  }
}
} // namespace

QStringList blimpDirCandidates(const QString& seriesDir) {
  return seriesAndParentCandidates(seriesDir, addFrom);
}

QString findBlimpDir(const QString& seriesDir) {
  return blimpDirCandidates(seriesDir).value(0);
}

} // namespace chrysalis::ui
