#include "sentences/sentence_panel.h"

#include "sentences/list_table.h"
#include "sentences/sentence_filter.h"
#include "sentences/sentence_model.h"
#include "sentences/sentence_source.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace chrysalis::ui {

SentencePanel::SentencePanel(SentenceSource& source, CursorContext& cursor, QWidget* parent)
    : QWidget(parent), m_source(source), m_cursor(cursor) {
  m_model = new SentenceModel(this);
  m_filter = new SentenceFilter(this);
  m_filter->setSourceModel(m_model);

  m_text = new QLineEdit;
  m_text->setObjectName(QStringLiteral("sentence-text-filter"));
  m_text->setPlaceholderText(QStringLiteral("Filter by words or id"));
  m_text->setClearButtonEnabled(true);
  m_relation = new QComboBox;
  m_relation->setObjectName(QStringLiteral("sentence-relation-filter"));
  m_relation->setToolTip(QStringLiteral("Only sentences whose gold parse has this relation"));
  m_relation->setFocusPolicy(Qt::ClickFocus); // keep arrow keys for checkpoint navigation
  auto* choose = new QToolButton;
  choose->setText(QStringLiteral("Choose\u2026"));
  choose->setToolTip(
      QStringLiteral("Choose the probe set file (chrysalis-cli probe-set build) for this run"));

  m_view = new QTableView;
  m_view->setObjectName(QStringLiteral("sentence-table"));
  m_view->setModel(m_filter);
  setUpListTable(m_view);
  m_view->horizontalHeader()->setSectionResizeMode(SentenceModel::IdColumn,
                                                   QHeaderView::Interactive);
  m_view->setColumnWidth(SentenceModel::IdColumn, m_view->fontMetrics().horizontalAdvance(
                                                      QStringLiteral("weblog-00000-0000")));
  m_view->setColumnWidth(SentenceModel::LengthColumn,
                         m_view->fontMetrics().horizontalAdvance(QStringLiteral("Words__")));

  m_info = new QLabel;
  m_info->setObjectName(QStringLiteral("sentence-info"));
  m_info->setWordWrap(true);
  m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* filters = new QHBoxLayout;
  filters->addWidget(m_text, 2);
  filters->addWidget(m_relation, 1);
  auto* infoRow = new QHBoxLayout;
  infoRow->addWidget(m_info, 1);
  infoRow->addWidget(choose);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(filters);
  layout->addWidget(m_view, 1);
  layout->addLayout(infoRow);

  connect(m_text, &QLineEdit::textChanged, this,
          [this](const QString& text) { refilter([&] { m_filter->setText(text); }); });
  connect(m_relation, &QComboBox::currentIndexChanged, this, [this](int) {
    refilter([&] { m_filter->setRelation(m_relation->currentData().toString()); });
  });
  connect(choose, &QToolButton::clicked, this, &SentencePanel::chooseRequested);
  connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid() && !m_refiltering)
              m_cursor.setSentence(current.data(SentenceModel::IndexRole).toInt(), this);
          });
  connect(&source, &SentenceSource::changed, this, &SentencePanel::onSourceChanged);
  m_cursor.addObserver(this);
  onSourceChanged();
}

SentencePanel::~SentencePanel() {
  m_cursor.removeObserver(this);
}

void SentencePanel::onSourceChanged() {
  const ProbeSetData& set = m_source.probeSet();
  if (set.path != m_model->probeSet().path || set.sentences.size() != m_model->rowCount()) {
    m_model->setProbeSet(set);
    const QSignalBlocker block(m_relation);
    const QString want = m_relation->currentData().toString();
    m_relation->clear();
    m_relation->addItem(QStringLiteral("Any relation"), QString());
    for (const QString& r : set.relations())
      m_relation->addItem(r, r);
    m_relation->setCurrentIndex(std::max(0, m_relation->findData(want)));
    m_filter->setRelation(m_relation->currentData().toString());
  }
  updateInfo();
  selectSentence(m_cursor.cursor().sentence);
}

void SentencePanel::refilter(const std::function<void()>& change) {
  m_refiltering = true;
  change();
  m_refiltering = false;
  // The cursor's sentence stays selected while it matches; the arcs keep it
  // either way until the user picks another row.
  selectSentence(m_cursor.cursor().sentence);
  updateInfo();
}

QString SentencePanel::infoText() const {
  return m_info->text();
}

void SentencePanel::updateInfo() {
  const ProbeSetData& set = m_source.probeSet();
  const int all = m_model->rowCount(), shown = m_filter->rowCount();
  const QString file = QFileInfo(set.path).fileName();
  if (!m_source.message().isEmpty())
    m_info->setText(m_source.message());
  else if (m_source.isLoading())
    m_info->setText(QStringLiteral("Reading the probe set\u2026"));
  else if (shown == all)
    m_info->setText(QStringLiteral("%1 sentences \u00B7 %2").arg(all).arg(file));
  else if (shown == 0)
    m_info->setText(QStringLiteral("No sentence matches (of %1) \u00B7 %2").arg(all).arg(file));
  else
    m_info->setText(
        QStringLiteral("%1 of %2 sentences match \u00B7 %3").arg(shown).arg(all).arg(file));
  m_info->setToolTip(set.path);
  const bool none = all > 0 && shown == 0;
  if (none != m_nothingMatches) {
    m_nothingMatches = none;
    Q_EMIT nothingMatches(none);
  }
}

void SentencePanel::selectSentence(int index) {
  const QModelIndex source = m_model->index(index, 0);
  const QModelIndex row = m_filter->mapFromSource(source);
  // Selecting the row reports back through currentRowChanged, but with the
  // cursor's own value, which the context ignores: no loop.
  if (!row.isValid()) {
    m_view->selectionModel()->clearSelection();
    return;
  }
  m_view->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect |
                                                     QItemSelectionModel::Rows);
  m_view->scrollTo(row);
}

void SentencePanel::cursorChanged(const Cursor& cursor, CursorFields changed) {
  if (changed & CursorField::Sentence) selectSentence(cursor.sentence);
}

} // namespace chrysalis::ui
