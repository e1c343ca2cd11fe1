#pragma once
// The environment the app starts chrysalis-cli in: the app's own, plus
// CHRYSALIS_PARENT_PID, on which the engine asks the kernel for SIGTERM when
// the app dies (app/cli/process_setup.h). A killed app then leaves no prober,
// trainer or worker running.
#include <QProcessEnvironment>

class QProcess;

namespace chrysalis::ui {

QProcessEnvironment engineEnvironment();

/// Sets engineEnvironment() on a process about to start the engine.
void useEngineEnvironment(QProcess& process);

} // namespace chrysalis::ui
