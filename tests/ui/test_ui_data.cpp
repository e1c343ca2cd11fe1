// The data layer: a synthetic series loads with the right steps and values,
// onsets land near the synthetic jumps, loading is asynchronous and latest-
// wins, arrays load lazily into an LRU cache, and a growing run refreshes.
#include "data/array_cache.h"
#include "data/job_queue.h"
#include "data/lru_cache.h"
#include "data/run_items.h"
#include "data/run_loader.h"
#include "data/run_onsets.h"
#include "data/run_reader.h"
#include "data/series_watcher.h"
#include "runs/run_colours.h"
#include "runs/runs_model.h"
#include "runs/session.h"
#include "synthetic_series.h"
#include "ui_test_main.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

using namespace chrysalis;
using namespace chrysalis::ui;

class TestUiData : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;
  QString m_series;
  test::SyntheticOptions m_options;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_series = m_tmp.filePath(QStringLiteral("run"));
    m_options.layers = 6;
    m_options.heads = 4;
    test::writeSyntheticSeries(m_series, m_options);
  }

  void readsCheckpointsAndScalars() {
    const RunData run = readRun(m_series);
    QCOMPARE(run.label, m_options.label);
    QCOMPARE(run.layers, 6);
    QCOMPARE(run.heads, 4);
    const auto grid = test::syntheticSteps(m_options);
    QCOMPARE(run.checkpoints.size(), qsizetype(grid.size()));
    QCOMPARE(run.checkpoints.first().step, 0);
    QCOMPARE(run.checkpoints[16].step, 2000); // the grid turns uneven after 1500
    QVERIFY(!run.checkpoints.first().hasWeights);
    QCOMPARE(run.checkpoints[3].tokensSeen, 300ll * 256 * 512);
    QCOMPARE(run.kinds(),
             (QStringList{QStringLiteral("loss"), QStringLiteral("uas"), QStringLiteral("blimp"),
                          QStringLiteral("twonn"), QStringLiteral("attn")}));
    QVERIFY(run.problems.isEmpty());

    const Timeline uas = run.timeline(QStringLiteral("uas"), QStringLiteral("uas"));
    QCOMPARE(uas.steps.size(), qsizetype(grid.size()));
    QVERIFY(std::abs(uas.valueAt(4000) - test::syntheticUas(m_options, 4000)) < 0.01);
    QVERIFY(std::abs(run.timeline(QStringLiteral("loss"), QStringLiteral("loss")).valueAt(0) -
                     test::syntheticLoss(m_options, 0)) < 0.05);
    QCOMPARE(
        run.timeline(QStringLiteral("uas"), QStringLiteral("uas_offset_baseline")).valueAt(500),
        0.318);
    QVERIFY(run.timeline(QStringLiteral("twonn"), QStringLiteral("twonn_id")).values.size() > 10);
    QVERIFY(std::isnan(uas.valueAt(1234)));
    QCOMPARE(run.kindsAt(2000).size(), 5);
  }

  void onsetsNearTheSyntheticJumps() {
    const RunData run = readRun(m_series);
    const RunOnsets o = computeOnsets(run, {});
    QVERIFY2(o.problem.isEmpty(), qPrintable(o.problem));
    QVERIFY(o.structure && o.capabilities && o.plateau);
    // The sharpest upward turn of a sigmoid lies about 1.3 widths before its centre.
    QVERIFY2(std::abs(o.structure->step - m_options.uasCentre) <= 300,
             qPrintable(QString::number(o.structure->step)));
    QVERIFY2(std::abs(o.capabilities->step - m_options.blimpCentre) <= 1000,
             qPrintable(QString::number(o.capabilities->step)));
    QVERIFY(o.capabilities->step > o.structure->step);
    QVERIFY(o.plateau->step > o.structure->step);
    QVERIFY(o.description.contains(QStringLiteral("logistic turn, significance-tested")));

    // Answers are cached by the curves they come from, never by the run:
    // the same run with its UAS jump moved later gets a later onset.
    RunData later = run;
    ProbeSeries& uas = later.configs[later.kindHash.value(QStringLiteral("uas"))];
    QVector<double>& values = uas.scalars[QStringLiteral("uas")];
    const QVector<double> original = values;
    for (int i = 0; i < values.size(); ++i)
      values[i] = original[std::max(0, i - 3)]; // three checkpoints later
    const RunOnsets moved = computeOnsets(later, {});
    QVERIFY(moved.structure);
    QVERIFY2(
        moved.structure->step > o.structure->step,
        qPrintable(QStringLiteral("%1 vs %2").arg(moved.structure->step).arg(o.structure->step)));
    QCOMPARE(computeOnsets(run, {}).structure->step, o.structure->step);

    OnsetSettings fit;
    fit.detector = OnsetDetector::ThreeSegmentFit;
    const RunOnsets f = computeOnsets(run, fit);
    QVERIFY(f.structure);
    QVERIFY(std::abs(f.structure->step - m_options.uasCentre) <= 400);
  }

  void unreadableFolderThrowsWithTheName() {
    try {
      readRun(m_tmp.filePath(QStringLiteral("nope")));
      QFAIL("no exception");
    } catch (const std::exception& e) {
      QVERIFY(QString::fromStdString(e.what()).contains(QStringLiteral("nope")));
    }
  }

  void readsArraysOnDemand() {
    const RunData run = readRun(m_series);
    const StepArrays a = readStepArrays({run.dir, run.kindHash[QStringLiteral("uas")], 2000});
    QCOMPARE(a.arrays[QStringLiteral("uas/accuracy")].shape, (QVector<qint64>{6, 4, 2, 10}));
    QCOMPARE(a.arrays[QStringLiteral("uas/head_best")].shape, (QVector<qint64>{6, 4}));
    QCOMPARE(a.strings[QStringLiteral("uas/relations")], test::syntheticRelations());
  }

  void lruEvictsTheLeastRecent() {
    LruCache<int, QString> c(2);
    c.put(1, QStringLiteral("a"));
    c.put(2, QStringLiteral("b"));
    QVERIFY(c.get(1)); // 1 is now the most recent
    c.put(3, QStringLiteral("c"));
    QVERIFY(c.contains(1));
    QVERIFY(!c.contains(2));
    QCOMPARE(*c.get(3), QStringLiteral("c"));
    QCOMPARE(c.size(), 2);
  }

  void loaderDeliversOnTheGuiThread() {
    JobQueue queue;
    RunLoader loader(queue);
    QSignalSpy loaded(&loader, &RunLoader::loaded);
    QSignalSpy busy(&loader, &RunLoader::busyChanged);
    loader.load(m_series);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 10000);
    QCOMPARE(loaded[0][1].value<RunData>().checkpoints.size(),
             qsizetype(test::syntheticSteps(m_options).size()));
    QCOMPARE(busy.size(), 2);
    QVERIFY(!busy.last()[0].toBool());
  }

  void latestRequestWins() {
    JobQueue queue;
    QList<int> delivered;
    QObject ctx;
    for (int i = 0; i < 5; ++i)
      queue.post(
          QStringLiteral("t"), &ctx, [i](const std::function<bool()>&) { return i; },
          [&](int v) { delivered << v; }, [](const QString&) {});
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 5000);
    QTest::qWait(50);
    QCOMPARE(delivered, QList<int>{4});
  }

  // Long CPU work (bootstrap resampling) runs on the compute lane and does not
  // hold up reads on the I/O lane; superseding and cancelling work there too.
  void computeLaneDoesNotBlockReads() {
    JobQueue queue;
    QObject ctx;
    std::atomic<bool> release{false};
    bool slowDone = false, readDone = false, slowSawCancel = false;
    queue.post(
        QStringLiteral("slow"), &ctx,
        [&](const std::function<bool()>& cancelled) {
          while (!release.load() && !cancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          return 1;
        },
        [&](int) { slowDone = true; }, [](const QString&) {}, JobQueue::Lane::Compute);
    queue.post(
        QStringLiteral("read"), &ctx, [](const std::function<bool()>&) { return 2; },
        [&](int) { readDone = true; }, [](const QString&) {});
    QTRY_VERIFY_WITH_TIMEOUT(readDone, 5000); // while the slow job still runs
    QVERIFY(!slowDone);
    release = true;
    QTRY_VERIFY_WITH_TIMEOUT(slowDone, 5000);

    release = false;
    queue.post(
        QStringLiteral("slow"), &ctx,
        [&](const std::function<bool()>& cancelled) {
          while (!release.load() && !cancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          slowSawCancel = cancelled();
          return 3;
        },
        [&](int) { QFAIL("a cancelled job delivered"); }, [](const QString&) {},
        JobQueue::Lane::Compute);
    QTest::qWait(20);
    queue.cancel(QStringLiteral("slow"));
    QTRY_VERIFY_WITH_TIMEOUT(slowSawCancel, 5000);
  }

  // A running job learns that others wait for its lane (a long background
  // read can then end early and let the reads at the cursor go first).
  void runningJobSeesOthersWaiting() {
    JobQueue queue;
    QObject ctx;
    std::atomic<int> before{-1}, after{-1};
    std::atomic<bool> posted{false};
    bool otherDone = false;
    queue.post(
        QStringLiteral("long"), &ctx,
        [&](const std::function<bool()>&) {
          before = queue.othersWaiting() ? 1 : 0;
          while (!posted.load())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          after = queue.othersWaiting() ? 1 : 0;
          return 0;
        },
        [](int) {}, [](const QString&) {});
    QTRY_VERIFY_WITH_TIMEOUT(before.load() >= 0, 5000); // it runs, nothing else queued
    queue.post(
        QStringLiteral("other"), &ctx, [](const std::function<bool()>&) { return 1; },
        [&](int) { otherDone = true; }, [](const QString&) {});
    posted = true;
    QTRY_VERIFY_WITH_TIMEOUT(otherDone, 5000);
    QCOMPARE(before.load(), 0);
    QCOMPARE(after.load(), 1);
    QVERIFY(!queue.othersWaiting(JobQueue::Lane::Compute));
  }

  // A run's results read in chunks that stop after any result when told to:
  // what was not read comes back, in order, for the next job.
  void runStepsStopWhereYieldSays() {
    const RunData run = readRun(m_series);
    const ProbeSeries* uas = run.probe(QStringLiteral("uas"));
    QVERIFY(uas && uas->steps.size() >= 5);
    QVector<RunStepKey> keys;
    for (int i = 0; i < 5; ++i)
      keys << RunStepKey{true, uas->steps[i]};
    const RunItemsChunk all = readRunSteps(run.dir, uas->hash, {}, keys);
    QCOMPARE(all.items.headBest.rows.size(), 5);
    QVERIFY(all.unread.isEmpty());
    int asked = 0;
    const RunItemsChunk part =
        readRunSteps(run.dir, uas->hash, {}, keys, {}, [&] { return ++asked == 2; });
    QCOMPARE(part.items.headBest.rows.keys(), (QList<qint64>{keys[0].step, keys[1].step}));
    QCOMPARE(part.unread.size(), 3);
    for (int i = 0; i < 3; ++i)
      QCOMPARE(part.unread[i].step, keys[i + 2].step);
    // Even when others always wait, each job reads one result.
    const RunItemsChunk one = readRunSteps(run.dir, uas->hash, {}, keys, {}, [] { return true; });
    QCOMPARE(one.items.headBest.rows.keys(), QList<qint64>{keys[0].step});
    QCOMPARE(one.unread.size(), 4);
  }

  // The background reader gives way to other reads and still reads every
  // result exactly once: its items (UAS and BLiMP per-item scores, each
  // head's best-relation accuracy) equal a plain read of the whole run.
  void runItemsReaderGivesWayAndReadsEverything() {
    QTemporaryDir tmp;
    test::SyntheticOptions o = m_options;
    o.sentences = 12;   // per-sentence UAS arrays
    o.pairsPerTask = 4; // per-pair BLiMP arrays
    const QString dir = tmp.filePath(QStringLiteral("items"));
    test::writeSyntheticSeries(dir, o);
    const RunData run = readRun(dir);
    JobQueue queue;
    RunItemsReader reader(queue);
    QObject ctx;
    std::atomic<bool> open{false};
    int othersDone = 0;
    // Holds the I/O thread so that the reader's first job waits behind it.
    queue.post(
        QStringLiteral("gate"), &ctx,
        [&](const std::function<bool()>&) {
          while (!open.load())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          return 0;
        },
        [](int) {}, [](const QString&) {});
    QVERIFY(!reader.want(run, true));
    for (int i = 0; i < 3; ++i) // reads at the cursor, queued behind the reader's job
      queue.post(
          QStringLiteral("cursor-%1").arg(i), &ctx, [](const std::function<bool()>&) { return 0; },
          [&](int) { ++othersDone; }, [](const QString&) {});
    QSignalSpy chunks(&reader, &RunItemsReader::read);
    open = true;
    QTRY_VERIFY_WITH_TIMEOUT(reader.items(run.dir, true), 10000);
    QCOMPARE(othersDone, 3);
    const RunItems expected = readRunItems(run, true);
    const RunItems* got = reader.items(run.dir, true);
    const qsizetype uasSteps = run.probe(QStringLiteral("uas"))->steps.size(),
                    blimpSteps = run.probe(QStringLiteral("blimp"))->steps.size();
    QCOMPARE(expected.uas.rows.size(), uasSteps);
    QCOMPARE(expected.blimp.rows.size(), blimpSteps);
    QCOMPARE(expected.headBest.rows.size(), uasSteps);
    // Equal bit for bit, NaN ("not scored") included.
    const auto same = [](const QVector<double>& a, const QVector<double>& b) {
      return a.size() == b.size() &&
             std::memcmp(a.constData(), b.constData(), sizeof(double) * size_t(a.size())) == 0;
    };
    QCOMPARE(got->uas.rows.keys(), expected.uas.rows.keys());
    for (auto it = expected.uas.rows.cbegin(); it != expected.uas.rows.cend(); ++it)
      QVERIFY2(same(got->uas.rows.value(it.key()), *it), qPrintable(QString::number(it.key())));
    QCOMPARE(got->blimp.rows.keys(), expected.blimp.rows.keys());
    for (auto it = expected.blimp.rows.cbegin(); it != expected.blimp.rows.cend(); ++it)
      QVERIFY2(same(got->blimp.rows.value(it.key()), *it), qPrintable(QString::number(it.key())));
    QVERIFY(same(got->uas.weights, expected.uas.weights));
    QVERIFY(same(got->blimp.weights, expected.blimp.weights));
    QCOMPARE(got->headBest.rows.keys(), expected.headBest.rows.keys());
    for (auto it = expected.headBest.rows.cbegin(); it != expected.headBest.rows.cend(); ++it)
      QVERIFY(same(got->headBest.rows.value(it.key()).values, it->values));
    // The first job gave way after one result, the others read eight each:
    // 1 + 8 jobs for 29 + 29 results, where 8 a job without giving way is 8.
    const qsizetype results = uasSteps + blimpSteps;
    QCOMPARE(chunks.size(), 1 + (results - 1 + 7) / 8);
  }

  void failuresComeBackAsMessages() {
    JobQueue queue;
    QObject ctx;
    QString message;
    queue.post(
        QStringLiteral("t"), &ctx,
        [](const std::function<bool()>&) -> int { throw std::runtime_error("boom"); }, [](int) {},
        [&](const QString& m) { message = m; });
    QTRY_COMPARE_WITH_TIMEOUT(message, QStringLiteral("boom"), 5000);
  }

  void arrayCacheLoadsLazily() {
    JobQueue queue;
    ArrayCache cache(queue, 4);
    const RunData run = readRun(m_series);
    const ArrayKey key{run.dir, run.kindHash[QStringLiteral("attn")], 1500};
    QVERIFY(!cache.get(key));
    QSignalSpy ready(&cache, &ArrayCache::ready);
    cache.request(key, QStringLiteral("test"));
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 5000);
    auto arrays = cache.get(key);
    QVERIFY(arrays);
    QCOMPARE(arrays->arrays[QStringLiteral("attn/entropy")].values.size(), 24);
    cache.request(key, QStringLiteral("test")); // cached: nothing to do
    QTest::qWait(50);
    QCOMPARE(ready.size(), 1);
  }

  // Reads are per key: a key wanted under two tags is read once, a read a
  // newer request of its tag overtakes before it starts is skipped, and one
  // still wanted under another tag (the cursor caught up with a read-ahead)
  // is read and delivered.
  void arrayCacheReadsEachWantedKeyOnce() {
    JobQueue queue;
    ArrayCache cache(queue, 16);
    const RunData run = readRun(m_series);
    const ProbeSeries* attn = run.probe(QStringLiteral("attn"));
    QVERIFY(attn && attn->steps.size() >= 4);
    auto key = [&](int i) { return ArrayKey{run.dir, attn->hash, attn->steps[i]}; };
    // Hold the I/O lane so that every request below is queued first.
    std::atomic<bool> release{false};
    auto holdTheLane = [&] {
      release = false;
      queue.post(
          QStringLiteral("block"), this,
          [&](const std::function<bool()>&) {
            while (!release)
              QThread::msleep(5);
            return 0;
          },
          [](int) {}, [](const QString&) {});
    };
    holdTheLane();
    QSignalSpy ready(&cache, &ArrayCache::ready);
    cache.request(key(0), QStringLiteral("ahead"));
    cache.request(key(0), QStringLiteral("shown")); // the cursor reached it: one read
    cache.request(key(1), QStringLiteral("ahead")); // ahead moves on; "shown" still wants 0
    cache.request(key(2), QStringLiteral("other"));
    cache.request(key(3), QStringLiteral("other")); // overtakes 2 before it starts
    release = true;
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 3, 5000);
    QTest::qWait(100); // nothing more comes
    QSet<qint64> delivered;
    for (const auto& args : ready)
      delivered.insert(args.at(0).value<ArrayKey>().step);
    QCOMPARE(ready.size(), 3);
    QCOMPARE(delivered, (QSet<qint64>{key(0).step, key(1).step, key(3).step}));
    QVERIFY(cache.get(key(0)) && cache.get(key(1)) && cache.get(key(3)));
    QVERIFY(!cache.get(key(2)));
    // Wanted again later, the skipped key is read then.
    cache.request(key(2), QStringLiteral("other"));
    QTRY_VERIFY_WITH_TIMEOUT(cache.get(key(2)) != nullptr, 5000);

    // Asked under two tags while queued: read, and announced, once.
    ArrayCache fresh(queue, 16);
    QSignalSpy freshReady(&fresh, &ArrayCache::ready);
    holdTheLane();
    fresh.request(key(0), QStringLiteral("ahead"));
    fresh.request(key(0), QStringLiteral("shown"));
    release = true;
    QTRY_COMPARE_WITH_TIMEOUT(freshReady.size(), 1, 5000);
    QTest::qWait(100);
    QCOMPARE(freshReady.size(), 1);
  }

  void sessionModelAndGrowingRun() {
    const QString dir = m_tmp.filePath(QStringLiteral("growing"));
    test::SyntheticOptions o = m_options;
    o.label = QStringLiteral("growing");
    test::SyntheticSeries series(dir, o);
    series.writeUpTo(1000);

    Session session;
    RunsModel model(session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy added(&session, &Session::runAdded);
    session.open(dir);
    QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, 10000);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, RunsModel::Label).data().toString(), QStringLiteral("growing"));
    QCOMPARE(model.index(0, RunsModel::Checkpoints).data().toString(),
             QStringLiteral("11, no weights"));
    QCOMPARE(model.index(0, RunsModel::Label).data(Qt::DecorationRole).value<QColor>(),
             runPalette()[0]);

    // Training writes two more steps: the watcher picks them up.
    series.writeStep(1100);
    series.writeStep(1200);
    QTRY_COMPARE_WITH_TIMEOUT(session.at(0).data.checkpoints.size(), 13, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(session.at(0).data.probe(QStringLiteral("uas"))->steps.size(), 13,
                              10000);
    QCOMPARE(session.at(0).data.timeline(QStringLiteral("uas"), QStringLiteral("uas")).steps.last(),
             1200);

    // Opening the same folder again does not add a second row.
    session.open(dir);
    QTest::qWait(200);
    QCOMPARE(model.rowCount(), 1);

    QVERIFY(model.setData(model.index(0, 0), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!session.at(0).visible);
    QCOMPARE(session.visibleRuns().size(), 0);

    const int second = session.openNow(m_series);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(runColour(*session.find(second)), runPalette()[1]);
    QCOMPARE(session.steps().first(), 0);
    session.close(session.at(0).id);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(RunsModel::RunIdRole).toInt(), second);
  }

  // A cluster array writes the probe store from other machines over NFS, where
  // no file-system notification arrives: polling alone must see new results.
  void pollingSeesResultsWithoutNotifications() {
    QTemporaryDir tmp;
    test::SyntheticSeries series(tmp.filePath(QStringLiteral("run")), m_options);
    series.writeUpTo(500);
    SeriesWatcher watcher(series.dir(), 20, nullptr, 50, /*notify=*/false);
    QVERIFY(watcher.watched().isEmpty()); // no notifications asked for
    QSignalSpy changed(&watcher, &SeriesWatcher::changed);
    QTest::qWait(200);
    QCOMPARE(changed.size(), 0); // nothing written, nothing reported
    series.writeStep(600);       // a checkpoint and its probe results
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 1, 5000);
    int after = static_cast<int>(changed.size());
    QTest::qWait(200);
    QCOMPARE(changed.size(), after); // quiet again: no repeated reloads

    // A probe result alone lands in an existing probes/<hash>/ folder.
    QDir probes(series.dir() + QStringLiteral("/probes"));
    const QString hashDir =
        probes.filePath(probes.entryList(QDir::Dirs | QDir::NoDotAndDotDot).value(0));
    const QString any = QDir(hashDir).entryInfoList(QDir::Files).value(0).absoluteFilePath();
    QVERIFY(!any.isEmpty());
    QVERIFY(QFile::copy(any, hashDir + QStringLiteral("/landed.h5")));
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() > after, 5000);
  }

  void openFailureIsReported() {
    Session session;
    QSignalSpy failed(&session, &Session::openFailed);
    session.open(m_tmp.filePath(QStringLiteral("missing")));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
    QVERIFY(failed[0][1].toString().contains(QStringLiteral("missing")));
    QCOMPARE(session.count(), 0);
  }
};

CHRYSALIS_QTEST_MAIN(TestUiData)
#include "test_ui_data.moc"
