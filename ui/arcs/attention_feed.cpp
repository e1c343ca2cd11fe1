#include "arcs/attention_feed.h"

#include "common/step_axis.h"
#include "runs/session.h"
#include "sentences/sentence_source.h"
#include "worker/worker_client.h"

namespace chrysalis::ui {

AttentionFeed::AttentionFeed(Session& session, CursorContext& cursor, SentenceSource& sentences,
                             WorkerClient& worker, QObject* parent)
    : QObject(parent), m_session(session), m_cursor(cursor), m_sentences(sentences),
      m_worker(worker) {
  // Several cursor changes in one turn of the event loop (a drag, a key held
  // down) make one request (house-style §10).
  m_throttle.setSingleShot(true);
  m_throttle.setInterval(30);
  connect(&m_throttle, &QTimer::timeout, this, &AttentionFeed::refreshNow);
  connect(&worker, &WorkerClient::attentionReady, this, &AttentionFeed::onReady);
  connect(&worker, &WorkerClient::requestFailed, this, &AttentionFeed::onFailed);
  connect(&sentences, &SentenceSource::changed, this, &AttentionFeed::scheduleRefresh);
  connect(&session, &Session::runChanged, this,
          &AttentionFeed::scheduleRefresh); // new checkpoints with weights
  connect(&session, &Session::runRemoved, this, &AttentionFeed::scheduleRefresh);
  connect(&session, &Session::runAdded, this, &AttentionFeed::scheduleRefresh);
  m_cursor.addObserver(this);
  scheduleRefresh();
}

AttentionFeed::~AttentionFeed() {
  m_cursor.removeObserver(this);
}

void AttentionFeed::cursorChanged(const Cursor&, CursorFields fields) {
  if (fields & (CursorField::Step | CursorField::Run | CursorField::Sentence)) {
    // A cached result shows at once: the throttle is there to spare the
    // worker, and waiting it out cost every cached scrub step 30 ms.
    const AttentionKey key = wantedKey(nullptr);
    if (key.isValid() && (key == m_result.key || m_worker.cached(key)))
      refreshNow();
    else
      scheduleRefresh();
  }
  if (fields & CursorField::Head) Q_EMIT changed(); // every head is in the reply already
}

const ProbeSentence* AttentionFeed::sentence() const {
  return m_sentences.current();
}

void AttentionFeed::scheduleRefresh() {
  m_throttle.start();
}

qint64 AttentionFeed::weightsStepAtOrBefore(const RunData& run, qint64 step) {
  qint64 best = -1;
  for (const CheckpointRow& c : run.checkpoints)
    if (c.hasWeights && c.step <= step) best = c.step; // ascending
  return best;
}

AttentionKey AttentionFeed::wantedKey(QString* whyNot) const {
  const Cursor& c = m_cursor.cursor();
  const OpenRun* run = m_session.find(c.run);
  if (!run && m_session.count() > 0) run = &m_session.at(0);
  const ProbeSentence* s = sentence();
  AttentionKey key;
  QString why;
  if (!run) {
    why = QStringLiteral("Open a series to see its dependency arcs.");
  } else if (!s) {
    why = m_sentences.message().isEmpty()
              ? QStringLiteral("Choose a sentence in the Sentences list.")
              : m_sentences.message();
  } else {
    const qint64 step = weightsStepAtOrBefore(run->data, std::max<qint64>(0, c.step));
    if (step < 0)
      why =
          QStringLiteral(
              "%1 has no checkpoint with weights at or before step %2: the worker needs weights to "
              "compute attention.")
              .arg(run->data.label, formatStep(static_cast<double>(std::max<qint64>(0, c.step))));
    else
      key = {run->data.dir, step, s->words, m_pieces};
  }
  if (whyNot) *whyNot = why;
  return key;
}

void AttentionFeed::setPieces(bool pieces) {
  if (pieces == m_pieces) return;
  m_pieces = pieces;
  refreshNow();
}

void AttentionFeed::refreshNow() {
  m_throttle.stop();
  QString why;
  const AttentionKey key = wantedKey(&why);
  if (!key.isValid()) {
    m_worker.cancel(QStringLiteral("arcs")); // a queued request nobody wants now
    m_wanted = {};
    m_result = {};
    m_pending = false;
    m_message = why;
    Q_EMIT changed();
    return;
  }
  if (key == m_wanted && (m_pending || m_result.key == key)) return;
  m_wanted = key;
  m_message.clear();
  if (m_result.key == key) {
    m_pending = false;
    Q_EMIT changed();
    return;
  }
  if (auto hit = m_worker.cached(key)) {
    m_result = *hit;
    m_pending = false;
    Q_EMIT changed();
    return;
  }
  // A result for another sentence must not be shown dimmed as if it were this one.
  if (m_result.key.words != key.words || m_result.key.series != key.series) m_result = {};
  m_pending = true;
  m_worker.requestAttention(key, QStringLiteral("arcs"));
  Q_EMIT changed();
}

void AttentionFeed::onReady(const AttentionResult& result) {
  if (!m_wanted.isValid()) return;
  if (result.key == m_wanted) {
    m_result = result;
    m_pending = false;
    m_message.clear();
    Q_EMIT changed();
  } else if (m_pending && result.key.series == m_wanted.series &&
             result.key.words == m_wanted.words && result.key.pieces == m_wanted.pieces) {
    // A step passed over while scrubbing: show it (still pending) as feedback.
    m_result = result;
    Q_EMIT changed();
  }
}

void AttentionFeed::onFailed(qint64, const AttentionKey& key, const QString& message) {
  if (key != m_wanted || !m_wanted.isValid()) return;
  m_pending = false;
  m_message = message;
  Q_EMIT changed();
}

} // namespace chrysalis::ui
