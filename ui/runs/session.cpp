#include "runs/session.h"

#include "data/run_reader.h"
#include "data/series_watcher.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace chrysalis::ui {

namespace {

// "label (folder)", or "label (parent/folder)" when the folders share a name.
QString withFolder(const QString& label, const QString& dir, bool parentToo) {
  const QFileInfo info(dir);
  const QString folder =
      parentToo ? info.dir().dirName() + QLatin1Char('/') + info.fileName() : info.fileName();
  return QStringLiteral("%1 (%2)").arg(label, folder);
}

} // namespace

Session::Session(QObject* parent)
    : QObject(parent), m_queue(this), m_arrays(m_queue, 64, this), m_items(m_queue, this),
      m_loader(m_queue, this) {
  connect(&m_loader, &RunLoader::loaded, this, &Session::onLoaded);
  connect(&m_loader, &RunLoader::failed, this, &Session::onFailed);
  connect(&m_loader, &RunLoader::busyChanged, this, &Session::busyChanged);
}

Session::~Session() = default;

void Session::open(const QString& dir) {
  const QString canonical = QFileInfo(dir).canonicalFilePath();
  for (const auto& r : std::as_const(m_runs))
    if (r.data.dir == canonical) {
      m_loader.load(r.data.dir, r.data);
      return;
    }
  m_loader.load(canonical.isEmpty() ? dir : canonical);
}

int Session::openNow(const QString& dir) {
  RunData run = readRun(dir);
  for (auto& r : m_runs)
    if (r.data.dir == run.dir) {
      r.data = run;
      r.seriesLabel = run.label;
      const int id = r.id;
      const QVector<int> others = relabel(); // r may be invalidated by observers below
      Q_EMIT runChanged(id);
      announce(others, id);
      return id;
    }
  return add(run);
}

void Session::onLoaded(const QString&, const RunData& run) {
  for (auto& r : m_runs)
    if (r.data.dir == run.dir) {
      r.data = run;
      r.seriesLabel = run.label;
      const int id = r.id;
      const QVector<int> others = relabel();
      Q_EMIT runChanged(id);
      announce(others, id);
      return;
    }
  add(run);
}

void Session::onFailed(const QString& dir, const QString& message) {
  // A reload of an open run can fail mid-write of a new file; the run stays
  // as it was and the next change retries. Only a first open reports.
  const QString canonical = QFileInfo(dir).canonicalFilePath();
  for (const auto& r : std::as_const(m_runs))
    if (r.data.dir == canonical) return;
  Q_EMIT openFailed(dir, message);
}

int Session::add(const RunData& run) {
  OpenRun r;
  r.id = m_nextId++;
  r.data = run;
  r.seriesLabel = run.label;
  r.colour = nextColour();
  Q_EMIT runAboutToBeAdded(m_runs.size());
  m_runs.append(r);
  // Labels are settled before anyone hears of the run; the others whose
  // label changed are announced after the insertion is complete.
  const QVector<int> others = relabel();
  watch(run.dir);
  Q_EMIT runAdded(r.id);
  announce(others, r.id);
  return r.id;
}

void Session::close(int id) {
  const int index = indexOf(id);
  if (index < 0) return;
  Q_EMIT runAboutToBeRemoved(index);
  const QString dir = m_runs[index].data.dir;
  m_runs.removeAt(index);
  delete m_watchers.take(dir);
  m_arrays.forgetRun(dir);
  m_items.forget(dir);
  Q_EMIT runRemoved(id);
  announce(relabel(), -1);
}

// Two runs with one label would be told apart only by colour: while both are
// open each shows its folder too (and the parent folder when those match).
QVector<int> Session::relabel() {
  QVector<int> changed;
  for (auto& r : m_runs) {
    bool same = false, sameFolder = false;
    for (const auto& other : std::as_const(m_runs)) {
      if (other.id == r.id || other.seriesLabel != r.seriesLabel) continue;
      same = true;
      sameFolder =
          sameFolder || QFileInfo(other.data.dir).fileName() == QFileInfo(r.data.dir).fileName();
    }
    const QString label = same ? withFolder(r.seriesLabel, r.data.dir, sameFolder) : r.seriesLabel;
    if (label == r.data.label) continue;
    r.data.label = label;
    changed << r.id;
  }
  return changed;
}

void Session::announce(const QVector<int>& ids, int except) {
  for (int id : ids)
    if (id != except && indexOf(id) >= 0) Q_EMIT runChanged(id);
}

int Session::indexOf(int id) const {
  for (int i = 0; i < m_runs.size(); ++i)
    if (m_runs[i].id == id) return i;
  return -1;
}

const OpenRun* Session::find(int id) const {
  const int i = indexOf(id);
  return i < 0 ? nullptr : &m_runs[i];
}

QVector<const OpenRun*> Session::visibleRuns() const {
  QVector<const OpenRun*> out;
  for (const auto& r : m_runs)
    if (r.visible) out << &r;
  return out;
}

void Session::setVisible(int id, bool visible) {
  const int i = indexOf(id);
  if (i < 0 || m_runs[i].visible == visible) return;
  m_runs[i].visible = visible;
  Q_EMIT runChanged(id);
}

QVector<qint64> Session::steps() const {
  QVector<qint64> out;
  for (const auto& r : m_runs)
    out << r.data.allSteps();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void Session::setWatching(bool on) {
  m_watching = on;
  if (!on) {
    qDeleteAll(m_watchers);
    m_watchers.clear();
    return;
  }
  for (const auto& r : std::as_const(m_runs))
    watch(r.data.dir);
}

void Session::watch(const QString& dir) {
  if (!m_watching || m_watchers.contains(dir)) return;
  auto* w = new SeriesWatcher(dir, 300, this);
  connect(w, &SeriesWatcher::changed, this, [this](const QString& changed) {
    for (const auto& r : std::as_const(m_runs))
      if (r.data.dir == changed) m_loader.load(r.data.dir, r.data);
  });
  m_watchers.insert(dir, w);
}

int Session::nextColour() const {
  for (int c = 0; c < kRunColours; ++c) {
    bool used = false;
    for (const auto& r : m_runs)
      used = used || r.colour == c;
    if (!used) return c;
  }
  return static_cast<int>(m_runs.size() % kRunColours);
}

} // namespace chrysalis::ui
