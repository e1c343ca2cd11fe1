#include "window/demo_locator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace chrysalis::ui {

QString locateDemoFolder() {
  QStringList candidates;
  const QString env = qEnvironmentVariable("CHRYSALIS_DEMO_DIR");
  if (!env.isEmpty()) candidates << env;
  if (QCoreApplication::instance())
    candidates << QCoreApplication::applicationDirPath() +
                      QStringLiteral("/../share/chrysalis/demo");
#ifdef CHRYSALIS_SOURCE_DEMO_DIR
  candidates << QStringLiteral(CHRYSALIS_SOURCE_DEMO_DIR);
#endif
  for (const QString& c : candidates)
    if (QFileInfo(c).isDir()) return QDir(c).canonicalPath();
  return {};
}

QStringList demoSeries() {
  const QString root = locateDemoFolder();
  if (root.isEmpty()) return {};
  QStringList out;
  const QDir dir(root);
  for (const QString& sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
    if (QFileInfo(dir.filePath(sub + QStringLiteral("/series.json"))).isFile())
      out << dir.filePath(sub);
  return out;
}

} // namespace chrysalis::ui
