#include "training/train_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace chrysalis::ui {

TrainDialog::TrainDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(QStringLiteral("Train a New Run"));
  m_preset = new QComboBox;
  m_preset->addItem(QStringLiteral("tiny \u2014 2 \u00D7 32, seconds (tests)"),
                    QStringLiteral("tiny"));
  m_preset->addItem(QStringLiteral("demo \u2014 4 \u00D7 128, minutes on a laptop"),
                    QStringLiteral("demo"));
  m_preset->addItem(QStringLiteral("small \u2014 6 \u00D7 512, a workstation or one GPU"),
                    QStringLiteral("small"));
  m_preset->addItem(QStringLiteral("base \u2014 BERT-base as in the paper"),
                    QStringLiteral("base"));
  m_preset->setCurrentIndex(1);

  m_corpus = new QListWidget;
  m_corpus->setObjectName(QStringLiteral("train-corpus"));
  m_corpus->setMaximumHeight(90);
  auto* add = new QPushButton(QStringLiteral("Add\u2026"));
  auto* remove = new QPushButton(QStringLiteral("Remove"));
  auto* corpusButtons = new QVBoxLayout;
  corpusButtons->addWidget(add);
  corpusButtons->addWidget(remove);
  corpusButtons->addStretch();
  auto* corpusRow = new QHBoxLayout;
  corpusRow->addWidget(m_corpus, 1);
  corpusRow->addLayout(corpusButtons);

  m_schedule = new QComboBox;
  m_schedule->addItem(QStringLiteral("Baseline (\u03BB = 0)"));
  m_schedule->addItem(QStringLiteral("SAS+ \u2014 promote syntactic attention"));
  m_schedule->addItem(QStringLiteral("SAS\u2212 \u2014 suppress syntactic attention"));
  m_schedule->addItem(QStringLiteral("SAS\u2212 until step N, then \u03BB = 0"));
  m_lambda = new QDoubleSpinBox;
  m_lambda->setDecimals(4);
  m_lambda->setRange(0.0001, 10.0);
  m_lambda->setSingleStep(0.001);
  m_lambda->setValue(0.01);
  m_lambda->setToolTip(QStringLiteral(
      "The regularizer is a sum over the batch's dependency pairs: the paper's 0.001 "
      "goes with 256 \u00D7 512-token batches; the demo's small batches need about 0.01."));
  m_suppressUntil = new QSpinBox;
  m_suppressUntil->setRange(1, 100000000);
  m_suppressUntil->setValue(300);
  m_steps = new QSpinBox;
  m_steps->setRange(0, 100000000);
  m_steps->setSpecialValueText(QStringLiteral("preset default"));
  m_seed = new QSpinBox;
  m_seed->setRange(0, 1000000);
  m_seed->setValue(1);
  m_out = new QLineEdit;
  m_out->setObjectName(QStringLiteral("train-out"));
  auto* browse = new QPushButton(QStringLiteral("Browse\u2026"));
  auto* outRow = new QHBoxLayout;
  outRow->addWidget(m_out, 1);
  outRow->addWidget(browse);
  m_label = new QLineEdit;
  m_label->setPlaceholderText(QStringLiteral("shown in the Runs list (optional)"));

  m_preview = new QLabel;
  m_preview->setObjectName(QStringLiteral("train-preview"));
  m_preview->setWordWrap(true);
  m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  m_preview->setFont(mono);
  m_problem = new QLabel;
  m_problem->setWordWrap(true);
  m_problem->setStyleSheet(QStringLiteral("color: #D55E00"));

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Preset"), m_preset);
  form->addRow(QStringLiteral("Corpus"), corpusRow);
  form->addRow(QStringLiteral("Schedule"), m_schedule);
  form->addRow(QStringLiteral("\u03BB"), m_lambda);
  form->addRow(QStringLiteral("Suppress until step"), m_suppressUntil);
  form->addRow(QStringLiteral("Steps"), m_steps);
  form->addRow(QStringLiteral("Seed"), m_seed);
  form->addRow(QStringLiteral("Series folder"), outRow);
  form->addRow(QStringLiteral("Label"), m_label);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Start Training"));
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_preview);
  layout->addWidget(m_problem);
  layout->addWidget(buttons);

  connect(add, &QPushButton::clicked, this, &TrainDialog::addCorpusFiles);
  connect(remove, &QPushButton::clicked, this, [this] {
    qDeleteAll(m_corpus->selectedItems());
    updateState();
  });
  connect(browse, &QPushButton::clicked, this, &TrainDialog::chooseFolder);
  connect(buttons, &QDialogButtonBox::accepted, this, &TrainDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &TrainDialog::reject);
  for (auto* c : {m_preset, m_schedule})
    connect(c, &QComboBox::currentIndexChanged, this, &TrainDialog::updateState);
  for (auto* s : {m_suppressUntil, m_steps, m_seed})
    connect(s, &QSpinBox::valueChanged, this, &TrainDialog::updateState);
  connect(m_lambda, &QDoubleSpinBox::valueChanged, this, &TrainDialog::updateState);
  for (auto* e : {m_out, m_label})
    connect(e, &QLineEdit::textChanged, this, &TrainDialog::updateState);

  // Start where the last run was started: a study is several runs side by side.
  QSettings s;
  TrainOptions last;
  last.corpus = s.value(QStringLiteral("train/corpus")).toStringList();
  const QString lastOut = s.value(QStringLiteral("train/out")).toString();
  if (!lastOut.isEmpty())
    last.outDir = QFileInfo(lastOut).absolutePath() + QStringLiteral("/new-run");
  setOptions(last);
}

