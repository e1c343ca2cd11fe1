#include "sentences/sentence_source.h"

#include <cstdlib>

#include "runs/session.h"
#include "sentences/probe_set_locator.h"
#include "sentences/probe_set_reader.h"

#include <QFileInfo>
#include <QSettings>

namespace chrysalis::ui {

namespace {
const QString kLastChosenKey = QStringLiteral("sentences/last-probe-set");
}

SentenceSource::SentenceSource(Session& session, CursorContext& cursor, QObject* parent)
    : QObject(parent), m_session(session), m_cursor(cursor) {
  m_lastChosen = QSettings().value(kLastChosenKey).toString();
  m_cursor.addObserver(this);
  connect(&session, &Session::runAdded, this, &SentenceSource::refresh);
  connect(&session, &Session::runRemoved, this, &SentenceSource::refresh);
  refresh();
}

SentenceSource::~SentenceSource() {
  m_cursor.removeObserver(this);
}

void SentenceSource::cursorChanged(const Cursor&, CursorFields changed) {
  if (changed & CursorField::Run) refresh();
}

const ProbeSentence* SentenceSource::sentence(int index) const {
  return index >= 0 && index < m_set.sentences.size() ? &m_set.sentences[index] : nullptr;
}

QString SentenceSource::runDir() const {
  if (const OpenRun* r = m_session.find(m_cursor.cursor().run)) return r->data.dir;
  return m_session.count() > 0 ? m_session.at(0).data.dir : QString();
}

QString SentenceSource::pathFor(const QString& dir) const {
  if (dir.isEmpty()) return {};
  if (m_chosen.contains(dir)) return m_chosen.value(dir);
  const QString found = findProbeSet(dir);
  if (!found.isEmpty()) return found;
  return QFileInfo(m_lastChosen).isFile() ? m_lastChosen : QString();
}

QString SentenceSource::path() const {
  return pathFor(runDir());
}

void SentenceSource::choose(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  const QString dir = runDir();
  if (!dir.isEmpty()) m_chosen.insert(dir, absolute);
  m_lastChosen = absolute;
  QSettings().setValue(kLastChosenKey, absolute);
  if (absolute == m_set.path) m_set = {}; // read it again: the user may have rebuilt it
  load(absolute);
}

void SentenceSource::refresh() {
  const QString dir = runDir();
  if (dir.isEmpty()) {
    clear(QStringLiteral("Open a series to browse its probe sentences."));
    return;
  }
  const QString p = pathFor(dir);
  if (p.isEmpty()) {
    clear(QStringLiteral("No probe set found beside this series: choose one with File \u25B8 "
                         "Choose Probe Set\u2026"));
    return;
  }
  load(p);
}

// No sentences of another run's probe set may stay on show under this message.
void SentenceSource::clear(const QString& message) {
  m_set = {};
  m_loading.clear(); // a read still under way is dropped when it lands
  m_message = message;
  m_cursor.setSentence(-1, this);
  Q_EMIT changed();
}

void SentenceSource::load(const QString& path) {
  if (path == m_set.path && m_loading.isEmpty()) {
    m_message.clear();
    Q_EMIT changed();
    return;
  }
  if (path == m_loading) return;
  m_loading = path;
  m_session.queue().post(
      QStringLiteral("probe-set"), this,
      [path](const std::function<bool()>&) { return readProbeSet(path); },
      [this, path](const ProbeSetData& set) {
        if (path == m_loading) loaded(set); // else another run's set is wanted by now
      },
      [this, path](const QString& error) {
        if (path != m_loading) return;
        m_loading.clear();
        m_message = QStringLiteral("Cannot read the probe set: ") + error;
        Q_EMIT changed();
      });
}

void SentenceSource::loaded(const ProbeSetData& set) {
  m_loading.clear();
  m_set = set;
  m_message = set.isEmpty() ? QStringLiteral("The probe set %1 has no sentences.").arg(set.path)
                            : QString();
  // The old index meant a sentence of another file: start on a legible one.
  m_cursor.setSentence(defaultSentence(), this);
  Q_EMIT changed();
}

int SentenceSource::defaultSentence() const {
  // A typical clause: 8-16 words with a subject and a few long arcs, so the
  // arcs panel shows structure rather than a title, a list or a URL.
  auto typical = [](const ProbeSentence& s) {
    if (s.size() < 8 || s.size() > 16) return false;
    int longArcs = 0;
    for (int i = 0; i < s.size(); ++i)
      if (i < s.heads.size() && s.heads[i] > 0 && std::abs(s.heads[i] - (i + 1)) > 1 &&
          s.relations.value(i) != QLatin1String("punct"))
        ++longArcs;
    return longArcs >= 3 && s.relations.contains(QStringLiteral("nsubj"));
  };
  for (int i = 0; i < m_set.sentences.size(); ++i)
    if (typical(m_set.sentences[i])) return i;
  for (int i = 0; i < m_set.sentences.size(); ++i)
    if (m_set.sentences[i].size() >= 6 && m_set.sentences[i].size() <= 14) return i;
  return m_set.isEmpty() ? -1 : 0;
}

} // namespace chrysalis::ui
