// Probing on open, with the real engine on the tiny fixture series (weights,
// no probe results): opening starts `chrysalis-cli probe` whose first
// computed checkpoint is the cursor's, and the results then reach the run;
// with the setting off nothing starts; a complete run (the demo) starts no
// process; without an engine one status-bar message and no dialog; a second
// run opened while a job runs is probed after it, its cursor step first.
#include "data/run_data.h"
#include "engine_fixture_ui.h"
#include "main_window.h"
#include "runs/session.h"
#include "training/auto_probe.h"
#include "training/engine_job.h"
#include "training/probe_job.h"
#include "training/train_options.h"
#include "ui_test_main.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

// One probe job as the engine reported it: its arguments and the step of
// each checkpoint it computed, in order.
struct JobRecord {
  QStringList arguments;
  QVector<qint64> computed;
  int finishedBefore = 0; ///< jobs that had finished when this one started
};

// Watches a window's probe jobs (one EngineJob runs them all, one after another).
class JobLog : public QObject {
public:
  explicit JobLog(MainWindow& w) {
    EngineJob* job = w.probeJob()->job();
    connect(job, &EngineJob::started, this, [this, job] {
      jobs << JobRecord{job->process()->arguments(), {}, finished};
    });
    connect(job, &EngineJob::eventReceived, this, [this](const QJsonObject& e) {
      if (!jobs.isEmpty() &&
          e.value(QStringLiteral("event")).toString() == QLatin1String("step_done"))
        jobs.last().computed << e.value(QStringLiteral("step")).toInteger();
    });
    connect(job, &EngineJob::finished, this, [this] { ++finished; });
  }
  QList<JobRecord> jobs;
  int finished = 0;
};

QString argumentAfter(const QStringList& arguments, const QString& option) {
  const qsizetype i = arguments.indexOf(option);
  return i >= 0 ? arguments.value(i + 1) : QString();
}

} // namespace

class TestUiAutoProbe : public QObject {
  Q_OBJECT
private:
  QString m_cli;
  QTemporaryDir m_tmp;

  void requireEngine() {
    if (m_cli.isEmpty()) QSKIP("chrysalis-cli is not built");
  }
  // The tiny series in DIR/series with an engine-built probe set beside it
  // (DIR/probe-set.h5, where the app looks). @returns the canonical series folder.
  QString tinySeriesWithProbeSet(const QString& dir) {
    const QString series = test::importTinySeries(QStringLiteral(CHRYSALIS_FIXTURES), dir);
    const QString conllu = dir + QStringLiteral("/p.conllu");
    QFile f(conllu);
    if (!f.open(QIODevice::WriteOnly)) return {};
    for (int s = 0; s < 4; ++s) // 4 sentences of 4 words the tiny vocabulary knows
      for (int i = 1; i <= 4; ++i)
        f.write(QStringLiteral("%1\ttok%2\t_\t_\t_\t_\t%3\t%4\t_\t_\n%5")
                    .arg(i)
                    .arg(5 + (s * 11 + i * 7) % 50)
                    .arg(i == 2 ? 0 : 2)
                    .arg(i == 2 ? QStringLiteral("root") : QStringLiteral("dep"))
                    .arg(i == 4 ? QStringLiteral("\n") : QString())
                    .toUtf8());
    f.close();
    const int rc = QProcess::execute(
        m_cli, {QStringLiteral("probe-set"), QStringLiteral("build"), QStringLiteral("--conllu"),
                conllu, QStringLiteral("--vocab"), series + QStringLiteral("/vocab.txt"),
                QStringLiteral("--out"), dir + QStringLiteral("/probe-set.h5")});
    return rc == 0 ? QDir(series).canonicalPath() : QString();
  }
  static bool complete(const MainWindow& w, int index) {
    return stepsMissingResults(w.session().at(index).data, defaultProbeKinds()).isEmpty();
  }

private Q_SLOTS:
  void initTestCase() {
    m_cli = test::engineCli(CHRYSALIS_CLI);
    if (!m_cli.isEmpty()) qputenv("CHRYSALIS_CLI", m_cli.toUtf8());
  }

