#include "main_window.h"

#include "format/series.h"

#include <QMessageBox>
#include <QStatusBar>
#include <QTableWidget>

namespace chrysalis::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("Chrysalis"));
  resize(1200, 800);
}

void MainWindow::openSeries(const QString& dir) {
  try {
    auto listing = format::listSeries(dir.toStdString());
    auto* table = new QTableWidget(static_cast<int>(listing.checkpoints.size()), 3, this);
    table->setHorizontalHeaderLabels({QStringLiteral("step"), QStringLiteral("tokens"), QStringLiteral("loss")});
    for (int i = 0; i < table->rowCount(); ++i) {
      const auto& c = listing.checkpoints[static_cast<size_t>(i)];
      table->setItem(i, 0, new QTableWidgetItem(QString::number(c.step)));
      table->setItem(i, 1, new QTableWidgetItem(QString::number(c.tokensSeen)));
      table->setItem(i, 2, new QTableWidgetItem(c.trainLoss ? QString::number(*c.trainLoss) : QString()));
    }
    setCentralWidget(table);
    statusBar()->showMessage(QString::fromStdString(listing.meta.label));
  } catch (const std::exception& e) {
    QMessageBox::warning(this, QStringLiteral("Cannot open series"), QString::fromStdString(e.what()));
  }
}

} // namespace chrysalis::ui
