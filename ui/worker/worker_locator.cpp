#include "worker/worker_locator.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

namespace chrysalis::ui {

namespace {
bool isExecutable(const QString& path) {
  const QFileInfo info(path);
  return info.isFile() && info.isExecutable();
}
} // namespace

QString locateEngine() {
  const QString name = QStringLiteral("chrysalis-cli");
  const QString beside = QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
  if (QCoreApplication::instance() && isExecutable(beside)) return beside;
  const QString env = qEnvironmentVariable("CHRYSALIS_CLI");
  if (!env.isEmpty() && isExecutable(env)) return QFileInfo(env).absoluteFilePath();
  return QStandardPaths::findExecutable(name);
}

QString engineNotFoundMessage() {
  return QStringLiteral("Cannot find the engine (chrysalis-cli): install it next to chrysalis, set "
                        "CHRYSALIS_CLI to its path, or put it on PATH.");
}

} // namespace chrysalis::ui
