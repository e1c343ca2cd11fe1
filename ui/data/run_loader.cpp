#include "data/run_loader.h"

#include "data/job_queue.h"
#include "data/run_reader.h"

#include <QSet>

namespace chrysalis::ui {

RunLoader::RunLoader(JobQueue& queue, QObject* parent) : QObject(parent), m_queue(queue) {
  qRegisterMetaType<RunData>();
}

void RunLoader::load(const QString& dir, const RunData& previous) {
  // A superseded load never reports back, so count folders, not requests.
  if (!m_inFlight.contains(dir)) {
    m_inFlight.insert(dir);
    if (m_pending++ == 0) Q_EMIT busyChanged(true);
  }
  Q_EMIT started(dir);
  m_queue.post(
      QStringLiteral("run:") + dir, this,
      [dir, previous](const std::function<bool()>& cancelled) {
        return readRun(dir, previous.dir.isEmpty() ? nullptr : &previous, cancelled);
      },
      [this, dir](RunData run) {
        m_inFlight.remove(dir);
        finish();
        Q_EMIT loaded(dir, run);
      },
      [this, dir](const QString& message) {
        m_inFlight.remove(dir);
        finish();
        Q_EMIT failed(dir, message);
      });
}

void RunLoader::finish() {
  if (--m_pending == 0) Q_EMIT busyChanged(false);
}

} // namespace chrysalis::ui
