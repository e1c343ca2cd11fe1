#pragma once
// The main window (a first, minimal version: the series' checkpoints).
#include <QMainWindow>

namespace chrysalis::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  void openSeries(const QString& dir);
};

} // namespace chrysalis::ui
