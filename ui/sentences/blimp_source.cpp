#include "sentences/blimp_source.h"

#include "common/step_axis.h"
#include "common/step_search.h"
#include "runs/session.h"
#include "sentences/blimp_locator.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace chrysalis::ui {

BlimpSource::BlimpSource(Session& session, CursorContext& cursor, QObject* parent)
    : QObject(parent), m_session(session), m_cursor(cursor) {
  m_cursor.addObserver(this);
  connect(&session, &Session::runAdded, this, &BlimpSource::refresh);
  connect(&session, &Session::runRemoved, this, &BlimpSource::refresh);
  connect(&session, &Session::runChanged, this, &BlimpSource::refresh); // new results
  connect(&session.arrays(), &ArrayCache::ready, this, &BlimpSource::onArraysReady);
  connect(&session.arrays(), &ArrayCache::failed, this,
          [this](const ArrayKey& key, const QString& message) {
            if (key != m_wantCur && key != m_wantPrev) return;
            // No pairs of another step beside the error (they stay while a
            // step is read, not when it cannot be).
            m_message = QStringLiteral("Cannot read the BLiMP result: ") + message;
            if (key == m_wantCur) {
              m_current = m_previous = {};
              m_shown = {};
              m_failed = key; // said again by later updates while it is wanted
              m_failedMessage = m_message;
            }
            Q_EMIT changed();
          });
  refresh();
}

BlimpSource::~BlimpSource() {
  m_cursor.removeObserver(this);
}

void BlimpSource::cursorChanged(const Cursor&, CursorFields changed) {
  if (changed & (CursorField::Step | CursorField::Run)) refresh();
}

const OpenRun* BlimpSource::run() const {
  if (const OpenRun* r = m_session.find(m_cursor.cursor().run)) return r;
  return m_session.count() > 0 ? &m_session.at(0) : nullptr;
}

QString BlimpSource::dir() const {
  const OpenRun* r = run();
  if (!r) return {};
  return m_chosen.contains(r->data.dir) ? m_chosen.value(r->data.dir) : findBlimpDir(r->data.dir);
}

bool BlimpSource::isLoading() const {
  return !m_textsLoading.isEmpty() || (m_wantCur.isValid() && m_current.step != m_wantCur.step);
}

void BlimpSource::chooseDir(const QString& dir) {
  if (const OpenRun* r = run()) m_chosen.insert(r->data.dir, QFileInfo(dir).absoluteFilePath());
  m_textsWanted.clear(); // read it again: the user may have changed the files
  refresh();
}

void BlimpSource::setActive(bool active) {
  if (active == m_active) return;
  m_active = active;
  if (m_active && m_stale) refresh();
}

void BlimpSource::refresh() {
  m_stale = !m_active;
  if (!m_active) return;
  const OpenRun* r = run();
  const ProbeSeries* p = r ? r->data.probe(QStringLiteral("blimp")) : nullptr;
  m_wantCur = m_wantPrev = {};
  if (!p || p->steps.isEmpty()) {
    m_current = m_previous = {};
    m_message = r ? QStringLiteral("%1 has no BLiMP results (chrysalis-cli probe --probes blimp).")
                        .arg(r->data.label)
                  : QStringLiteral("Open a series to browse its BLiMP pairs.");
    Q_EMIT changed();
    return;
  }
  const qint64 step = m_cursor.cursor().step;
  const int at = static_cast<int>(indexAtOrBefore(p->steps, step)); // -1: none before the cursor
  if (at >= 0) m_wantCur = {r->data.dir, p->hash, p->steps[at]};
  if (at >= 1) m_wantPrev = {r->data.dir, p->hash, p->steps[at - 1]};

  const QJsonObject config = QJsonDocument::fromJson(p->configJson.toUtf8()).object();
  const QString blimpDir = dir();
  if (!blimpDir.isEmpty())
    requestTexts(blimpDir, config.value(QStringLiteral("per_task")).toInt(),
                 static_cast<quint64>(config.value(QStringLiteral("seed")).toInteger()),
                 config.value(QStringLiteral("pairs")).toString());
  else {
    m_textsWanted.clear();
    m_texts = {};
    m_textsError =
        QStringLiteral("No BLiMP folder found beside the series (data/blimp): choose one.");
  }
  for (const ArrayKey& k : {m_wantCur, m_wantPrev})
    if (k.isValid() && !m_session.arrays().get(k))
      m_session.arrays().request(k, k == m_wantCur ? QStringLiteral("blimp:cur")
                                                   : QStringLiteral("blimp:prev"));
  // The next result too, read while this one is looked at: scrubbing
  // forward then finds it ready (as the head grid's reads ahead).
  if (at + 1 < p->steps.size())
    m_session.arrays().request({r->data.dir, p->hash, p->steps[at + 1]},
                               QStringLiteral("blimp:ahead"));
  update();
}