  void missingStepsComeFromTheDataLayer() {
    RunData run;
    for (auto [step, weights] : {std::pair{0, true}, {100, false}, {200, true}, {300, true}}) {
      CheckpointRow c;
      c.step = step;
      c.hasWeights = weights;
      run.checkpoints << c;
    }
    for (const QString& kind : defaultProbeKinds()) {
      ProbeSeries p;
      p.kind = kind;
      p.hash = kind + QStringLiteral("-hash");
      p.steps = {0, 100, 200};
      if (kind == QLatin1String("uas")) p.steps << 300; // 300 has uas only
      run.configs.insert(p.hash, p);
      run.kindHash.insert(kind, p.hash);
    }
    // 100 has no weights (nothing to probe); 0 and 200 are complete.
    QCOMPARE(stepsMissingResults(run, defaultProbeKinds()), QVector<qint64>{300});
    QCOMPARE(stepsMissingResults(run, {QStringLiteral("uas")}), QVector<qint64>{});
    QCOMPARE(stepsMissingResults(run, {QStringLiteral("blimp")}), (QVector<qint64>{0, 200, 300}));
    run.checkpoints.clear(); // no checkpoint with weights: nothing to probe
    QVERIFY(stepsMissingResults(run, {QStringLiteral("blimp")}).isEmpty());
  }

