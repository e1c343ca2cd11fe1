#pragma once
// The BLiMP tab of the Sentences dock: the selected run's minimal pairs at the
// cursor step, chosen by phenomenon or task, each marked correct (good PLL >
// bad PLL) or wrong and, when it changed since the previous BLiMP result,
// flipped; "Flipped only" keeps those. The header counts them.
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;

namespace chrysalis::ui {

class BlimpFilter;
class BlimpModel;
class BlimpSource;

class BlimpPanel : public QWidget {
  Q_OBJECT
public:
  explicit BlimpPanel(BlimpSource& source, QWidget* parent = nullptr);

  BlimpModel* model() const { return m_model; }
  BlimpFilter* filter() const { return m_filter; }
  QTableView* view() const { return m_view; }
  QComboBox* groupBox() const { return m_group; }
  QCheckBox* flippedOnlyBox() const { return m_flippedOnly; }
  /// The counts line above the table.
  QString headline() const;

Q_SIGNALS:
  /// "Choose…": the main window asks for a folder.
  void chooseRequested();

protected:
  // The source reads only while the panel can be seen (BlimpSource::setActive).
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

private:
  void onSourceChanged();
  void fillGroups();
  void applyGroup();
  void updateHeadline();

  BlimpSource& m_source;
  BlimpModel* m_model;
  BlimpFilter* m_filter;
  QComboBox* m_group;
  QCheckBox* m_flippedOnly;
  QLabel* m_header;
  QTableView* m_view;
  QLabel* m_info;
  QStringList m_groupTasks; // tasks the combo lists, to refill only when they change
};

} // namespace chrysalis::ui
