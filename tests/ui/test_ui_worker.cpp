// The engine worker client: the reply parser on hand-made (and hostile)
// lines, then the real `chrysalis-cli serve` on the tiny fixture series:
// ping, the attention reply's shape (with and without the piece-level maps),
// the cache, errors, a killed worker that restarts on the next request, and
// coalescing by tag (latest wins).
#include "engine_fixture_ui.h"
#include "format/worker_protocol.h"
#include "ui_test_main.h"
#include "worker/json_number.h"
#include "worker/worker_client.h"
#include "worker/worker_locator.h"
#include "worker/worker_protocol_qt.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <cmath>
#include <memory>

#include <signal.h>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {
// Every row of every head's n x n map sums to 1: attention is a distribution.
template <typename MapOf> void checkRowsSumToOne(const MapOf& mapOf, int n) {
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 4; ++h)
      for (int i = 0; i < n; ++i) {
        double sum = 0;
        for (int j = 0; j < n; ++j)
          sum += mapOf(l, h)[i * n + j];
        QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString::number(sum)));
      }
}
} // namespace

class TestUiWorker : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;
  QString m_cli;
  QString m_series;

  AttentionKey key(qint64 step, const QString& text = QStringLiteral("tok5 tok6 tok7")) const {
    return {m_series, step, text.split(QLatin1Char(' '))};
  }
  void requireEngine() {
    if (m_cli.isEmpty()) QSKIP("chrysalis-cli is not built (CHRYSALIS_BUILD_ENGINE=OFF)");
  }
  std::unique_ptr<WorkerClient> client() {
    auto c = std::make_unique<WorkerClient>();
    c->setProgram(m_cli);
    return c;
  }

