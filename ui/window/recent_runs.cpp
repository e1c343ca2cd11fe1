#include "window/recent_runs.h"

#include <QAction>
#include <QDir>
#include <QMenu>
#include <QSettings>

namespace chrysalis::ui {

namespace {
const QString kKey = QStringLiteral("recent/series");
}

RecentRuns::RecentRuns(QMenu* menu, int capacity, QObject* parent)
    : QObject(parent), m_menu(menu), m_capacity(capacity) {
  m_dirs = QSettings().value(kKey).toStringList();
  rebuildMenu();
}

void RecentRuns::add(const QString& dir) {
  m_dirs.removeAll(dir);
  m_dirs.prepend(dir);
  while (m_dirs.size() > m_capacity)
    m_dirs.removeLast();
  QSettings().setValue(kKey, m_dirs);
  rebuildMenu();
}

void RecentRuns::clear() {
  m_dirs.clear();
  QSettings().setValue(kKey, m_dirs);
  rebuildMenu();
}

void RecentRuns::rebuildMenu() {
  m_menu->clear();
  for (int i = 0; i < m_dirs.size(); ++i) {
    const QString dir = m_dirs[i];
    auto* a =
        m_menu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QDir::toNativeSeparators(dir)));
    connect(a, &QAction::triggered, this, [this, dir] { Q_EMIT openRequested(dir); });
  }
  if (!m_dirs.isEmpty()) m_menu->addSeparator();
  auto* clearAction = m_menu->addAction(QStringLiteral("Clear Recent"));
  clearAction->setEnabled(!m_dirs.isEmpty());
  connect(clearAction, &QAction::triggered, this, &RecentRuns::clear);
}

} // namespace chrysalis::ui