TrainOptions TrainDialog::options() const {
  TrainOptions o;
  o.preset = m_preset->currentData().toString();
  for (int i = 0; i < m_corpus->count(); ++i)
    o.corpus << m_corpus->item(i)->text();
  o.schedule = static_cast<TrainSchedule>(m_schedule->currentIndex());
  o.lambda = m_lambda->value();
  o.suppressUntil = m_suppressUntil->value();
  o.steps = m_steps->value();
  o.seed = static_cast<quint64>(m_seed->value());
  o.outDir = m_out->text().trimmed();
  o.label = m_label->text().trimmed();
  return o;
}

void TrainDialog::setOptions(const TrainOptions& o) {
  m_preset->setCurrentIndex(std::max(0, m_preset->findData(o.preset)));
  m_corpus->clear();
  m_corpus->addItems(o.corpus);
  m_schedule->setCurrentIndex(static_cast<int>(o.schedule));
  m_lambda->setValue(o.lambda);
  m_suppressUntil->setValue(static_cast<int>(o.suppressUntil));
  m_steps->setValue(static_cast<int>(o.steps));
  m_seed->setValue(static_cast<int>(o.seed));
  m_out->setText(o.outDir);
  m_label->setText(o.label);
  updateState();
}

QString TrainDialog::commandPreview() const {
  QStringList parts{QStringLiteral("chrysalis-cli")};
  for (const QString& a : trainArguments(options()))
    parts << (a.contains(QLatin1Char(' ')) ? QLatin1Char('\'') + a + QLatin1Char('\'') : a);
  return parts.join(QLatin1Char(' '));
}

void TrainDialog::updateState() {
  const auto schedule = static_cast<TrainSchedule>(m_schedule->currentIndex());
  m_lambda->setEnabled(schedule != TrainSchedule::Baseline);
  m_suppressUntil->setEnabled(schedule == TrainSchedule::SuppressUntil);
  m_preview->setText(commandPreview());
  m_problem->setText(validateTrainOptions(options()));
}

void TrainDialog::addCorpusFiles() {
  const QStringList files = QFileDialog::getOpenFileNames(
      this, QStringLiteral("Corpus Files"),
      m_corpus->count() ? QFileInfo(m_corpus->item(m_corpus->count() - 1)->text()).absolutePath()
                        : QString(),
      QStringLiteral("CoNLL-U or text (*.conllu *.conll *.txt);;All files (*)"));
  for (const QString& f : files)
    if (m_corpus->findItems(f, Qt::MatchExactly).isEmpty()) m_corpus->addItem(f);
  updateState();
}

void TrainDialog::chooseFolder() {
  const QString dir =
      QFileDialog::getSaveFileName(this, QStringLiteral("New Series Folder"), m_out->text(), {},
                                   nullptr, QFileDialog::ShowDirsOnly);
  if (!dir.isEmpty()) m_out->setText(dir);
}

void TrainDialog::accept() {
  const QString problem = validateTrainOptions(options());
  if (!problem.isEmpty()) {
    m_problem->setText(problem);
    return;
  }
  QSettings s;
  s.setValue(QStringLiteral("train/corpus"), options().corpus);
  s.setValue(QStringLiteral("train/out"), options().outDir);
  QDialog::accept();
}

} // namespace chrysalis::ui
