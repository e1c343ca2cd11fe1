#include "worker/worker_protocol_qt.h"

#include "worker/json_number.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace chrysalis::ui {
namespace {

QByteArray line(const QJsonObject& o) {
  return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

// Bounds a hostile reply could otherwise use to make us allocate without limit
// (the worker itself caps sentences at 4,096 words; the models here have < 100 heads).
constexpr qint64 kMaxMaps = 4096;
constexpr qint64 kMaxWords = 4098;
constexpr qint64 kMaxPieces = 65536;

QVector<float> floats(const QJsonArray& values) {
  QVector<float> out(values.size());
  float* p = out.data();
  for (const QJsonValue& v : values)
    *p++ = static_cast<float>(jsonNumber(v)); // null (a NaN in the engine) stays NaN
  return out;
}

} // namespace

QByteArray pingRequestLine(qint64 id) {
  return line({{QStringLiteral("id"), id}, {QStringLiteral("op"), QStringLiteral("ping")}});
}

QByteArray shutdownRequestLine(qint64 id) {
  return line({{QStringLiteral("id"), id}, {QStringLiteral("op"), QStringLiteral("shutdown")}});
}

QByteArray attentionRequestLine(qint64 id, const AttentionKey& key) {
  QJsonObject o{{QStringLiteral("id"), id},
                {QStringLiteral("op"), QStringLiteral("attention")},
                {QStringLiteral("series"), key.series},
                {QStringLiteral("step"), key.step},
                {QStringLiteral("words"), QJsonArray::fromStringList(key.words)}};
  if (key.pieces) o.insert(QStringLiteral("pieces"), true); // word-level requests stay as they were
  return line(o);
}

QByteArray ablationRequestLine(qint64 id, const AblationKey& key) {
  return line({{QStringLiteral("id"), id},
               {QStringLiteral("op"), QStringLiteral("ablate")},
               {QStringLiteral("series"), key.series},
               {QStringLiteral("step"), key.step},
               {QStringLiteral("probe_set"), key.probeSet},
               {QStringLiteral("heads"), key.heads},
               {QStringLiteral("mode"), key.mode},
               {QStringLiteral("min_relation_count"), key.minRelationCount}});
}

namespace {

// The reply's object with id and ok read; false (and r.error set) when the
// line is no JSON object or the worker answered with an error.
bool readReplyHead(const QByteArray& text, WorkerReply& r, QJsonObject& o) {
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
  if (!doc.isObject()) {
    r.error = QStringLiteral("unreadable reply from the worker: ") + parseError.errorString();
    return false;
  }
  o = doc.object();
  r.id = o.value(QStringLiteral("id")).toInteger(-1);
  r.ok = o.value(QStringLiteral("ok")).toBool(false);
  if (!r.ok)
    r.error =
        o.value(QStringLiteral("error")).toString(QStringLiteral("the worker gave no reason"));
  return r.ok;
}

// [[layer, head], ...] with at most kMaxMaps entries, or false.
bool readHeads(const QJsonValue& v, QVector<QPoint>& out) {
  const QJsonArray a = v.toArray();
  if (!v.isArray() || a.size() > kMaxMaps) return false;
  for (const QJsonValue& p : a) {
    const QJsonArray pair = p.toArray();
    if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isDouble()) return false;
    const int layer = pair.at(0).toInt(-1), head = pair.at(1).toInt(-1);
    if (layer < 0 || head < 0) return false;
    out << QPoint(layer, head);
  }
  return true;
}

} // namespace

WorkerReply parseAblationReply(const QByteArray& text, const AblationKey& key) {
  WorkerReply r;
  QJsonObject o;
  if (!readReplyHead(text, r, o)) return r;
  AblationResult& a = r.ablation;
  a.key = key;
  a.configHash = o.value(QStringLiteral("config_hash")).toString();
  a.cached = o.value(QStringLiteral("cached")).toBool(false);
  const QJsonObject scalars = o.value(QStringLiteral("scalars")).toObject();
  if (scalars.size() > 1000 || !readHeads(o.value(QStringLiteral("heads")), a.heads) ||
      !readHeads(o.value(QStringLiteral("control_heads")), a.controlHeads)) {
    r.ok = false;
    r.error = QStringLiteral("the worker's ablation reply is malformed");
    r.ablation = {};
    return r;
  }
  for (auto it = scalars.begin(); it != scalars.end(); ++it)
    a.scalars.insert(it.key(), jsonNumber(it.value())); // null (NaN in the engine) stays NaN
  if (!a.isValid()) {
    r.ok = false;
    r.error = QStringLiteral("the worker's ablation reply has no result");
    r.ablation = {};
  }
  return r;
}

WorkerReply parseWorkerReply(const QByteArray& text, const AttentionKey& key) {
  WorkerReply r;
  QJsonObject o;
  if (!readReplyHead(text, r, o)) return r;
  r.pong = o.value(QStringLiteral("pong")).toBool(false);
  if (!o.contains(QStringLiteral("word_attention"))) return r;

  AttentionResult& a = r.attention;
  a.key = key;
  a.layers = o.value(QStringLiteral("layers")).toInt();
  a.heads = o.value(QStringLiteral("heads")).toInt();
  a.size = o.value(QStringLiteral("words")).toInt();
  const QJsonArray values = o.value(QStringLiteral("word_attention")).toArray();
  const qint64 maps = qint64(a.layers) * a.heads;
  if (a.layers <= 0 || a.heads <= 0 || maps > kMaxMaps || a.size < 3 || a.size > kMaxWords ||
      values.size() != maps * a.size * a.size ||
      (!key.words.isEmpty() && a.size != key.words.size() + 2)) {
    r.ok = false;
    r.error = QStringLiteral("the worker's attention reply has inconsistent sizes");
    r.attention = {};
    return r;
  }
  a.wordAttention = floats(values);
  for (const QJsonValue& t : o.value(QStringLiteral("tokens")).toArray())
    a.tokens << t.toString();
  for (const QJsonValue& s : o.value(QStringLiteral("spans")).toArray()) {
    const QJsonArray pair = s.toArray();
    a.spans << qMakePair(pair.at(0).toInt(), pair.at(1).toInt());
  }
  if (!key.pieces) return r;
  // Asked for pieces: T x T per head over the tokens, or the reply is no use.
  const QJsonArray pieces = o.value(QStringLiteral("piece_attention")).toArray();
  const qint64 t = a.tokens.size();
  if (t < 3 || t > kMaxPieces || o.value(QStringLiteral("pieces")).toInteger() != t ||
      pieces.size() != maps * t * t) {
    r.ok = false;
    r.error = pieces.isEmpty()
                  ? QStringLiteral("the worker sent no piece-level attention (an older engine?)")
                  : QStringLiteral("the worker's piece attention has inconsistent sizes");
    r.attention = {};
    return r;
  }
  a.pieceAttention = floats(pieces);
  return r;
}

QString headListText(const QVector<QPoint>& heads) {
  QStringList parts;
  for (const QPoint& h : heads)
    parts << QStringLiteral("%1-%2").arg(h.x() + 1).arg(h.y() + 1);
  return parts.join(QStringLiteral(", "));
}

QString headChoiceText(const QVector<QPoint>& heads) {
  return headListText(heads).remove(QLatin1Char(' '));
}

} // namespace chrysalis::ui
