#pragma once
// Keeps the attention of the cursor's sentence at the cursor's checkpoint on
// hand for the arc view and the attention matrix. It asks the worker (tag
// "arcs": while scrubbing, only the newest step is computed) for the newest
// checkpoint with weights at or before the cursor step; one reply holds every
// head, so selecting another head needs no request. While a reply is pending
// the previous result stays current (views dim it). The piece-level maps are
// asked for only while a view shows them (setPieces): they make the reply T²
// instead of W² per head.
#include "cursor/cursor_context.h"
#include "worker/attention_result.h"

#include <QObject>
#include <QTimer>

namespace chrysalis::ui {

class Session;
class SentenceSource;
class WorkerClient;
struct ProbeSentence;
struct RunData;

class AttentionFeed : public QObject, public ICursorObserver {
  Q_OBJECT
public:
  AttentionFeed(Session& session, CursorContext& cursor, SentenceSource& sentences,
                WorkerClient& worker, QObject* parent = nullptr);
  ~AttentionFeed() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  /// The result shown: the wanted one, or while it is pending the previous one.
  const AttentionResult& result() const { return m_result; }
  /// The request the cursor wants (invalid when it cannot want any).
  const AttentionKey& wanted() const { return m_wanted; }
  bool isPending() const { return m_pending; }
  /// Why nothing is shown, or the worker's error; empty when fine.
  QString message() const { return m_message; }
  /// The cursor's sentence, or nullptr.
  const ProbeSentence* sentence() const;

  /// Newest checkpoint with weights at or before `step`, or -1.
  static qint64 weightsStepAtOrBefore(const RunData& run, qint64 step);

  /// Recomputes the wanted key now (normally on a short timer).
  void refreshNow();

  /// Whether requests also ask for the piece-level maps (the key says so, so
  /// the two kinds of result are cached apart).
  void setPieces(bool pieces);
  bool pieces() const { return m_pieces; }

Q_SIGNALS:
  /// The result, the pending state or the message changed (also for a new head).
  void changed();

private:
  void scheduleRefresh();
  /// The request the cursor wants now, or an invalid key with the reason.
  AttentionKey wantedKey(QString* whyNot) const;
  void onReady(const AttentionResult& result);
  void onFailed(qint64 id, const AttentionKey& key, const QString& message);

  Session& m_session;
  CursorContext& m_cursor;
  SentenceSource& m_sentences;
  WorkerClient& m_worker;
  QTimer m_throttle;
  AttentionKey m_wanted;
  AttentionResult m_result;
  bool m_pending = false;
  bool m_pieces = false;
  QString m_message;
};

} // namespace chrysalis::ui
