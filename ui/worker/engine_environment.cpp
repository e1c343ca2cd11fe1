#include "worker/engine_environment.h"

#include <QCoreApplication>
#include <QProcess>

namespace chrysalis::ui {

QProcessEnvironment engineEnvironment() {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("CHRYSALIS_PARENT_PID"),
             QString::number(QCoreApplication::applicationPid()));
  return env;
}

void useEngineEnvironment(QProcess& process) {
  process.setProcessEnvironment(engineEnvironment());
}

} // namespace chrysalis::ui
