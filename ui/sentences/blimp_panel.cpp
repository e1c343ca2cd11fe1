#include "sentences/blimp_panel.h"

#include "common/step_axis.h"
#include "sentences/blimp_filter.h"
#include "sentences/blimp_model.h"
#include "sentences/blimp_source.h"
#include "sentences/list_table.h"
#include "widgets/label_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QSignalBlocker>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace chrysalis::ui {

namespace {
// Combo data: "p:NAME" a phenomenon, "t:NAME" a task, empty all.
const QString kPhenomenon = QStringLiteral("p:");
const QString kTask = QStringLiteral("t:");
} // namespace

BlimpPanel::BlimpPanel(BlimpSource& source, QWidget* parent) : QWidget(parent), m_source(source) {
  m_model = new BlimpModel(this);
  m_filter = new BlimpFilter(this);
  m_filter->setSourceModel(m_model);

  m_group = new QComboBox;
  m_group->setObjectName(QStringLiteral("blimp-group"));
  m_group->setToolTip(QStringLiteral("Only the pairs of this phenomenon or task"));
  m_group->setFocusPolicy(Qt::ClickFocus); // keep arrow keys for checkpoint navigation
  m_flippedOnly = new QCheckBox(QStringLiteral("Flipped only"));
  m_flippedOnly->setObjectName(QStringLiteral("blimp-flipped-only"));
  m_flippedOnly->setToolTip(QStringLiteral(
      "Only the pairs that became correct or wrong since the previous BLiMP result"));
  m_flippedOnly->setFocusPolicy(Qt::ClickFocus);
  m_header = new QLabel;
  m_header->setObjectName(QStringLiteral("blimp-header"));
  m_header->setWordWrap(true);

  m_view = new QTableView;
  m_view->setObjectName(QStringLiteral("blimp-table"));
  m_view->setModel(m_filter);
  setUpListTable(m_view);
  const QFontMetrics fm = m_view->fontMetrics();
  m_view->setColumnWidth(BlimpModel::TaskColumn,
                         fm.horizontalAdvance(QStringLiteral("determiner_noun_agr")));
  m_view->setColumnWidth(BlimpModel::CorrectColumn, fm.horizontalAdvance(QStringLiteral("OK___")));
  m_view->setColumnWidth(BlimpModel::FlipColumn,
                         fm.horizontalAdvance(QStringLiteral("\u2193 now wrong__")));
  m_view->setColumnWidth(BlimpModel::MarginColumn,
                         fm.horizontalAdvance(QStringLiteral("\u221212.34__")));
  m_view->setColumnWidth(BlimpModel::GoodColumn, fm.horizontalAdvance(QLatin1Char('x')) * 40);

  m_info = new QLabel;
  m_info->setObjectName(QStringLiteral("blimp-info"));
  m_info->setWordWrap(true);
  m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* choose = new QToolButton;
  choose->setText(QStringLiteral("Choose\u2026"));
  choose->setToolTip(
      QStringLiteral("Choose the folder of BLiMP .jsonl files the results were scored on"));

  auto* filters = new QHBoxLayout;
  filters->addWidget(m_group, 1);
  filters->addWidget(m_flippedOnly);
  // The info and headline follow the cursor: in label boxes a new text
  // repaints the label alone and lays the panel out only when its size changes.
  auto* infoRow = new QHBoxLayout;
  infoRow->addWidget(new LabelBox(m_info), 1);
  infoRow->addWidget(choose);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(filters);
  layout->addWidget(new LabelBox(m_header));
  layout->addWidget(m_view, 1);
  layout->addLayout(infoRow);

  connect(m_group, &QComboBox::currentIndexChanged, this, &BlimpPanel::applyGroup);
  connect(m_flippedOnly, &QCheckBox::toggled, this, [this](bool on) {
    m_filter->setFlippedOnly(on);
    updateHeadline();
  });
  connect(choose, &QToolButton::clicked, this, &BlimpPanel::chooseRequested);
  connect(&source, &BlimpSource::changed, this, &BlimpPanel::onSourceChanged);
  source.setActive(false); // until shown
  onSourceChanged();
}

