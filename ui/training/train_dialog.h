#pragma once
// "Train New Run…": the few choices that define a run of the study (preset,
// corpus, schedule with λ, steps, seed, folder). Everything else keeps the
// preset's values; docs/training.md lists the flags for finer control.
#include "training/train_options.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace chrysalis::ui {

class TrainDialog : public QDialog {
  Q_OBJECT
public:
  explicit TrainDialog(QWidget* parent = nullptr);

  TrainOptions options() const;
  void setOptions(const TrainOptions& options);
  /// The command it will run, as shown under the form.
  QString commandPreview() const;

  void accept() override;

private:
  void updateState();
  void addCorpusFiles();
  void chooseFolder();

  QComboBox* m_preset;
  QListWidget* m_corpus;
  QComboBox* m_schedule;
  QDoubleSpinBox* m_lambda;
  QSpinBox* m_suppressUntil;
  QSpinBox* m_steps;
  QSpinBox* m_seed;
  QLineEdit* m_out;
  QLineEdit* m_label;
  QLabel* m_preview;
  QLabel* m_problem;
};

} // namespace chrysalis::ui
