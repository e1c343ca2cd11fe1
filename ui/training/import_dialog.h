#pragma once
// "Import Hugging Face Checkpoints…": which folder (a Trainer output folder
// or one checkpoint folder), which new series folder, and whether to keep
// following the folder while its run trains.
#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace chrysalis::ui {

class ImportDialog : public QDialog {
  Q_OBJECT
public:
  /// @param besideFolder where new series go by default (the recent runs' folder).
  explicit ImportDialog(const QString& besideFolder, QWidget* parent = nullptr);

  QString source() const;
  QString series() const;
  bool follow() const;
  void setSource(const QString& folder);

private:
  void updateState();

  QString m_beside;
  QLineEdit* m_source;
  QLineEdit* m_series;
  QCheckBox* m_follow;
  QLabel* m_problem;
  QPushButton* m_ok;
  bool m_seriesEdited = false;
};

} // namespace chrysalis::ui