QString BlimpPanel::headline() const {
  return m_header->text();
}

void BlimpPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  m_source.setActive(true);
}

void BlimpPanel::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  m_source.setActive(false);
}

void BlimpPanel::onSourceChanged() {
  m_model->setContent(m_source.current(), m_source.previous(), m_source.texts());
  fillGroups();
  updateHeadline();
  if (!m_source.message().isEmpty())
    m_info->setText(m_source.message());
  else if (m_source.isLoading())
    m_info->setText(QStringLiteral("Reading BLiMP\u2026"));
  else
    m_info->setText(QStringLiteral("%1 pairs \u00B7 %2")
                        .arg(m_source.texts().pairs.size())
                        .arg(m_source.dir()));
  m_info->setToolTip(m_source.dir());
}

void BlimpPanel::fillGroups() {
  const BlimpScores& s = m_model->current();
  if (s.isEmpty() || s.tasks == m_groupTasks) return;
  m_groupTasks = s.tasks;
  QMap<QString, QStringList> byPhenomenon; // sorted, as BLiMP's own tables
  for (int k = 0; k < s.tasks.size(); ++k)
    byPhenomenon[s.phenomena.value(k)] << s.tasks[k];
  const QSignalBlocker block(m_group);
  const QString want = m_group->currentData().toString();
  m_group->clear();
  m_group->addItem(QStringLiteral("All phenomena"), QString());
  for (auto it = byPhenomenon.cbegin(); it != byPhenomenon.cend(); ++it) {
    m_group->addItem(it.key(), QString(kPhenomenon + it.key()));
    QStringList tasks = it.value();
    tasks.sort();
    for (const QString& t : tasks)
      m_group->addItem(QString(QStringLiteral("    ") + t), QString(kTask + t));
  }
  m_group->setCurrentIndex(std::max(0, m_group->findData(want)));
  applyGroup();
}

void BlimpPanel::applyGroup() {
  const QString g = m_group->currentData().toString();
  m_filter->setPhenomenon(g.startsWith(kPhenomenon) ? g.mid(kPhenomenon.size()) : QString());
  m_filter->setTask(g.startsWith(kTask) ? g.mid(kTask.size()) : QString());
  updateHeadline();
}

void BlimpPanel::updateHeadline() {
  const BlimpScores& s = m_model->current();
  if (s.isEmpty()) {
    m_header->setText(m_source.isLoading() ? QStringLiteral("loading\u2026") : QString());
    return;
  }
  // Counts over the chosen phenomenon or task, whatever "Flipped only" hides.
  const QString g = m_group->currentData().toString();
  int pairs = 0, correct = 0, up = 0, down = 0;
  for (int p = 0; p < s.size(); ++p) {
    const int k = s.task[p];
    if (g.startsWith(kPhenomenon) && s.phenomena.value(k) != g.mid(kPhenomenon.size())) continue;
    if (g.startsWith(kTask) && s.tasks.value(k) != g.mid(kTask.size())) continue;
    ++pairs;
    correct += s.correct(p) ? 1 : 0;
    const BlimpFlip f = m_model->flips().value(p);
    up += f == BlimpFlip::BecameCorrect ? 1 : 0;
    down += f == BlimpFlip::BecameWrong ? 1 : 0;
  }
  QString text = QStringLiteral("Step %1: %2 of %3 correct")
                     .arg(formatStep(static_cast<double>(s.step)))
                     .arg(correct)
                     .arg(pairs);
  if (m_source.previous().isEmpty())
    text += QStringLiteral(" \u00B7 no earlier BLiMP result to compare");
  else
    text += QStringLiteral(
                " \u00B7 since step %1: %2 flipped (\u2191 %3 now correct, \u2193 %4 now wrong)")
                .arg(formatStep(static_cast<double>(m_source.previous().step)))
                .arg(up + down)
                .arg(up)
                .arg(down);
  m_header->setText(text);
}

} // namespace chrysalis::ui
