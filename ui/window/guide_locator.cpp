#include "window/guide_locator.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace chrysalis::ui {

QString locateUserGuide() {
  QStringList candidates;
  if (QCoreApplication::instance())
    candidates << QCoreApplication::applicationDirPath() +
                      QStringLiteral("/../share/doc/chrysalis/guide.md");
#ifdef CHRYSALIS_SOURCE_DOCS_DIR
  candidates << QStringLiteral(CHRYSALIS_SOURCE_DOCS_DIR "/guide.md");
#endif
  for (const QString& c : candidates)
    if (QFileInfo(c).isFile()) return QFileInfo(c).canonicalFilePath();
  return {};
}

} // namespace chrysalis::ui
