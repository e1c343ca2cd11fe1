#pragma once
// The Sentences dock: the selected run's probe sentences, filtered by text and
// by relation. Selecting one sets it in the cursor context, so the arc view
// and the attention matrix follow; the cursor's sentence is selected here.
#include "cursor/cursor_context.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace chrysalis::ui {

class SentenceFilter;
class SentenceModel;
class SentenceSource;

class SentencePanel : public QWidget, public ICursorObserver {
  Q_OBJECT
public:
  SentencePanel(SentenceSource& source, CursorContext& cursor, QWidget* parent = nullptr);
  ~SentencePanel() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  SentenceModel* model() const { return m_model; }
  SentenceFilter* filter() const { return m_filter; }
  QTableView* view() const { return m_view; }
  QLineEdit* textFilter() const { return m_text; }
  QComboBox* relationFilter() const { return m_relation; }
  /// The footer: how many sentences (match), from which file.
  QString infoText() const;

Q_SIGNALS:
  /// The "Choose…" button: the main window asks for a file.
  void chooseRequested();
  /// The filters leave no sentence (true) or some again (false).
  void nothingMatches(bool none);

private:
  void onSourceChanged();
  void selectSentence(int index);
  /// Runs a filter change without letting the view's moving current row
  /// select another sentence (typing must not jump the arcs around).
  void refilter(const std::function<void()>& change);
  void updateInfo();
  bool m_nothingMatches = false;

  SentenceSource& m_source;
  CursorContext& m_cursor;
  SentenceModel* m_model;
  SentenceFilter* m_filter;
  QLineEdit* m_text;
  QComboBox* m_relation;
  QTableView* m_view;
  QLabel* m_info;
  bool m_refiltering = false;
};

} // namespace chrysalis::ui
