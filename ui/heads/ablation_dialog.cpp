#include "heads/ablation_dialog.h"

#include "worker/worker_client.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace chrysalis::ui {

namespace {

struct Row {
  const char* label;
  const char* intact; // scalar names: intact, ablated, delta, control delta
  const char* ablated;
  const char* delta;
  const char* control;
};

const Row kRows[] = {
    {"Held-out MLM loss", "ablation_loss_intact", "ablation_loss", "ablation_loss_delta",
     "ablation_control_loss_delta"},
    {"UAS of the heads left", "ablation_uas_intact", "ablation_uas", "ablation_uas_delta",
     "ablation_control_uas_delta"},
    {"BLiMP", "ablation_blimp_intact", "ablation_blimp", "ablation_blimp_delta",
     "ablation_control_blimp_delta"},
};

} // namespace

AblationDialog::AblationDialog(WorkerClient& worker, QWidget* parent)
    : QDialog(parent), m_worker(worker) {
  setWindowTitle(QStringLiteral("Head Ablation"));
  setObjectName(QStringLiteral("ablation-dialog"));
  m_title = new QLabel;
  m_title->setWordWrap(true);
  m_mode = new QComboBox;
  m_mode->addItem(QStringLiteral("Zero the heads' outputs"), QStringLiteral("zero"));
  m_mode->addItem(QStringLiteral("Replace them by their mean"), QStringLiteral("mean"));
  m_mode->setToolTip(QStringLiteral(
      "Zero: what the next layer sees without the heads (off-distribution, may overstate). "
      "Mean: each head's output averaged over the probe set, a milder test."));
  // A grid of labels: three measures (BLiMP only when the result has it) by
  // intact, ablated, delta and the random heads' delta.
  m_table = new QGridLayout;
  m_table->setHorizontalSpacing(18);
  const QStringList columns{QStringLiteral("intact"), QStringLiteral("ablated"),
                            QStringLiteral("\u0394"), QStringLiteral("\u0394 random heads")};
  for (int c = 0; c < 4; ++c) {
    auto* h = new QLabel(QStringLiteral("<b>%1</b>").arg(columns[c]));
    h->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_table->addWidget(h, 0, c + 1);
  }
  for (int r = 0; r < 3; ++r) {
    m_rowLabels[r] = new QLabel(QString::fromLatin1(kRows[r].label));
    m_table->addWidget(m_rowLabels[r], r + 1, 0);
    for (int c = 0; c < 4; ++c) {
      m_cells[r][c] = new QLabel;
      m_cells[r][c]->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
      m_cells[r][c]->setTextInteractionFlags(Qt::TextSelectableByMouse);
      m_table->addWidget(m_cells[r][c], r + 1, c + 1);
    }
  }
  m_table->setColumnStretch(0, 1);
  showBlimpRow(false);
  m_note = new QLabel;
  m_note->setWordWrap(true);
  m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  m_timeline =
      buttons->addButton(QStringLiteral("Add Ablation Timeline"), QDialogButtonBox::ActionRole);
  m_timeline->setToolTip(
      QStringLiteral("Probe every checkpoint with weights with these heads ablated, in the "
                     "background, and show the Head Ablation timeline"));
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  connect(m_timeline, &QPushButton::clicked, this, [this] { Q_EMIT timelineRequested(m_key); });
  connect(m_mode, &QComboBox::activated, this, [this] {
    AblationKey k = m_key;
    k.mode = m_mode->currentData().toString();
    if (k.isValid()) ablate(k);
  });
  auto* modeRow = new QHBoxLayout;
  modeRow->addWidget(new QLabel(QStringLiteral("Ablation:")));
  modeRow->addWidget(m_mode, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_title);
  layout->addLayout(modeRow);
  layout->addLayout(m_table);
  layout->addWidget(m_note);
  layout->addStretch(1);
  layout->addWidget(buttons);
  resize(640, 230);

  connect(&m_worker, &WorkerClient::ablationReady, this,
          [this](qint64 id, const AblationResult& r) {
            if (id == m_pending) showResult(r);
          });
  connect(&m_worker, &WorkerClient::ablationFailed, this, [this](qint64 id, const QString& m) {
    if (id == m_pending) showError(m);
  });
}

void AblationDialog::ablate(const AblationKey& key) {
  m_key = key;
  m_result = {};
  m_mode->setCurrentIndex(std::max(0, m_mode->findData(key.mode)));
  m_title->setText(QStringLiteral("Heads <b>%1</b> at step <b>%2</b>")
                       .arg(key.heads.toHtmlEscaped(), QLocale().toString(key.step)));
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c)
      m_cells[r][c]->setText(c == 0 && r == 0 ? QStringLiteral("computing\u2026") : QString());
  m_note->setText(QStringLiteral("The engine worker is computing (a forward pass over the probe "
                                 "set per model)\u2026"));
  m_timeline->setEnabled(true);
  m_pending = m_worker.requestAblation(key);
}

void AblationDialog::setCell(int row, int column, double value, bool signedValue) {
  QString text = QStringLiteral("\u2014");
  if (std::isfinite(value))
    text = (signedValue && value >= 0 ? QStringLiteral("+") : QString()) +
           QString::number(value, 'f', 3);
  m_cells[row][column]->setText(text);
}

void AblationDialog::showResult(const AblationResult& r) {
  m_pending = 0;
  m_result = r;
  m_title->setText(QStringLiteral("Heads <b>%1</b> at step <b>%2</b>")
                       .arg(headListText(r.heads), QLocale().toString(r.key.step)));
  for (int row = 0; row < 3; ++row) {
    const Row& spec = kRows[row];
    setCell(row, 0, r.value(QLatin1String(spec.intact)), false);
    setCell(row, 1, r.value(QLatin1String(spec.ablated)), false);
    setCell(row, 2, r.value(QLatin1String(spec.delta)), true);
    setCell(row, 3, r.value(QLatin1String(spec.control)), true);
  }
  showBlimpRow(r.scalars.contains(QStringLiteral("ablation_blimp")));
  QString note =
      r.key.mode == QLatin1String("mean")
          ? QStringLiteral("Each head's output was replaced by its mean over the probe set. ")
          : QStringLiteral("The heads' outputs were zeroed. ");
  note +=
      QStringLiteral("UAS is the implicit parse over the heads not ablated, intact and "
                     "ablated. Random heads: %1.")
          .arg(r.controlHeads.isEmpty() ? QStringLiteral("none") : headListText(r.controlHeads));
  if (r.cached) note += QStringLiteral(" (From the probe store.)");
  m_note->setText(note);
  Q_EMIT shown();
}

void AblationDialog::showError(const QString& message) {
  m_pending = 0;
  m_result = {};
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c)
      m_cells[r][c]->clear();
  m_note->setText(QStringLiteral("Could not ablate: ") + message);
  m_timeline->setEnabled(false);
  Q_EMIT shown();
}

void AblationDialog::showBlimpRow(bool show) {
  m_rowLabels[2]->setVisible(show);
  for (QLabel* cell : m_cells[2])
    cell->setVisible(show);
}

QString AblationDialog::text() const {
  QStringList lines{m_title->text()};
  for (int r = 0; r < 3; ++r) {
    if (m_rowLabels[r]->isHidden()) continue;
    QStringList cells{m_rowLabels[r]->text()};
    for (const QLabel* cell : m_cells[r])
      cells << cell->text();
    lines << cells.join(QLatin1Char('\t'));
  }
  lines << m_note->text();
  return lines.join(QLatin1Char('\n'));
}

} // namespace chrysalis::ui
