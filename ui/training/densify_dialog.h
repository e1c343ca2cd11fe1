#pragma once
// "Densify Checkpoints…": which stretch of a trained run to re-run with
// denser checkpoints (train --densify, docs/training.md). It says which kept
// resume state the re-run starts from, how many steps it trains and how many
// checkpoints it adds, before anything runs.
#include <QDialog>
#include <QVector>

class QLabel;
class QPushButton;
class QSpinBox;

namespace chrysalis::ui {

class DensifyDialog : public QDialog {
  Q_OBJECT
public:
  /// @param series a series folder written by `chrysalis-cli train`.
  /// @param checkpoints its checkpoint steps (ascending).
  DensifyDialog(const QString& series, const QVector<qint64>& checkpoints,
                QWidget* parent = nullptr);

  /// The stretch to suggest; `every` 0 picks about 20 new checkpoints.
  void setRange(qint64 from, qint64 to, qint64 every = 0);
  qint64 from() const;
  qint64 to() const;
  qint64 every() const;
  /// Steps with a complete kept resume state (train-state/step-N.json and .pt).
  const QVector<qint64>& keptStates() const { return m_states; }
  /// The state the re-run starts from: the newest kept at or before from(), else 0.
  qint64 resumeStep() const;
  /// Empty when the series can be densified, else why not.
  QString problem() const { return m_problem; }
  /// The explanation under the fields (tests read it).
  QString summary() const;

private:
  void update();

  QString m_series;
  QVector<qint64> m_checkpoints, m_states;
  qint64 m_lastStep = 0;
  QString m_problem;
  QSpinBox *m_from, *m_to, *m_every;
  QLabel* m_summary;
  QPushButton* m_okButton = nullptr;
};

} // namespace chrysalis::ui
