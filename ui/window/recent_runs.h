#pragma once
// Recently opened series folders, kept in QSettings and offered in a menu.
#include <QObject>
#include <QStringList>

class QMenu;

namespace chrysalis::ui {

class RecentRuns : public QObject {
  Q_OBJECT
public:
  explicit RecentRuns(QMenu* menu, int capacity = 10, QObject* parent = nullptr);
  /// Moves `dir` to the front (and saves).
  void add(const QString& dir);
  QStringList dirs() const { return m_dirs; }
  void clear();

Q_SIGNALS:
  void openRequested(const QString& dir);

private:
  void rebuildMenu();
  QMenu* m_menu;
  int m_capacity;
  QStringList m_dirs;
};

} // namespace chrysalis::ui
