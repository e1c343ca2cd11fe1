#include "heads/head_grid_panel.h"

#include "common/step_axis.h"
#include "heads/head_grid_feed.h"
#include "heads/head_grid_source.h"
#include "heads/head_grid_view.h"
#include "runs/session.h"
#include "widgets/label_box.h"

#include <QComboBox>
#include <QFont>
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
  m_feed = new HeadGridFeed(session, cursor, this);
  m_view = new HeadGridView;
  m_view->setObjectName(QStringLiteral("head-grid-view"));
  m_info = new QLabel;
  m_info->setObjectName(QStringLiteral("head-grid-info"));
  m_info->setWordWrap(true);
  // Plain text in three labels: the value and best relations change at every
  // step, and rich text was parsed and laid out again at each move (~10% of
  // the GUI thread's work at 512 pieces, docs/performance.md). The name
  // changes with the head only; the relations wrap across the full width.
  m_detailsTitle = new QLabel;
  m_detailsTitle->setObjectName(QStringLiteral("head-details-title"));
  m_detailsTitle->setTextFormat(Qt::PlainText);
  m_detailsTitle->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  QFont bold = m_detailsTitle->font();
  bold.setBold(true);
  m_detailsTitle->setFont(bold);
  m_details = new QLabel;
  m_details->setObjectName(QStringLiteral("head-details"));
  m_details->setWordWrap(true);
  m_details->setTextFormat(Qt::PlainText);
  m_details->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_detailsRelations = new QLabel;
  m_detailsRelations->setObjectName(QStringLiteral("head-details-relations"));
  m_detailsRelations->setWordWrap(true);
  m_detailsRelations->setTextFormat(Qt::PlainText);
  m_detailsRelations->setAlignment(Qt::AlignLeft | Qt::AlignTop);
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
  layout->addWidget(new LabelBox(m_info)); // their text follows the cursor
  auto* details = new QHBoxLayout;
  details->addWidget(m_detailsTitle, 0, Qt::AlignTop);
  details->addWidget(new LabelBox(m_details), 1);
  layout->addLayout(details);
  layout->addWidget(new LabelBox(m_detailsRelations), 1);

  connect(m_quantity, &QComboBox::currentIndexChanged, this, [this](int i) {
    HeadQuery q = m_feed->query();
    q.quantity = static_cast<HeadQuantity>(i);
    setQuery(q);
  });
  connect(m_relation, &QComboBox::currentTextChanged, this, [this](const QString& r) {
    HeadQuery q = m_feed->query();
    q.relation = r;
    m_cursor.setRelation(r, this);
    m_feed->setQuery(q);
  });
  connect(m_direction, &QComboBox::currentIndexChanged, this, [this](int d) {
    HeadQuery q = m_feed->query();
    q.direction = d;
    m_feed->setQuery(q);
  });
  connect(m_compareMode, &QComboBox::currentIndexChanged, this, [this](int mode) {
    // The feed settles the target (never the run itself); the list shows it.
    m_feed->setCompare(static_cast<Compare>(mode), m_feed->compareRun(), m_feed->compareStep());
    fillRunCombos();
  });
  connect(m_compareWith, &QComboBox::activated, this, [this] {
    const Compare mode = m_feed->compare();
    m_feed->setCompare(
        mode, mode == Compare::Run ? m_compareWith->currentData().toInt() : m_feed->compareRun(),
        mode == Compare::Step ? m_compareWith->currentData().toLongLong() : m_feed->compareStep());
  });
  connect(m_view, &HeadGridView::headClicked, this, [this](int layer, int head) {
    m_view->setSelection(layer, head);
    m_cursor.setHead(layer, head, this);
    updateDetails();
  });
  // The feed works out what to show; this widget only shows it.
  connect(m_feed, &HeadGridFeed::gridChanged, this, &HeadGridPanel::showGrid);
  connect(m_feed, &HeadGridFeed::infoChanged, this, [this] { m_info->setText(m_feed->info()); });
  connect(m_feed, &HeadGridFeed::relationsFound, this, &HeadGridPanel::setRelations);
  auto runsChanged = [this] {
    m_feed->refresh();
    fillRunCombos();
  };
  connect(&session, &Session::runAdded, this, runsChanged);
  connect(&session, &Session::runRemoved, this, runsChanged);
  connect(&session, &Session::runChanged, this, runsChanged);
  m_cursor.addObserver(this);
  syncControls();
  m_feed->refresh();
}

HeadGridPanel::~HeadGridPanel() {
  m_cursor.removeObserver(this);
}

const HeadGrid& HeadGridPanel::grid() const {
  return m_view->grid();
}

HeadQuery HeadGridPanel::query() const {
  return m_feed->query();
}

qint64 HeadGridPanel::shownStep() const {
  return m_feed->shownStep();
}

EmergenceSource& HeadGridPanel::emergence() const {
  return m_feed->emergence();
}

void HeadGridPanel::setQuery(const HeadQuery& query) {
  m_feed->setQuery(query); // a grid comes back through gridChanged
  syncControls();
}

