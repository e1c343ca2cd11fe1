#include "heads/head_grid_panel.h"

#include "common/step_axis.h"
#include "data/emergence_source.h"
#include "heads/emergence_grid.h"
#include "heads/head_grid_source.h"
#include "heads/head_grid_view.h"
#include "runs/session.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace chrysalis::ui {

HeadGridPanel::HeadGridPanel(Session& session, CursorContext& cursor, QWidget* parent)
    : QWidget(parent), m_session(session), m_cursor(cursor) {
  m_quantity = new QComboBox;
  m_quantity->addItems(headQuantityNames());
  m_quantity->setToolTip(QStringLiteral(
      "UAS per head: accuracy of predicting each word's parent by the head's argmax attention "
      "(docs/method.md). Entropy, distance and sink share: attn probe. Emergence step: each head's "
      "breakpoint "
      "on its best-relation UAS over training, as chrysalis-cli onsets finds it."));
  m_relation = new QComboBox;
  m_relation->setToolTip(QStringLiteral("UD relation (subtypes kept)"));
  m_direction = new QComboBox;
  m_direction->addItem(QStringLiteral("dep\u2192head"));
  m_direction->addItem(QStringLiteral("head\u2190dep"));
  m_direction->setToolTip(QStringLiteral(
      "dep\u2192head: what word i attends to; head\u2190dep: which word attends most to i"));
  m_compareMode = new QComboBox;
  m_compareMode->addItems({QStringLiteral("Nothing"), QStringLiteral("Another run (A \u2212 B)"),
                           QStringLiteral("Another step (A \u2212 B)")});
  m_compareWith = new QComboBox;
  for (auto* c : {m_quantity, m_relation, m_direction, m_compareMode, m_compareWith})
    c->setFocusPolicy(Qt::ClickFocus); // keep arrow keys for checkpoint navigation
  m_emergence = new EmergenceSource(session.items(), session.queue(), this);
  m_view = new HeadGridView;
  m_view->setObjectName(QStringLiteral("head-grid-view"));
  m_info = new QLabel;
  m_info->setObjectName(QStringLiteral("head-grid-info"));
  m_info->setWordWrap(true);
  m_details = new QLabel;
  m_details->setObjectName(QStringLiteral("head-details"));
  m_details->setWordWrap(true);
  m_details->setTextFormat(Qt::RichText);
  m_details->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  setMinimumWidth(230); // a 1280-pixel laptop screen holds it beside the charts

  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(QStringLiteral("Show"), m_quantity);
  auto* relRow = new QHBoxLayout;
  relRow->addWidget(m_relation, 1);
  relRow->addWidget(m_direction);
  form->addRow(QStringLiteral("Relation"), relRow);
  auto* cmpRow = new QHBoxLayout;
  cmpRow->addWidget(m_compareMode);
  cmpRow->addWidget(m_compareWith, 1);
  form->addRow(QStringLiteral("Compare"), cmpRow);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(form);
  layout->addWidget(m_view, 3);
  layout->addWidget(m_info);
  layout->addWidget(m_details, 1);

  connect(m_quantity, &QComboBox::currentIndexChanged, this, [this](int i) {
    m_query.quantity = static_cast<HeadQuantity>(i);
    syncControls();
    refresh();
  });
  connect(m_relation, &QComboBox::currentTextChanged, this, [this](const QString& r) {
    m_query.relation = r;
    m_cursor.setRelation(r, this);
    refresh();
  });
  connect(m_direction, &QComboBox::currentIndexChanged, this, [this](int d) {
    m_query.direction = d;
    refresh();
  });
  connect(m_compareMode, &QComboBox::currentIndexChanged, this, [this](int mode) {
    m_compare = static_cast<Compare>(mode);
    fillRunCombos();
    refresh();
  });
  connect(m_compareWith, &QComboBox::activated, this, [this] {
    if (m_compare == Compare::Run) m_compareRun = m_compareWith->currentData().toInt();
    if (m_compare == Compare::Step) m_compareStep = m_compareWith->currentData().toLongLong();
    refresh();
  });
  connect(m_view, &HeadGridView::headClicked, this, [this](int layer, int head) {
    m_view->setSelection(layer, head);
    m_cursor.setHead(layer, head, this);
    updateDetails();
  });
  connect(&session.arrays(), &ArrayCache::ready, this, &HeadGridPanel::onArraysReady);
  connect(&session.arrays(), &ArrayCache::failed, this,
          [this](const ArrayKey& key, const QString& message) {
            if (key == m_wantA || key == m_wantB) m_view->setGrid({}, message);
          });
  auto runsChanged = [this] {
    fillRunCombos();
    refresh();
  };
  connect(m_emergence, &EmergenceSource::updated, this, [this] {
    if (m_query.quantity == HeadQuantity::Emergence) refresh();
  });
  connect(&session, &Session::runAboutToBeRemoved, this,
          [this](int index) { m_emergence->forget(m_session.at(index).data.dir); });
  connect(&session, &Session::runAdded, this, runsChanged);
  connect(&session, &Session::runRemoved, this, runsChanged);
  connect(&session, &Session::runChanged, this, runsChanged);
  m_cursor.addObserver(this);
  syncControls();
  refresh();
}

