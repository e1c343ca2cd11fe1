#pragma once
// "Ablate at Cursor": asks the engine worker to mask heads at one checkpoint
// and shows what changes (held-out loss, UAS of the heads left) beside the
// same number of random heads (docs/method.md, "Head ablation"). Non-modal:
// the user keeps scrubbing while it computes.
#include "worker/ablation_result.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;
class QGridLayout;

namespace chrysalis::ui {

class WorkerClient;

class AblationDialog : public QDialog {
  Q_OBJECT
public:
  explicit AblationDialog(WorkerClient& worker, QWidget* parent = nullptr);

  /// Asks the worker; the table says "computing…" until the reply.
  void ablate(const AblationKey& key);
  const AblationKey& key() const { return m_key; }
  const AblationResult& result() const { return m_result; }
  bool isWaiting() const { return m_pending != 0; }
  /// The table and notes as plain text (for tests and the clipboard).
  QString text() const;

Q_SIGNALS:
  /// The result (or the error) is on screen.
  void shown();
  /// "Add Ablation Timeline" for the same heads and mode.
  void timelineRequested(const chrysalis::ui::AblationKey& key);

private:
  void showResult(const AblationResult& result);
  void showError(const QString& message);
  void setCell(int row, int column, double value, bool signedValue);
  void showBlimpRow(bool show);

  WorkerClient& m_worker;
  QLabel* m_title;
  QComboBox* m_mode;
  QGridLayout* m_table;
  QLabel* m_rowLabels[3] = {};
  QLabel* m_cells[3][4] = {};
  QLabel* m_note;
  QPushButton* m_timeline;
  AblationKey m_key;
  AblationResult m_result;
  qint64 m_pending = 0;
};

} // namespace chrysalis::ui
