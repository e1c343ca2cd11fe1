// chrysalis: the desktop app. A thin main; everything lives in ui/.
#include "main_window.h"

#include <QApplication>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Chrysalis"));
  QApplication::setApplicationVersion(QStringLiteral(CHRYSALIS_VERSION));
  chrysalis::ui::MainWindow window;
  const auto args = QApplication::arguments();
  for (int i = 1; i < args.size(); ++i) window.openSeries(args[i]);
  window.show();
  return QApplication::exec();
}
