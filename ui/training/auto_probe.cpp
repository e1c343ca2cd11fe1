#include "training/auto_probe.h"

#include "cursor/cursor_context.h"
#include "training/probe_job.h"
#include "training/train_options.h"
#include "worker/worker_locator.h"

#include <QAction>
#include <QSettings>

namespace chrysalis::ui {

namespace {
const QString kSettingKey = QStringLiteral("engine/auto-probe");
} // namespace

QVector<qint64> stepsMissingResults(const RunData& run, const QStringList& kinds) {
  QVector<qint64> missing;
  for (const CheckpointRow& c : run.checkpoints) {
    if (!c.hasWeights) continue; // nothing to probe without weights
    const QStringList have = run.kindsAt(c.step);
    for (const QString& k : kinds)
      if (!have.contains(k)) {
        missing << c.step;
        break;
      }
  }
  return missing;
}

AutoProbe::AutoProbe(ProbeJob& status, CursorContext& cursor, QObject* parent)
    : QObject(parent), m_status(status), m_cursor(cursor) {
  m_action = new QAction(QStringLiteral("Probe Missing Results &Automatically"), this);
  m_action->setCheckable(true);
  m_action->setChecked(QSettings().value(kSettingKey, true).toBool());
  m_action->setToolTip(
      QStringLiteral("When a run opens, compute its missing loss, UAS, attention and TwoNN "
                     "results in the background: the checkpoint under the cursor first"));
  connect(m_action, &QAction::toggled, this, [this](bool on) {
    QSettings().setValue(kSettingKey, on);
    if (!on) m_queue.clear(); // a running job stays: Cancel in the status bar stops it
  });
  // Queued: the job that just ended is still unwinding its own signal.
  connect(&m_status, &ProbeJob::finished, this, &AutoProbe::startNext, Qt::QueuedConnection);
}

bool AutoProbe::isEnabled() const {
  return m_action->isChecked();
}

void AutoProbe::setEnabled(bool on) {
  m_action->setChecked(on);
}

bool AutoProbe::runOpened(const RunData& run, const QString& probeSet) {
  return isEnabled() && probeMissing(run, probeSet);
}

bool AutoProbe::probeMissing(const RunData& run, const QString& probeSet) {
  if (probeSet.isEmpty()) return false;
  if (m_leaveAlone && m_leaveAlone(run.dir)) return false;
  if (stepsMissingResults(run, defaultProbeKinds()).isEmpty()) return false;
  const QString engine = m_status.program().isEmpty() ? locateEngine() : m_status.program();
  if (engine.isEmpty()) {
    if (!m_toldNoEngine)
      Q_EMIT message(QStringLiteral("Missing probe results are not computed: ") +
                     engineNotFoundMessage());
    m_toldNoEngine = true;
    return false;
  }
  if (m_status.isRunning() && m_status.series() == run.dir) return true;
  for (const Pending& p : std::as_const(m_queue))
    if (p.series == run.dir) return true;
  m_queue << Pending{run.dir, probeSet};
  startNext();
  return true;
}

QStringList AutoProbe::queued() const {
  QStringList out;
  for (const Pending& p : m_queue)
    out << p.series;
  return out;
}

void AutoProbe::startNext() {
  if (m_queue.isEmpty() || m_status.isRunning()) return;
  const Pending next = m_queue.takeFirst();
  // The cursor's step when the job starts, not when the run opened: the user
  // may have moved on while an earlier run was probed.
  m_status.start(next.series, next.probeSet, m_cursor.cursor().step);
}

} // namespace chrysalis::ui
