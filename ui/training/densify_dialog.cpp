#include "training/densify_dialog.h"

#include "format/series.h"
#include "train/schedule.h"
#include "train/train_state.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chrysalis::ui {

namespace {

QSpinBox* stepBox() {
  auto* box = new QSpinBox;
  box->setRange(0, std::numeric_limits<int>::max());
  box->setGroupSeparatorShown(true);
  return box;
}

} // namespace

DensifyDialog::DensifyDialog(const QString& series, const QVector<qint64>& checkpoints,
                             QWidget* parent)
    : QDialog(parent), m_series(series), m_checkpoints(checkpoints),
      // As the engine limits --to: a densify stays within the checkpoints there are.
      m_lastStep(checkpoints.isEmpty() ? 0 : checkpoints.last()) {
  setWindowTitle(QStringLiteral("Densify Checkpoints"));
  setObjectName(QStringLiteral("densify-dialog"));
  const std::filesystem::path dir = series.toStdString();
  try {
    if (format::readSeriesMeta(dir).training.is_null())
      m_problem = QStringLiteral("%1 was not trained by Chrysalis, so it cannot be re-run.")
                      .arg(QDir::toNativeSeparators(series));
  } catch (const std::exception& e) {
    m_problem = QString::fromStdString(e.what());
  }
  for (int64_t s : train::completeStateSteps(dir)) // what the engine will resume from
    m_states << s;
  m_from = stepBox();
  m_to = stepBox();
  m_every = stepBox();
  m_every->setMinimum(1);
  for (QSpinBox* b : {m_from, m_to, m_every})
    connect(b, &QSpinBox::valueChanged, this, &DensifyDialog::update);
  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  m_summary->setObjectName(QStringLiteral("densify-summary"));
  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("From step:"), m_from);
  form->addRow(QStringLiteral("To step:"), m_to);
  form->addRow(QStringLiteral("A checkpoint every:"), m_every);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Densify"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(
      QStringLiteral("Re-run a stretch of <b>%1</b> from a kept resume state, writing extra "
                     "checkpoints into the series. On the CPU the re-run is the run itself: "
                     "steps it shares with the series are checked to be bit-identical.")
          .arg(QFileInfo(series).fileName().toHtmlEscaped()));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(m_summary);
  layout->addWidget(buttons);
  m_okButton = buttons->button(QDialogButtonBox::Ok);
  setRange(0, m_lastStep);
  resize(560, sizeHint().height());
}

void DensifyDialog::setRange(qint64 from, qint64 to, qint64 every) {
  from = std::clamp<qint64>(from, 0, m_lastStep);
  to = std::clamp<qint64>(to, from, m_lastStep);
  if (every <= 0) {
    every = train::niceInterval(static_cast<double>(to - from) / 20.0); // about 20 new points
  }
  const QSignalBlocker a(m_from), b(m_to), c(m_every);
  m_from->setValue(static_cast<int>(from));
  m_to->setValue(static_cast<int>(to));
  m_every->setValue(static_cast<int>(std::max<qint64>(1, every)));
  update();
}

qint64 DensifyDialog::from() const {
  return m_from->value();
}
qint64 DensifyDialog::to() const {
  return m_to->value();
}
qint64 DensifyDialog::every() const {
  return m_every->value();
}

qint64 DensifyDialog::resumeStep() const {
  qint64 at = 0;
  for (qint64 s : m_states)
    if (s <= from()) at = s;
  return at;
}

QString DensifyDialog::summary() const {
  return m_summary->text();
}

void DensifyDialog::update() {
  const QLocale l;
  QString text;
  bool ok = m_problem.isEmpty();
  if (!ok) {
    text = m_problem;
  } else if (to() <= from()) {
    text = QStringLiteral("Choose a stretch: \u201cto\u201d must be after \u201cfrom\u201d.");
    ok = false;
  } else {
    int added = 0;
    for (qint64 s = from(); s <= to(); s += every())
      added += !std::binary_search(m_checkpoints.cbegin(), m_checkpoints.cend(), s);
    if (!std::binary_search(m_checkpoints.cbegin(), m_checkpoints.cend(), to()) &&
        (to() - from()) % every() != 0)
      ++added;
    QStringList kept;
    for (qint64 s : m_states)
      kept << l.toString(s);
    const qint64 resume = resumeStep();
    const QString start = m_states.contains(resume)
                              ? QStringLiteral("the state kept at step %1").arg(l.toString(resume))
                              : QStringLiteral("step 0 (its initialisation is seeded)");
    text = QStringLiteral("Resumes from %1 and trains %2 steps; adds %3 checkpoints. Kept "
                          "states: %4.")
               .arg(start, l.toString(to() - resume), l.toString(added),
                    kept.isEmpty() ? QStringLiteral("none") : kept.join(QStringLiteral(", ")));
    if (resume < from() && from() - resume > (to() - from()))
      text += QStringLiteral(" Most of the work is getting from %1 to %2: train with "
                             "--keep-states every:N to keep states nearer.")
                  .arg(l.toString(resume), l.toString(from()));
    ok = added > 0;
    if (!ok) text += QStringLiteral(" Nothing new to add at this spacing.");
  }
  m_summary->setText(text);
  m_okButton->setEnabled(ok);
}

} // namespace chrysalis::ui