HeadGridPanel::~HeadGridPanel() {
  m_cursor.removeObserver(this);
}

const HeadGrid& HeadGridPanel::grid() const {
  return m_view->grid();
}

void HeadGridPanel::setQuery(const HeadQuery& query) {
  m_query = query;
  syncControls();
  refresh();
}

void HeadGridPanel::setOnsetSettings(const OnsetSettings& settings) {
  if (settings.detector == m_onsets.detector) return;
  m_onsets = settings;
  if (m_query.quantity == HeadQuantity::Emergence) refresh();
}

void HeadGridPanel::setCompare(Compare mode, int runId, qint64 step) {
  m_compare = mode;
  m_compareRun = runId;
  m_compareStep = step;
  const QSignalBlocker b(m_compareMode);
  m_compareMode->setCurrentIndex(static_cast<int>(mode));
  fillRunCombos();
  refresh();
}

void HeadGridPanel::syncControls() {
  const QSignalBlocker b1(m_quantity), b2(m_direction), b3(m_relation);
  m_quantity->setCurrentIndex(static_cast<int>(m_query.quantity));
  m_direction->setCurrentIndex(m_query.direction);
  const int r = m_relation->findText(m_query.relation);
  if (r >= 0) m_relation->setCurrentIndex(r);
  const bool relation = m_query.quantity == HeadQuantity::Relation;
  m_relation->setEnabled(relation);
  m_direction->setEnabled(relation);
}

const OpenRun* HeadGridPanel::currentRun() const {
  if (const OpenRun* r = m_session.find(m_cursor.cursor().run)) return r;
  return m_session.count() > 0 ? &m_session.at(0) : nullptr;
}

void HeadGridPanel::fillRunCombos() {
  const QSignalBlocker b(m_compareWith);
  m_compareWith->clear();
  m_compareWith->setEnabled(m_compare != Compare::None);
  const OpenRun* current = currentRun();
  if (m_compare == Compare::Run) {
    for (int i = 0; i < m_session.count(); ++i) {
      const OpenRun& r = m_session.at(i);
      if (current && r.id == current->id) continue;
      m_compareWith->addItem(r.data.label, r.id);
    }
    int idx = m_compareWith->findData(m_compareRun);
    if (idx < 0 && m_compareWith->count() > 0) idx = 0;
    m_compareWith->setCurrentIndex(idx);
    m_compareRun = idx >= 0 ? m_compareWith->itemData(idx).toInt() : -1;
  } else if (m_compare == Compare::Step && current) {
    if (const ProbeSeries* p = current->data.probe(headQuantityKind(m_query.quantity)))
      for (qint64 s : p->steps)
        m_compareWith->addItem(QStringLiteral("step ") + formatStep(static_cast<double>(s)), s);
    int idx = m_compareWith->findData(m_compareStep);
    if (idx < 0 && m_compareWith->count() > 0) idx = 0;
    m_compareWith->setCurrentIndex(idx);
    m_compareStep = idx >= 0 ? m_compareWith->itemData(idx).toLongLong() : 0;
  }
}

void HeadGridPanel::setRelations(const QStringList& relations) {
  QStringList have;
  for (int i = 0; i < m_relation->count(); ++i)
    have << m_relation->itemText(i);
  const QSignalBlocker b(m_relation);
  if (have != relations) {
    m_relation->clear();
    m_relation->addItems(relations);
  }
  // Keep the chosen relation when this probe set has it; else the cursor's; else the first.
  QString want = m_query.relation;
  if (!relations.contains(want)) want = m_cursor.cursor().relation;
  if (!relations.contains(want)) want = relations.value(0);
  m_relation->setCurrentText(want);
  m_query.relation = want;
  if (m_query.quantity == HeadQuantity::Relation && !want.isEmpty())
    m_cursor.setRelation(want, this);
}

void HeadGridPanel::onArraysReady(const ArrayKey& key) {
  if (key == m_wantA || key == m_wantB) refresh();
}

void HeadGridPanel::refresh() {
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
    m_info->setText(
        QStringLiteral("Loading step %1\u2026").arg(formatStep(static_cast<double>(m_wantA.step))));
    return;
  }
  if (kind == QLatin1String("uas")) setRelations(headRelations(*a));
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
  m_view->setGrid(grid, error);
  m_view->setSelection(m_cursor.cursor().layer, m_cursor.cursor().head);
  updateDetails();
  QString info = run->data.label;
  if (m_wantA.step < step)
    info += QStringLiteral(" \u00B7 newest results at or before the cursor: step ") + at;
  else if (m_wantA.step > step)
    info += QStringLiteral(" \u00B7 no results before step ") + at + QStringLiteral(": showing it");
  m_info->setText(info);
  Q_EMIT gridChanged();
}

