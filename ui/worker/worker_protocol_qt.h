#pragma once
// The GUI side of the worker's JSON-lines protocol (the worker side and the
// grammar are in core/format/worker_protocol.h): request lines out, reply
// lines in. Pure functions, so hostile or truncated replies are testable
// without a process.
#include "worker/ablation_result.h"
#include "worker/attention_result.h"

#include <QByteArray>
#include <QString>

namespace chrysalis::ui {

/// One line (with its '\n') asking for a ping, or for the attention of `key`
/// (with "pieces":true when key.pieces, else exactly the older request).
QByteArray pingRequestLine(qint64 id);
QByteArray attentionRequestLine(qint64 id, const AttentionKey& key);
QByteArray shutdownRequestLine(qint64 id);
QByteArray ablationRequestLine(qint64 id, const AblationKey& key);

struct WorkerReply {
  qint64 id = -1; ///< -1 when the line is not a reply at all
  bool ok = false;
  QString error; ///< the worker's message, or why the line could not be read
  bool pong = false;
  AttentionResult attention; ///< valid for an attention reply
  AblationResult ablation;   ///< valid for an ablate reply
};

/// Reads one reply line. Never throws: a malformed line gives ok == false and
/// an error; an attention reply whose sizes do not add up is an error too, as
/// is one without "piece_attention" when `key` asked for pieces.
/// @param key the request the reply answers (copied into the result).
WorkerReply parseWorkerReply(const QByteArray& line, const AttentionKey& key = {});
/// Reads an ablate reply: ok with a valid `ablation`, or an error (a reply
/// without scalars or with more heads than any model here has is refused).
WorkerReply parseAblationReply(const QByteArray& line, const AblationKey& key);

} // namespace chrysalis::ui
