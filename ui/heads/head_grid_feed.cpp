#include "heads/head_grid_feed.h"

#include "common/step_axis.h"
#include "data/emergence_source.h"
#include "heads/emergence_grid.h"
#include "heads/head_grid_source.h"
#include "runs/session.h"

#include <algorithm>

namespace chrysalis::ui {

HeadGridFeed::HeadGridFeed(Session& session, CursorContext& cursor, QObject* parent)
    : QObject(parent), m_session(session), m_cursor(cursor) {
  m_emergence = new EmergenceSource(session.items(), session.queue(), this);
  connect(&session.arrays(), &ArrayCache::ready, this, [this](const ArrayKey& key) {
    if (key == m_wantA || key == m_wantB) refresh();
  });
  connect(&session.arrays(), &ArrayCache::failed, this,
          [this](const ArrayKey& key, const QString& message) {
            if (key != m_wantA && key != m_wantB) return;
            m_grid = {};
            m_message = message;
            Q_EMIT gridChanged();
          });
  connect(m_emergence, &EmergenceSource::updated, this, [this] {
    if (m_query.quantity == HeadQuantity::Emergence) refresh();
  });
  connect(&session, &Session::runAboutToBeRemoved, this,
          [this](int index) { m_emergence->forget(m_session.at(index).data.dir); });
  m_cursor.addObserver(this);
}

HeadGridFeed::~HeadGridFeed() {
  m_cursor.removeObserver(this);
}

void HeadGridFeed::cursorChanged(const Cursor&, CursorFields changed) {
  if (changed & (CursorField::Step | CursorField::Run)) refresh();
}

void HeadGridFeed::setQuery(const HeadQuery& query) {
  m_query = query;
  refresh();
}

void HeadGridFeed::setCompare(Compare mode, int runId, qint64 step) {
  m_compare = mode;
  m_compareRun = runId;
  m_compareStep = step;
  refresh();
}

void HeadGridFeed::setOnsetSettings(const OnsetSettings& settings) {
  if (settings.detector == m_onsets.detector) return;
  m_onsets = settings;
  if (m_query.quantity == HeadQuantity::Emergence) refresh();
}

const OpenRun* HeadGridFeed::currentRun() const {
  if (const OpenRun* r = m_session.find(m_cursor.cursor().run)) return r;
  return m_session.count() > 0 ? &m_session.at(0) : nullptr;
}

// A run is never compared with itself, nor with a step it has no results at:
// after the cursor moved to another run, the first other run (or the run's
// first result step) stands in, as the panel's list then shows.
void HeadGridFeed::settleCompareTarget(const OpenRun& run) {
  if (m_compare == Compare::Run) {
    const OpenRun* other = m_session.find(m_compareRun);
    if (!other || other->id == run.id) {
      m_compareRun = -1;
      for (int i = 0; i < m_session.count(); ++i)
        if (m_session.at(i).id != run.id) {
          m_compareRun = m_session.at(i).id;
          break;
        }
    }
  } else if (m_compare == Compare::Step) {
    const ProbeSeries* p = run.data.probe(headQuantityKind(m_query.quantity));
    if (p && !p->steps.isEmpty() && !p->steps.contains(m_compareStep))
      m_compareStep = p->steps.first();
  }
}

// Keep the chosen relation when this probe set has it; else the cursor's; else the first.
void HeadGridFeed::chooseRelation(const QStringList& relations) {
  QString want = m_query.relation;
  if (!relations.contains(want)) want = m_cursor.cursor().relation;
  if (!relations.contains(want)) want = relations.value(0);
  m_query.relation = want;
  Q_EMIT relationsFound(relations, want);
  if (m_query.quantity == HeadQuantity::Relation && !want.isEmpty())
    m_cursor.setRelation(want, this);
}

void HeadGridFeed::refresh() {
  const OpenRun* run = currentRun();
  m_wantA = m_wantB = {};
  m_shownStep = -1;
  if (!run) {
    showNothing(QStringLiteral("Open a series to see its attention heads."));
    return;
  }
  const qint64 step = std::max<qint64>(0, m_cursor.cursor().step);
  const QString kind = headQuantityKind(m_query.quantity);
  m_wantA = headArrayKey(run->data, m_query.quantity, step);
  if (!m_wantA.isValid()) {
    showNothing(QStringLiteral("%1 has no '%2' probe results.").arg(run->data.label, kind));
    return;
  }
  settleCompareTarget(*run);
  if (m_query.quantity == HeadQuantity::Emergence) {
    m_wantA = {}; // no per-step arrays: every step's, in the background
    refreshEmergence(*run);
    return;
  }
  const OpenRun* other = m_compare == Compare::Run ? m_session.find(m_compareRun) : nullptr;
  if (m_compare == Compare::Run && other)
    m_wantB = headArrayKey(other->data, m_query.quantity, step);
  if (m_compare == Compare::Step)
    m_wantB = headArrayKey(run->data, m_query.quantity, m_compareStep);

  auto a = m_session.arrays().get(m_wantA);
  auto b = m_wantB.isValid() ? m_session.arrays().get(m_wantB) : nullptr;
  if (!a) m_session.arrays().request(m_wantA, QStringLiteral("heads:A"));
  if (m_wantB.isValid() && !b) m_session.arrays().request(m_wantB, QStringLiteral("heads:B"));
  prefetchNeighbours(run->data);
  if (!a || (m_wantB.isValid() && !b)) {
    // Keep showing the previous grid while the next step of the same run
    // loads (no flicker when scrubbing); another run's grid would be wrong.
    if (m_shownDir != run->data.dir) showNothing(QStringLiteral("Loading\u2026"));
    m_info =
        QStringLiteral("Loading step %1\u2026").arg(formatStep(static_cast<double>(m_wantA.step)));
    Q_EMIT infoChanged();
    return;
  }
  if (kind == QLatin1String("uas")) chooseRelation(headRelations(*a));
  m_shownStep = m_wantA.step;
  QString error;
  HeadGrid grid = headGridFrom(*a, m_query, &error);
  const QString at = formatStep(static_cast<double>(m_wantA.step));
  grid.title += QStringLiteral(" \u00B7 step ") + at;
  if (b && grid.isValid()) {
    QString errorB;
    const HeadGrid gb = headGridFrom(*b, m_query, &errorB);
    const QString title =
        m_compare == Compare::Run
            ? QStringLiteral("%1 \u00B7 %2 \u2212 %3 at step %4")
                  .arg(headQueryTitle(m_query), run->data.label, other->data.label, at)
            : QStringLiteral("%1 \u00B7 step %2 \u2212 step %3")
                  .arg(headQueryTitle(m_query), at, formatStep(static_cast<double>(m_wantB.step)));
    grid = headGridDifference(grid, gb, title);
    if (!grid.isValid())
      error = errorB.isEmpty() ? QStringLiteral("the two grids have different shapes") : errorB;
  }
  m_arrays = a;
  m_shownDir = run->data.dir;
  m_grid = grid;
  m_message = error;
  m_info = run->data.label;
  if (m_wantA.step < step)
    m_info += QStringLiteral(" \u00B7 newest results at or before the cursor: step ") + at;
  else if (m_wantA.step > step)
    m_info +=
        QStringLiteral(" \u00B7 no results before step ") + at + QStringLiteral(": showing it");
  Q_EMIT gridChanged();
}

// A run without results, or none: nothing of the previous run may remain.
void HeadGridFeed::showNothing(const QString& message) {
  m_arrays.reset();
  m_shownDir.clear();
  m_grid = {};
  m_message = message;
  m_info.clear();
  Q_EMIT gridChanged();
}

// Emergence is over the whole run: it ignores the cursor step and updates
// when new UAS results land (runChanged -> refresh -> request).
void HeadGridFeed::refreshEmergence(const OpenRun& run) {
  const OpenRun* other = m_compare == Compare::Run ? m_session.find(m_compareRun) : nullptr;
  m_emergence->request(run.data, m_onsets);
  if (other) m_emergence->request(other->data, m_onsets);
  const HeadEmergenceResult* a = m_emergence->result(run.data.dir, m_onsets);
  const HeadEmergenceResult* b = other ? m_emergence->result(other->data.dir, m_onsets) : nullptr;
  m_arrays.reset();
  if (!a || (other && !b)) {
    m_shownDir.clear();
    m_grid = {};
    m_message = QStringLiteral("Computing each head's emergence step\u2026");
    m_info = run.data.label;
    Q_EMIT gridChanged();
    return;
  }
  m_shownDir = run.data.dir;
  HeadGrid grid = emergenceGrid(*a);
  QString error = a->problem;
  if (b && grid.isValid()) {
    grid =
        emergenceDifference(*a, *b, run.data.label, other->data.label,
                            QStringLiteral("%1 \u00B7 %2 \u2212 %3")
                                .arg(headQueryTitle(m_query), run.data.label, other->data.label));
    if (!grid.isValid())
      error =
          b->problem.isEmpty() ? QStringLiteral("the two grids have different shapes") : b->problem;
  }
  m_grid = grid;
  m_message = error;
  m_info = run.data.label + QStringLiteral(" \u00B7 detector: ") + a->detector;
  if (m_compare == Compare::Step)
    m_info +=
        QStringLiteral(" \u00B7 emergence does not depend on the step: compare with another run");
  Q_EMIT gridChanged();
}

// Scrubbing moves one checkpoint at a time: read the results either side of
// the shown step after the shown step's own request (the I/O queue is FIFO),
// so the next move finds them cached instead of waiting on the disk.
void HeadGridFeed::prefetchNeighbours(const RunData& run) {
  const ProbeSeries* p = run.probe(headQuantityKind(m_query.quantity));
  if (!p) return;
  const auto it = std::lower_bound(p->steps.cbegin(), p->steps.cend(), m_wantA.step);
  if (it == p->steps.cend()) return;
  const auto index = it - p->steps.cbegin();
  // Two steps ahead: at the pace of a held arrow key the next step's read
  // has then had a whole move's time.
  if (index + 1 < p->steps.size())
    m_session.arrays().request({run.dir, p->hash, p->steps[index + 1]},
                               QStringLiteral("heads:ahead"));
  if (index + 2 < p->steps.size())
    m_session.arrays().request({run.dir, p->hash, p->steps[index + 2]},
                               QStringLiteral("heads:ahead2"));
  if (index > 0)
    m_session.arrays().request({run.dir, p->hash, p->steps[index - 1]},
                               QStringLiteral("heads:behind"));
}

} // namespace chrysalis::ui