private Q_SLOTS:
  void initTestCase() {
    m_cli = test::engineCli(CHRYSALIS_CLI);
    m_series = test::importTinySeries(QStringLiteral(CHRYSALIS_FIXTURES),
                                      m_tmp.filePath(QStringLiteral("tiny")));
  }

  void requestLinesAreJsonWithIds() {
    const QByteArray line = attentionRequestLine(7, key(100));
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    QCOMPARE(o.value(QStringLiteral("id")).toInteger(), 7);
    QCOMPARE(o.value(QStringLiteral("op")).toString(), QStringLiteral("attention"));
    QCOMPARE(o.value(QStringLiteral("step")).toInteger(), 100);
    QCOMPARE(o.value(QStringLiteral("words")).toArray().size(), 3);
    QCOMPARE(
        QJsonDocument::fromJson(pingRequestLine(3)).object().value(QStringLiteral("op")).toString(),
        QStringLiteral("ping"));
    QVERIFY(!o.contains(QStringLiteral("pieces"))); // word-level requests are as they always were
  }

  // The GUI writes requests with Qt, the worker reads them with core: both
  // must agree, the piece flag included.
  void requestLinesRoundTripThroughTheWorkersParser() {
    for (bool pieces : {false, true}) {
      AttentionKey k = key(200, QStringLiteral("tok5 tok6 h\u00E9llo \"quoted\""));
      k.pieces = pieces;
      const format::WorkerRequest r =
          format::parseWorkerRequest(attentionRequestLine(12, k).trimmed().toStdString());
      QCOMPARE(r.id, 12);
      QCOMPARE(r.op, format::WorkerRequest::Op::Attention);
      QCOMPARE(QString::fromStdString(r.series), m_series);
      QCOMPARE(r.step, 200);
      QStringList words;
      for (const auto& w : r.words)
        words << QString::fromStdString(w);
      QCOMPARE(words, k.words);
      QCOMPARE(r.pieces, pieces);
      // And back: core's serialization is the line the GUI sends.
      QCOMPARE(
          QJsonDocument::fromJson(QByteArray::fromStdString(format::workerRequestJson(r).dump()))
              .object(),
          QJsonDocument::fromJson(attentionRequestLine(12, k)).object());
    }
  }

  void parsesReplies_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("error");
    QTest::addRow("pong") << QByteArray(R"({"id":1,"ok":true,"pong":true})") << true << QString();
    QTest::addRow("worker error") << QByteArray(R"({"id":2,"ok":false,"error":"no checkpoint 5"})")
                                  << false << QStringLiteral("no checkpoint 5");
    QTest::addRow("not json") << QByteArray("Segmentation fault") << false
                              << QStringLiteral("unreadable reply");
    QTest::addRow("truncated") << QByteArray(R"({"id":3,"ok":tr)") << false
                               << QStringLiteral("unreadable reply");
    QTest::addRow("sizes do not add up")
        << QByteArray(
               R"({"id":4,"ok":true,"layers":1,"heads":1,"words":3,"word_attention":[0.5,0.5]})")
        << false << QStringLiteral("inconsistent sizes");
    QTest::addRow("hostile size")
        << QByteArray(
               R"({"id":5,"ok":true,"layers":100000,"heads":100000,"words":3,"word_attention":[]})")
        << false << QStringLiteral("inconsistent sizes");
  }
  void parsesReplies() {
    QFETCH(QByteArray, line);
    QFETCH(bool, ok);
    QFETCH(QString, error);
    const WorkerReply r = parseWorkerReply(line);
    QCOMPARE(r.ok, ok);
    QVERIFY2(r.error.contains(error), qPrintable(r.error));
  }

  void parsesAnAttentionReply() {
    QByteArray line =
        R"({"id":9,"ok":true,"layers":1,"heads":2,"words":3,"pieces":3,"tokens":["[CLS]","a","[SEP]"],"spans":[[1,2]],"word_attention":[)";
    for (int i = 0; i < 18; ++i)
      line += (i ? "," : "") + QByteArray::number(i / 100.0);
    line += "]}";
    const AttentionKey k{QStringLiteral("/s"), 10, {QStringLiteral("a")}};
    const WorkerReply r = parseWorkerReply(line, k);
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.attention.isValid());
    QCOMPARE(r.attention.key, k);
    QCOMPARE(r.attention.spans.value(0), qMakePair(1, 2));
    QCOMPARE(r.attention.map(0, 1)[0], 0.09f); // head 1's map starts after head 0's 9 values
    QVERIFY(!r.attention.map(1, 0));
    QVERIFY(!r.attention.hasPieces()); // not asked for

    // Asked for pieces: the reply must carry them, T x T per head over the tokens.
    AttentionKey withPieces = k;
    withPieces.pieces = true;
    const WorkerReply missing = parseWorkerReply(line, withPieces);
    QVERIFY(!missing.ok);
    QVERIFY2(missing.error.contains(QStringLiteral("no piece-level attention")),
             qPrintable(missing.error));
    QByteArray full = line.chopped(1) + R"(,"piece_attention":[)";
    for (int i = 0; i < 18; ++i)
      full += (i ? "," : "") + QByteArray::number(i / 1000.0);
    const WorkerReply p = parseWorkerReply(full + "]}", withPieces);
    QVERIFY2(p.ok, qPrintable(p.error));
    QVERIFY(p.attention.hasPieces());
    QCOMPARE(p.attention.pieceCount(), 3);
    QCOMPARE(p.attention.pieceMap(0, 1)[1], 0.010f);
    const WorkerReply shortOne = parseWorkerReply(full + ",0.5]}", withPieces);
    QVERIFY2(shortOne.error.contains(QStringLiteral("inconsistent sizes")),
             qPrintable(shortOne.error));
  }

  // The engine writes a NaN (or infinite) attention value as null: it reads
  // back as NaN, never as 0, which would look like a real weight.
  void nullValuesInAReplyAreNaNNotZero() {
    QByteArray line =
        R"({"id":9,"ok":true,"layers":1,"heads":1,"words":3,"pieces":3,"tokens":["[CLS]","a","[SEP]"],"spans":[[1,2]],"word_attention":[null)";
    for (int i = 1; i < 9; ++i)
      line += "," + QByteArray::number(i / 10.0);
    line += "]}";
    const AttentionKey k{QStringLiteral("/s"), 10, {QStringLiteral("a")}};
    const WorkerReply r = parseWorkerReply(line, k);
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(std::isnan(r.attention.map(0, 0)[0]));
    QCOMPARE(r.attention.map(0, 0)[1], 0.1f);
    QVERIFY(std::isnan(jsonNumber(QJsonValue())));
    QVERIFY(std::isnan(jsonNumber(QJsonValue(QStringLiteral("1")))));
    QCOMPARE(jsonNumber(QJsonValue(0.25)), 0.25);
    QCOMPARE(numberText(std::nan(""), 3), QStringLiteral("NaN"));
    QCOMPARE(numberText(-INFINITY, 3), QStringLiteral("-inf"));
    QCOMPARE(numberText(1.0, 2), QStringLiteral("1.00"));
  }

  void missingEngineIsReportedNotFatal() {
    WorkerClient c;
    c.setProgram(m_tmp.filePath(QStringLiteral("no-such-engine")));
    QSignalSpy failed(&c, &WorkerClient::requestFailed);
    QSignalSpy stopped(&c, &WorkerClient::workerStopped);
    const qint64 id = c.ping();
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 5000);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).toLongLong(), id);
    QVERIFY(!c.isRunning());
  }

  void pingsTheRealWorker() {
    requireEngine();
    auto c = client();
    QSignalSpy pong(c.get(), &WorkerClient::pong);
    const qint64 id = c->ping();
    QTRY_COMPARE_WITH_TIMEOUT(pong.size(), 1, 20000);
    QCOMPARE(pong.first().at(0).toLongLong(), id);
    QVERIFY(c->isRunning());
    QCOMPARE(c->pendingCount(), 0);
  }

  void attentionReplyHasTheModelsShape() {
    requireEngine();
    auto c = client();
    QSignalSpy ready(c.get(), &WorkerClient::attentionReady);
    QSignalSpy failed(c.get(), &WorkerClient::requestFailed);
    QVERIFY(c->requestAttention(key(100)) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() + failed.size() > 0, 30000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(2).toString()));
    const auto r = ready.first().at(0).value<AttentionResult>();
    QCOMPARE(r.key, key(100));
    QCOMPARE(r.layers, 2);
    QCOMPARE(r.heads, 4);
    QCOMPARE(r.size, 5); // [CLS] + 3 words + [SEP]
    QCOMPARE(r.wordAttention.size(), 2 * 4 * 5 * 5);
    QCOMPARE(r.tokens.first(), QStringLiteral("[CLS]"));
    QCOMPARE(r.spans.size(), 3);
    // Rows are attention from a word (the mean over its pieces): each sums to 1.
    checkRowsSumToOne([&r](int l, int h) { return r.map(l, h); }, 5);

    // Cached now: answered without the worker (id 0), still as a signal.
    QVERIFY(c->cached(key(100)).has_value());
    QCOMPARE(c->requestAttention(key(100)), 0);
    QTRY_COMPARE(ready.size(), 2);
    QCOMPARE(ready.at(1).at(0).value<AttentionResult>().wordAttention, r.wordAttention);
  }

  // The real worker with "pieces": the model's T x T maps per head, rows
  // summing to 1, cached apart from the word-level reply.
  void pieceAttentionReplyFromTheRealWorker() {
    requireEngine();
    auto c = client();
    QSignalSpy ready(c.get(), &WorkerClient::attentionReady);
    QSignalSpy failed(c.get(), &WorkerClient::requestFailed);
    AttentionKey k = key(300, QStringLiteral("tok5 unknownword tok7"));
    k.pieces = true;
    QVERIFY(c->requestAttention(k) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() + failed.size() > 0, 30000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(2).toString()));
    const auto r = ready.first().at(0).value<AttentionResult>();
    QCOMPARE(r.key, k);
    QVERIFY(r.hasPieces());
    QCOMPARE(r.tokens,
             (QStringList{QStringLiteral("[CLS]"), QStringLiteral("tok5"), QStringLiteral("[UNK]"),
                          QStringLiteral("tok7"), QStringLiteral("[SEP]")}));
    checkRowsSumToOne([&r](int l, int h) { return r.pieceMap(l, h); }, 5);
    QVERIFY(c->cached(k).has_value());
    AttentionKey words = k;
    words.pieces = false;
    QVERIFY(!c->cached(words).has_value()); // the word-level request is another entry
  }

  void workerErrorsFailTheRequestOnly() {
    requireEngine();
    auto c = client();
    QSignalSpy failed(c.get(), &WorkerClient::requestFailed);
    QSignalSpy pong(c.get(), &WorkerClient::pong);
    const qint64 id = c->requestAttention(key(12345)); // no such checkpoint
    c->ping();
    QTRY_COMPARE_WITH_TIMEOUT(pong.size(), 1, 20000);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).toLongLong(), id);
    QVERIFY(!failed.first().at(2).toString().isEmpty());
    QVERIFY(c->isRunning()); // one bad request does not take the worker down
  }

  void killedWorkerRestartsOnTheNextRequest() {
    requireEngine();
    auto c = client();
    QSignalSpy pong(c.get(), &WorkerClient::pong);
    QSignalSpy stopped(c.get(), &WorkerClient::workerStopped);
    QSignalSpy started(c.get(), &WorkerClient::workerStarted);
    c->ping();
    QTRY_COMPARE_WITH_TIMEOUT(pong.size(), 1, 20000);
    QVERIFY(c->process());
    const qint64 firstPid = c->process()->processId();
    c->process()->kill();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    QVERIFY2(
        stopped.first().at(0).toString().contains(QStringLiteral("restarts on the next request")),
        qPrintable(stopped.first().at(0).toString()));
    QVERIFY(!c->isRunning());

    QSignalSpy ready(c.get(), &WorkerClient::attentionReady);
    c->requestAttention(key(200));
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 30000);
    QCOMPARE(started.size(), 2);
    QVERIFY(c->process()->processId() != firstPid);
  }

  void coalescingDropsSupersededRequests() {
    requireEngine();
    auto c = client();
    QSignalSpy ready(c.get(), &WorkerClient::attentionReady);
    QSignalSpy dropped(c.get(), &WorkerClient::requestDropped);
    QSignalSpy failed(c.get(), &WorkerClient::requestFailed);
    QSignalSpy pong(c.get(), &WorkerClient::pong);
    c->ping(); // a running worker, so that the first request goes out at once
    QTRY_COMPARE_WITH_TIMEOUT(pong.size(), 1, 20000);
    // Scrubbing: four steps asked in a row under one tag. The first goes out
    // at once; the two in between are replaced while they wait; the last wins.
    const qint64 first = c->requestAttention(key(100), QStringLiteral("arcs"));
    const qint64 second = c->requestAttention(key(200), QStringLiteral("arcs"));
    const qint64 third = c->requestAttention(key(300), QStringLiteral("arcs"));
    c->requestAttention(key(300, QStringLiteral("tok9 tok10")), QStringLiteral("arcs"));
    // Another tag is not affected.
    c->requestAttention(key(200, QStringLiteral("tok11 tok12")), QStringLiteral("other"));
    QVERIFY(first > 0 && second > first && third > second);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() + failed.size() >= 3, 60000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(2).toString()));
    QCOMPARE(ready.size(), 3);
    QTRY_COMPARE(c->pendingCount(), 0);
    QCOMPARE(dropped.size(), 2);
    QCOMPARE(dropped.at(0).at(0).toLongLong(), second);
    QCOMPARE(dropped.at(1).at(0).toLongLong(), third);
    QList<AttentionKey> got;
    for (const auto& args : ready)
      got << args.at(0).value<AttentionResult>().key;
    QVERIFY(got.contains(key(100)));
    QVERIFY(got.contains(key(300, QStringLiteral("tok9 tok10"))));
    QVERIFY(got.contains(key(200, QStringLiteral("tok11 tok12"))));
    QVERIFY(!got.contains(key(200)));
  }

  void coalescingWhileTheWorkerStarts() {
    requireEngine();
    auto c = client();
    QSignalSpy ready(c.get(), &WorkerClient::attentionReady);
    QSignalSpy dropped(c.get(), &WorkerClient::requestDropped);
    // Nothing is sent before the worker has started: only the newest survives.
    for (qint64 step : {100, 200, 300})
      c->requestAttention(key(step), QStringLiteral("arcs"));
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 30000);
    QCOMPARE(ready.first().at(0).value<AttentionResult>().key, key(300));
    QCOMPARE(dropped.size(), 2);
    c->cancel(QStringLiteral("arcs")); // nothing waiting: a no-op
    QCOMPARE(c->pendingCount(), 0);
  }

  // Issue 19, item 11: a stopped worker left the arcs panel "loading…" forever.
  // SIGSTOP the real worker with a request about to be sent: the request
  // fails within seconds naming the cause, and the next one starts a new worker.
  void stoppedWorkerFailsTheRequestAndRestarts() {
    requireEngine();
    auto c = client();
    QSignalSpy pong(c.get(), &WorkerClient::pong);
    QSignalSpy failed(c.get(), &WorkerClient::requestFailed);
    QSignalSpy stopped(c.get(), &WorkerClient::workerStopped);
    c->ping();
    QTRY_COMPARE_WITH_TIMEOUT(pong.size(), 1, 20000);
    const qint64 pid = c->process()->processId();
    QCOMPARE(::kill(static_cast<pid_t>(pid), SIGSTOP), 0);
    const qint64 id = c->ping();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QCOMPARE(failed.first().at(0).toLongLong(), id);
    QVERIFY2(failed.first().at(2).toString().contains(QStringLiteral("was stopped")),
             qPrintable(failed.first().at(2).toString()));
    QCOMPARE(stopped.size(), 1);
    QVERIFY(!c->isRunning());
    c->ping();
    QTRY_COMPARE_WITH_TIMEOUT(pong.size(), 2, 20000);
    QVERIFY(c->process()->processId() != pid);
  }

  // A worker that runs but never answers (here: a program that ignores its
  // input) fails the request after the reply timeout.
  void silentWorkerTimesOut() {
    const QString path = m_tmp.filePath(QStringLiteral("silent-engine"));
    QFile script(path);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\nexec sleep 600\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    WorkerClient c;
    c.setProgram(path);
    c.setReplyTimeout(1500);
    QSignalSpy failed(&c, &WorkerClient::requestFailed);
    const qint64 id = c.ping();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QCOMPARE(failed.first().at(0).toLongLong(), id);
    QVERIFY2(
        failed.first().at(2).toString().contains(QStringLiteral("did not answer within 1.5 s")),
        qPrintable(failed.first().at(2).toString()));
    QVERIFY(!c.isRunning());
  }

  void locatorHonoursTheEnvironment() {
    requireEngine();
    qputenv("CHRYSALIS_CLI", m_cli.toUtf8());
    QCOMPARE(locateEngine(), QFileInfo(m_cli).absoluteFilePath());
    qunsetenv("CHRYSALIS_CLI");
  }
};

CHRYSALIS_QTEST_MAIN(TestUiWorker)
#include "test_ui_worker.moc"
