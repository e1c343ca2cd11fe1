#include "training/import_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chrysalis::ui {

namespace {
// A Trainer output folder holds checkpoint-N folders; a checkpoint folder config.json.
bool looksImportable(const QString& dir) {
  QDir d(dir);
  if (!d.exists()) return false;
  if (d.exists(QStringLiteral("config.json"))) return true;
  return !d.entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs).isEmpty();
}
} // namespace

ImportDialog::ImportDialog(const QString& besideFolder, QWidget* parent)
    : QDialog(parent), m_beside(besideFolder.isEmpty() ? QDir::homePath() : besideFolder),
      m_source(new QLineEdit), m_series(new QLineEdit),
      m_follow(new QCheckBox(QStringLiteral("Keep following the folder while it trains"))),
      m_problem(new QLabel) {
  setWindowTitle(QStringLiteral("Import Hugging Face Checkpoints"));
  auto* form = new QFormLayout;
  auto row = [this](QLineEdit* edit, const QString& title, bool existing) {
    auto* box = new QHBoxLayout;
    auto* browse = new QPushButton(QStringLiteral("Browse\u2026"));
    box->addWidget(edit, 1);
    box->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, title, existing] {
      const QString start = edit->text().isEmpty() ? m_beside : edit->text();
      const QString dir = existing ? QFileDialog::getExistingDirectory(this, title, start)
                                   : QFileDialog::getSaveFileName(this, title, start, {}, nullptr,
                                                                  QFileDialog::ShowDirsOnly);
      if (!dir.isEmpty()) edit->setText(dir);
    });
    return box;
  };
  form->addRow(QStringLiteral("Checkpoints:"),
               row(m_source, QStringLiteral("Trainer Output or Checkpoint Folder"), true));
  form->addRow(QStringLiteral("New series:"),
               row(m_series, QStringLiteral("New Series Folder"), false));
  m_source->setPlaceholderText(
      QStringLiteral("output_dir with checkpoint-N folders, or one checkpoint"));
  m_source->setToolTip(QStringLiteral(
      "model.safetensors or pytorch_model.bin, sharded or not; the training curve comes from "
      "trainer_state.json"));
  m_follow->setToolTip(QStringLiteral(
      "Import each new checkpoint-N once the Trainer has finished writing it, until you choose "
      "File \u25B8 Stop Following"));
  m_problem->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  m_ok = buttons->button(QDialogButtonBox::Ok);
  m_ok->setText(QStringLiteral("Import"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_follow);
  layout->addWidget(m_problem);
  layout->addWidget(buttons);
  connect(m_source, &QLineEdit::textChanged, this, [this] {
    if (!m_seriesEdited && !m_source->text().isEmpty()) {
      QSignalBlocker block(m_series);
      m_series->setText(QDir(m_beside).filePath(QFileInfo(m_source->text()).fileName()));
    }
    updateState();
  });
  connect(m_series, &QLineEdit::textEdited, this, [this] { m_seriesEdited = true; });
  connect(m_series, &QLineEdit::textChanged, this, &ImportDialog::updateState);
  connect(m_follow, &QCheckBox::toggled, this, &ImportDialog::updateState);
  setMinimumWidth(520);
  updateState();
}

QString ImportDialog::source() const {
  return m_source->text().trimmed();
}
QString ImportDialog::series() const {
  return m_series->text().trimmed();
}
bool ImportDialog::follow() const {
  return m_follow->isChecked();
}
void ImportDialog::setSource(const QString& folder) {
  m_source->setText(folder);
}

void ImportDialog::updateState() {
  QString problem;
  if (source().isEmpty() || series().isEmpty())
    problem = QStringLiteral("Choose the checkpoints and a folder for the new series.");
  else if (!looksImportable(source()))
    problem = QStringLiteral("%1 holds neither config.json nor checkpoint-N folders.")
                  .arg(QDir::toNativeSeparators(source()));
  else if (QFileInfo::exists(series()) &&
           !QFileInfo::exists(QDir(series()).filePath(QStringLiteral("series.json"))) &&
           !QDir(series()).isEmpty())
    problem =
        QStringLiteral("%1 exists and is not a series.").arg(QDir::toNativeSeparators(series()));
  else if (QFileInfo::exists(QDir(series()).filePath(QStringLiteral("series.json"))) && !follow())
    problem = QStringLiteral("A series already exists there; choose another folder (or follow, "
                             "which adds the checkpoints it lacks).");
  m_problem->setText(problem);
  m_problem->setVisible(!problem.isEmpty() && !source().isEmpty());
  m_ok->setEnabled(problem.isEmpty());
}

} // namespace chrysalis::ui