// A run without results, or none: nothing of the previous run may remain.
void HeadGridPanel::showNothing(const QString& message) {
  m_arrays.reset();
  m_shownDir.clear();
  m_view->setGrid({}, message);
  m_info->clear();
  m_details->clear();
  Q_EMIT gridChanged();
}

// Emergence is over the whole run: it ignores the cursor step and updates
// when new UAS results land (runChanged -> refresh -> request).
void HeadGridPanel::refreshEmergence(const OpenRun& run) {
  const OpenRun* other = m_compare == Compare::Run ? m_session.find(m_compareRun) : nullptr;
  m_emergence->request(run.data, m_onsets);
  if (other) m_emergence->request(other->data, m_onsets);
  const HeadEmergenceResult* a = m_emergence->result(run.data.dir, m_onsets);
  const HeadEmergenceResult* b = other ? m_emergence->result(other->data.dir, m_onsets) : nullptr;
  m_arrays.reset();
  if (!a || (other && !b)) {
    showNothing(QStringLiteral("Computing each head's emergence step\u2026"));
    m_info->setText(run.data.label);
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
  m_view->setGrid(grid, error);
  m_view->setSelection(m_cursor.cursor().layer, m_cursor.cursor().head);
  updateDetails();
  QString info = run.data.label + QStringLiteral(" \u00B7 detector: ") + a->detector;
  if (m_compare == Compare::Step)
    info +=
        QStringLiteral(" \u00B7 emergence does not depend on the step: compare with another run");
  m_info->setText(info);
  Q_EMIT gridChanged();
}

// Scrubbing moves one checkpoint at a time: read the results either side of
// the shown step after the shown step's own request (the I/O queue is FIFO),
// so the next move finds them cached instead of waiting on the disk.
void HeadGridPanel::prefetchNeighbours(const RunData& run) {
  const ProbeSeries* p = run.probe(headQuantityKind(m_query.quantity));
  if (!p) return;
  const auto it = std::lower_bound(p->steps.cbegin(), p->steps.cend(), m_wantA.step);
  if (it == p->steps.cend()) return;
  const auto index = it - p->steps.cbegin();
  if (index + 1 < p->steps.size())
    m_session.arrays().request({run.dir, p->hash, p->steps[index + 1]},
                               QStringLiteral("heads:ahead"));
  if (index > 0)
    m_session.arrays().request({run.dir, p->hash, p->steps[index - 1]},
                               QStringLiteral("heads:behind"));
}

void HeadGridPanel::updateDetails() {
  const Cursor& c = m_cursor.cursor();
  const HeadGrid& g = m_view->grid();
  if (!g.isValid()) { // no grid, no head to describe (and nothing stale)
    m_details->clear();
    return;
  }
  if (!c.hasHead() || c.layer >= g.layers || c.head >= g.heads) {
    m_details->setText(QStringLiteral("<i>Click a head to select it in every view.</i>"));
    return;
  }
  const double v = g.at(c.layer, c.head);
  QString text = g.cellText.isEmpty() ? QStringLiteral("<b>Layer %1, head %2</b>: %3 %4")
                                            .arg(c.layer + 1)
                                            .arg(c.head + 1)
                                            .arg(g.unit, std::isnan(v) ? QStringLiteral("undefined")
                                                                       : QString::number(v, 'f', 3))
                                      : QStringLiteral("<b>Layer %1, head %2</b>: %3")
                                            .arg(c.layer + 1)
                                            .arg(c.head + 1)
                                            .arg(headCellText(g, c.layer, c.head).toHtmlEscaped());
  if (m_arrays && headQuantityKind(m_query.quantity) == QLatin1String("uas")) {
    const QStringList top = headTopRelations(*m_arrays, c.layer, c.head, 4);
    if (!top.isEmpty())
      text += QStringLiteral("<br>Best relations: ") + top.join(QStringLiteral(" \u00B7 "));
  }
  m_details->setText(text);
}

void HeadGridPanel::cursorChanged(const Cursor& cursor, CursorFields changed) {
  if (changed & CursorField::Head) {
    m_view->setSelection(cursor.layer, cursor.head);
    updateDetails();
  }
  if (changed & CursorField::Relation) {
    const int i = m_relation->findText(cursor.relation);
    if (i >= 0 && i != m_relation->currentIndex()) {
      const QSignalBlocker b(m_relation);
      m_relation->setCurrentIndex(i);
      m_query.relation = cursor.relation;
      refresh();
    }
  }
  if (changed & CursorField::Run) fillRunCombos();
  if (changed & (CursorField::Step | CursorField::Run)) refresh();
}

} // namespace chrysalis::ui