void HeadGridPanel::setOnsetSettings(const OnsetSettings& settings) {
  m_feed->setOnsetSettings(settings);
}

void HeadGridPanel::setCompare(Compare mode, int runId, qint64 step) {
  m_feed->setCompare(mode, runId, step);
  const QSignalBlocker b(m_compareMode);
  m_compareMode->setCurrentIndex(static_cast<int>(mode));
  fillRunCombos();
}

void HeadGridPanel::showGrid() {
  m_view->setGrid(m_feed->grid(), m_feed->message());
  m_view->setSelection(m_cursor.cursor().layer, m_cursor.cursor().head);
  updateDetails();
  m_info->setText(m_feed->info());
  Q_EMIT gridChanged();
}

void HeadGridPanel::syncControls() {
  const HeadQuery& q = m_feed->query();
  const QSignalBlocker b1(m_quantity), b2(m_direction), b3(m_relation);
  m_quantity->setCurrentIndex(static_cast<int>(q.quantity));
  m_direction->setCurrentIndex(q.direction);
  const int r = m_relation->findText(q.relation);
  if (r >= 0) m_relation->setCurrentIndex(r);
  const bool relation = q.quantity == HeadQuantity::Relation;
  m_relation->setEnabled(relation);
  m_direction->setEnabled(relation);
}

// Shows the comparison target the feed settled (HeadGridFeed::settleCompareTarget).
void HeadGridPanel::fillRunCombos() {
  const Compare mode = m_feed->compare();
  const QSignalBlocker b(m_compareWith);
  m_compareWith->clear();
  m_compareWith->setEnabled(mode != Compare::None);
  const OpenRun* current = m_feed->currentRun();
  if (mode == Compare::Run) {
    for (int i = 0; i < m_session.count(); ++i) {
      const OpenRun& r = m_session.at(i);
      if (current && r.id == current->id) continue;
      m_compareWith->addItem(r.data.label, r.id);
    }
    m_compareWith->setCurrentIndex(m_compareWith->findData(m_feed->compareRun()));
  } else if (mode == Compare::Step && current) {
    if (const ProbeSeries* p = current->data.probe(headQuantityKind(m_feed->query().quantity)))
      for (qint64 s : p->steps)
        m_compareWith->addItem(QStringLiteral("step ") + formatStep(static_cast<double>(s)), s);
    m_compareWith->setCurrentIndex(m_compareWith->findData(m_feed->compareStep()));
  }
}

void HeadGridPanel::setRelations(const QStringList& relations, const QString& chosen) {
  QStringList have;
  for (int i = 0; i < m_relation->count(); ++i)
    have << m_relation->itemText(i);
  const QSignalBlocker b(m_relation);
  if (have != relations) {
    m_relation->clear();
    m_relation->addItems(relations);
  }
  m_relation->setCurrentText(chosen);
}

void HeadGridPanel::updateDetails() {
  const Cursor& c = m_cursor.cursor();
  const HeadGrid& g = m_view->grid();
  const bool prompt = g.isValid() && !(c.hasHead() && c.layer < g.layers && c.head < g.heads);
  if (m_details->font().italic() != prompt) {
    QFont font = m_details->font();
    font.setItalic(prompt);
    m_details->setFont(font);
  }
  // The name hides when empty (no indent before the prompt); shown or
  // hidden, it lays the panel out again only when that changes.
  const auto setTitle = [this](const QString& title) {
    m_detailsTitle->setText(title); // returns at once for the text it has
    if (m_detailsTitle->isVisibleTo(this) == title.isEmpty())
      m_detailsTitle->setVisible(!title.isEmpty());
  };
  if (!g.isValid()) { // no grid, no head to describe (and nothing stale)
    setTitle({});
    m_details->clear();
    m_detailsRelations->clear();
    return;
  }
  if (prompt) {
    setTitle({});
    m_details->setText(QStringLiteral("Click a head to select it in every view."));
    m_detailsRelations->clear();
    return;
  }
  setTitle(QStringLiteral("Layer %1, head %2:").arg(c.layer + 1).arg(c.head + 1));
  const double v = g.at(c.layer, c.head);
  m_details->setText(g.cellText.isEmpty() ? QStringLiteral("%1 %2").arg(
                                                g.unit, std::isnan(v) ? QStringLiteral("undefined")
                                                                      : QString::number(v, 'f', 3))
                                          : headCellText(g, c.layer, c.head));
  QString relations;
  const auto arrays = m_feed->arrays();
  if (arrays && headQuantityKind(m_feed->query().quantity) == QLatin1String("uas")) {
    const QStringList top = headTopRelations(*arrays, c.layer, c.head, 4);
    if (!top.isEmpty())
      relations = QStringLiteral("Best relations: ") + top.join(QStringLiteral(" \u00B7 "));
  }
  m_detailsRelations->setText(relations);
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
      HeadQuery q = m_feed->query();
      q.relation = cursor.relation;
      m_feed->setQuery(q);
    }
  }
  // The feed follows the step and run itself (and settles the comparison
  // target first); the lists here only show what it chose.
  if (changed & CursorField::Run) fillRunCombos();
}

} // namespace chrysalis::ui