void BlimpSource::requestTexts(const QString& dir, int perTask, quint64 seed, const QString& hash) {
  const QString id = QStringLiteral("%1|%2|%3").arg(dir).arg(perTask).arg(seed);
  m_wantedHash = hash;
  if (id == m_textsWanted) return;
  m_textsWanted = id;
  m_textsLoading = id;
  m_texts = {};
  m_textsError.clear();
  m_session.queue().post(
      QStringLiteral("blimp-texts"), this,
      [dir, perTask, seed](const std::function<bool()>&) {
        return loadBlimpTexts(dir, perTask, seed);
      },
      [this, id](const BlimpTexts& texts) {
        if (id != m_textsLoading) return;
        m_textsLoading.clear();
        m_texts = texts;
        update();
      },
      [this, id](const QString& error) {
        if (id != m_textsLoading) return;
        m_textsLoading.clear();
        m_textsError = QStringLiteral("Cannot read the BLiMP files: ") + error;
        update();
      });
}

void BlimpSource::onArraysReady(const ArrayKey& key) {
  if (key == m_wantCur || key == m_wantPrev) update();
}

void BlimpSource::update() {
  auto scores = [this](const ArrayKey& k) -> BlimpScores {
    if (!k.isValid()) return {};
    const auto a = m_session.arrays().get(k);
    return a ? blimpScoresFrom(*a) : BlimpScores{};
  };
  // While the next step of the same results is read, keep showing the pairs
  // shown (as the head grid does): the list neither flickers empty nor is
  // reset twice a move, and isLoading() says a newer step is on its way.
  const bool sameResults = m_shown.isValid() && m_wantCur.isValid() &&
                           m_shown.dir == m_wantCur.dir && m_shown.hash == m_wantCur.hash;
  if (sameResults && !m_current.isEmpty() && !m_session.arrays().get(m_wantCur)) {
    Q_EMIT changed();
    return;
  }
  m_current = scores(m_wantCur);
  m_previous = scores(m_wantPrev);
  m_shown = m_current.isEmpty() ? ArrayKey{} : m_wantCur;
  m_message.clear();
  if (m_wantCur.isValid() && m_wantCur == m_failed && !m_session.arrays().get(m_wantCur))
    m_message = m_failedMessage;
  else if (!m_wantCur.isValid())
    m_message =
        QStringLiteral("No BLiMP result at or before step %1.")
            .arg(formatStep(static_cast<double>(std::max<qint64>(0, m_cursor.cursor().step))));
  else if (m_current.isEmpty() && m_session.arrays().get(m_wantCur))
    m_message = QStringLiteral("The BLiMP result at step %1 has no per-pair scores.")
                    .arg(formatStep(static_cast<double>(m_wantCur.step)));
  else if (!m_textsError.isEmpty())
    m_message = m_textsError;
  else if (m_textsLoading.isEmpty() && !m_wantedHash.isEmpty() && m_texts.hash != m_wantedHash) {
    m_message = QStringLiteral("The BLiMP files in %1 are not the pairs these results scored "
                               "(hash %2, results %3): choose the right folder.")
                    .arg(m_texts.dir, m_texts.hash, m_wantedHash);
    m_texts.pairs.clear(); // never pair PLLs with the wrong sentences
  }
  Q_EMIT changed();
}

} // namespace chrysalis::ui
