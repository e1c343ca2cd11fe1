#pragma once
// `chrysalis --export timeline|heads|figure|arcs ...`: writes a paper figure
// without showing a window (main() selects the offscreen platform first), for
// scripts and Makefiles that rebuild a paper's figures.
#include <QStringList>

class QTextStream;

namespace chrysalis::ui {

/// True when the command line asks for a headless export (checked before the
/// QApplication exists, so main() can pick the offscreen platform).
bool isHeadlessExport(int argc, char** argv);

/// Runs the export. @param arguments the whole command line (argv[0] first).
/// @param err receives one line on failure ("chrysalis: error: ...").
/// @returns 0 on success, 1 on failure.
int runHeadlessExport(const QStringList& arguments, QTextStream& err);

} // namespace chrysalis::ui
