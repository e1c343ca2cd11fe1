#include "window/last_folder.h"

#include <QFileInfo>
#include <QSettings>

namespace chrysalis::ui {

namespace {
QString key(const QString& purpose) {
  return QStringLiteral("last-folder/") + purpose;
}
} // namespace

QString lastFolder(const QString& purpose, const QString& fallback) {
  const QString dir = QSettings().value(key(purpose)).toString();
  return !dir.isEmpty() && QFileInfo(dir).isDir() ? dir : fallback;
}

void rememberFolder(const QString& purpose, const QString& path) {
  if (path.isEmpty()) return;
  const QFileInfo info(path);
  QSettings().setValue(key(purpose), info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

} // namespace chrysalis::ui
