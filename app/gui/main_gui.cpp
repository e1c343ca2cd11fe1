// chrysalis: the desktop app. A thin main; everything lives in ui/.
//   chrysalis [SERIES...]                       open series folders
//   chrysalis --export timeline|heads|figure|arcs  write a paper figure, no window
//             --out FILE [--format svg|pdf|png] [--width-in W] [--dpi D] [--step S] SERIES...
#include "export/headless_export.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>

namespace {

void describe(QCommandLineParser& parser) {
  parser.setApplicationDescription(QStringLiteral(
      "Watch syntax emerge while a masked language model trains.\n"
      "Headless figures: chrysalis --export timeline|heads|figure|arcs --out FILE [--format "
      "svg|pdf|png]\n"
      "  [--width-in W] [--height-in H] [--dpi D] [--step S] [--font F] [--font-size PT] [--log]\n"
      "  [--quantity best|relation|entropy|distance|sink|entropy-full|emergence] [--relation R] "
      "[--no-csv]\n"
      "  [--sentence ID|N --head L-H [--probe-set FILE]] SERIES..."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("series"), QStringLiteral("Series folders to open."),
                               QStringLiteral("[SERIES...]"));
}

void nameApplication() {
  QCoreApplication::setApplicationName(QStringLiteral("Chrysalis"));
  QCoreApplication::setOrganizationName(QStringLiteral("Chrysalis"));
  QCoreApplication::setApplicationVersion(QStringLiteral(CHRYSALIS_VERSION));
}

// --help and --version print and exit 0 like any command-line tool, also
// over ssh without a display: they need no GUI application.
bool asksForInfoOnly(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const QByteArray a(argv[i]);
    if (a == "-h" || a == "--help" || a == "--help-all" || a == "-?" || a == "-v" ||
        a == "--version")
      return true;
  }
  return false;
}

} // namespace

int main(int argc, char** argv) {
  const bool headless = chrysalis::ui::isHeadlessExport(argc, argv);
  if (!headless && asksForInfoOnly(argc, argv)) {
    QCoreApplication core(argc, argv);
    nameApplication();
    QCommandLineParser parser;
    describe(parser);
    parser.process(core); // prints and exits
    return 0;
  }
  // A figure export must work over ssh and in CI: no display needed.
  if (headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  nameApplication();
  QGuiApplication::setDesktopFileName(QStringLiteral("org.chrysalis.Chrysalis")); // Wayland app id
  if (headless) {
    QTextStream err(stderr);
    return chrysalis::ui::runHeadlessExport(QApplication::arguments(), err);
  }

  QCommandLineParser parser;
  describe(parser);
  parser.process(app);

  chrysalis::ui::MainWindow window;
  const QStringList dirs = parser.positionalArguments();
  for (const QString& dir : dirs)
    window.openSeries(dir);
  // A first start from the desktop menu shows the bundled demo, not an empty window.
  if (dirs.isEmpty() && window.isFirstStart()) window.openDemo();
  window.show();
  return QApplication::exec();
}