  void openingProbesTheCursorsCheckpointFirst() {
    requireEngine();
    QTemporaryDir tmp;
    const QString series = tinySeriesWithProbeSet(tmp.path());
    QVERIFY(!series.isEmpty());
    MainWindow w;
    QVERIFY(w.autoProbe().isEnabled()); // on by default
    JobLog log(w);
    w.openSeries(series);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    QVERIFY(!complete(w, 0));
    QCOMPARE(w.cursorContext().cursor().step, 300); // a first open: the last checkpoint
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 1, 60000);
    QCOMPARE(log.jobs.size(), 1);
    const JobRecord& job = log.jobs.first();
    QCOMPARE(job.arguments.value(1), series);
    QCOMPARE(argumentAfter(job.arguments, QStringLiteral("--first-step")), QStringLiteral("300"));
    // Coarse-to-fine alone would start at 100 (then 300, 200).
    QCOMPARE(job.computed, (QVector<qint64>{300, 100, 200}));
    // The results reach the run through the series watcher.
    QTRY_VERIFY_WITH_TIMEOUT(complete(w, 0), 20000);
    QVERIFY(w.session().at(0).data.kindsAt(300).contains(QStringLiteral("uas")));
  }

  void offStartsNothingAndIsRemembered() {
    requireEngine();
    QTemporaryDir tmp;
    const QString series = tinySeriesWithProbeSet(tmp.path());
    QVERIFY(!series.isEmpty());
    {
      MainWindow w;
      w.autoProbe().action()->setChecked(false); // as the menu does
      w.openSeries(series);
      QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
      QTest::qWait(1500);
      QVERIFY(!complete(w, 0));
      QVERIFY(!w.probeJob()->job()->process()); // no child process ever
    }
    QCOMPARE(QSettings().value(QStringLiteral("engine/auto-probe")).toBool(), false);
    MainWindow again;
    QVERIFY(!again.autoProbe().isEnabled());
    again.autoProbe().setEnabled(true);
  }

  // The policy (AutoProbe, no longer the window): a run it is told to leave
  // alone (the window's: one its Training dock writes) starts nothing.
  void aRunLeftAloneStartsNoProcess() {
    requireEngine();
    QTemporaryDir tmp;
    const QString series = tinySeriesWithProbeSet(tmp.path());
    QVERIFY(!series.isEmpty());
    MainWindow w;
    QStringList asked;
    w.autoProbe().setLeaveAlone([&](const QString& dir) {
      asked << dir;
      return true;
    });
    w.openSeries(series);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    QTest::qWait(1500);
    QCOMPARE(asked, QStringList{w.session().at(0).data.dir});
    QVERIFY(!w.probeJob()->job()->process());
    QVERIFY(w.autoProbe().queued().isEmpty());
  }

  void aCompleteRunStartsNoProcess() {
    requireEngine();
    MainWindow w;
    QVERIFY(w.autoProbe().isEnabled());
    w.openSeries(QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/baseline"));
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    const RunData& demo = w.session().at(0).data;
    QVERIFY(std::any_of(demo.checkpoints.cbegin(), demo.checkpoints.cend(),
                        [](const CheckpointRow& c) { return c.hasWeights; }));
    QVERIFY(complete(w, 0)); // every checkpoint with weights has all four results
    QTest::qWait(1500);
    QVERIFY(!w.probeJob()->job()->process());
  }

  void noEngineSaysSoOnceWithoutADialog() {
    requireEngine(); // for the probe set; the app is then kept from finding it
    QTemporaryDir tmp;
    const QString a = tinySeriesWithProbeSet(tmp.filePath(QStringLiteral("a")));
    const QString b = tinySeriesWithProbeSet(tmp.filePath(QStringLiteral("b")));
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    const QByteArray path = qgetenv("PATH");
    qunsetenv("CHRYSALIS_CLI");
    qputenv("PATH", tmp.path().toUtf8());
    MainWindow w;
    QSignalSpy said(&w.autoProbe(), &AutoProbe::message);
    w.openSeries(a);
    w.openSeries(b);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 2, 10000);
    qputenv("PATH", path);
    qputenv("CHRYSALIS_CLI", m_cli.toUtf8());
    QCOMPARE(said.size(), 1); // two runs, one message
    QVERIFY2(said.first().at(0).toString().contains(QStringLiteral("Cannot find the engine")),
             qPrintable(said.first().at(0).toString()));
    QVERIFY(w.findChildren<QMessageBox*>().isEmpty());
    QVERIFY(!w.probeJob()->job()->process());
    QVERIFY(w.autoProbe().queued().isEmpty());
  }

  void aSecondRunWaitsForTheFirst() {
    requireEngine();
    QTemporaryDir tmp;
    const QString a = tinySeriesWithProbeSet(tmp.filePath(QStringLiteral("a")));
    const QString b = tinySeriesWithProbeSet(tmp.filePath(QStringLiteral("b")));
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    MainWindow w;
    JobLog log(w);
    w.openSeries(a);
    QTRY_VERIFY_WITH_TIMEOUT(w.probeJob()->isRunning(), 10000);
    w.openSeries(b);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 2, 10000);
    if (w.probeJob()->isRunning()) QCOMPARE(w.autoProbe().queued(), QStringList{b});
    // Where the cursor is when b's turn comes is what b probes first.
    w.cursorContext().setStep(200);
    QTRY_COMPARE_WITH_TIMEOUT(log.finished, 2, 90000);
    QCOMPARE(log.jobs.size(), 2);
    QCOMPARE(log.jobs[0].arguments.value(1), a);
    QCOMPARE(log.jobs[1].arguments.value(1), b);
    QCOMPARE(log.jobs[1].finishedBefore, 1); // after the first, not beside it
    QCOMPARE(argumentAfter(log.jobs[1].arguments, QStringLiteral("--first-step")),
             QStringLiteral("200"));
    QCOMPARE(log.jobs[1].computed.value(0), 200); // coarse-to-fine alone puts it last
    QTRY_VERIFY_WITH_TIMEOUT(complete(w, 0) && complete(w, 1), 20000);
  }
};

CHRYSALIS_QTEST_MAIN(TestUiAutoProbe)
#include "test_ui_auto_probe.moc"
