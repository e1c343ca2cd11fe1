#pragma once
// Narrows the BLiMP pairs: to one phenomenon or one task, and to the pairs
// that flipped since the previous result ("what did the model just learn?").
#include <QSortFilterProxyModel>

namespace chrysalis::ui {

class BlimpFilter : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit BlimpFilter(QObject* parent = nullptr);

  /// Only pairs of this phenomenon (linguistics_term); empty accepts all.
  void setPhenomenon(const QString& phenomenon);
  /// Only pairs of this task (UID); empty accepts all.
  void setTask(const QString& task);
  void setFlippedOnly(bool on);
  QString phenomenon() const { return m_phenomenon; }
  QString task() const { return m_task; }
  bool flippedOnly() const { return m_flippedOnly; }

protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
  QString m_phenomenon;
  QString m_task;
  bool m_flippedOnly = false;
};

} // namespace chrysalis::ui
