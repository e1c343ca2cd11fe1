// Training and probing from the GUI: the command line for each schedule, the
// dialog, and the child-process plumbing against a fake engine script (JSON
// events, SIGTERM → exit 130, the new series announced at its first
// checkpoint), then one real tiny training when chrysalis-cli is built.
#include "engine_fixture_ui.h"
#include "format/train_log.h"
#include "training/engine_job.h"
#include "training/import_job.h"
#include "training/probe_job.h"
#include "training/probe_status.h"
#include "training/train_dialog.h"
#include "training/train_options.h"
#include "training/training_panel.h"
#include "ui_test_main.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <cmath>
#include <csignal>
#include <sys/types.h>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

// A copy of fake_engine.sh in the test's folder (it writes args.txt beside itself).
// A run into `dir`/run, for the fake engine (which reads no data).
TrainOptions fakeRunOptions(const QTemporaryDir& dir) {
  TrainOptions o;
  o.outDir = dir.filePath(QStringLiteral("run"));
  o.corpus = QStringList{QStringLiteral("c")};
  return o;
}

QString writeFakeEngine(const QTemporaryDir& dir) {
  const QString path = dir.filePath(QStringLiteral("fake-cli"));
  if (!QFile::copy(QStringLiteral(CHRYSALIS_SOURCE_DIR "/tests/ui/fake_engine.sh"), path))
    return {};
  QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  return path;
}

QStringList recordedArgs(const QTemporaryDir& dir) {
  QFile f(dir.filePath(QStringLiteral("args.txt")));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestUiTraining : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void commandLineForEachSchedule_data() {
    QTest::addColumn<int>("schedule");
    QTest::addColumn<QString>("expected");
    const QString head = QStringLiteral("train /runs/x --preset demo --data a.conllu --data b.txt");
    const QString tail = QStringLiteral("--steps 2000 --seed 7 --json");
    QTest::addRow("baseline") << int(TrainSchedule::Baseline)
                              << head + QStringLiteral(" --schedule baseline ") + tail;
    QTest::addRow("SAS+") << int(TrainSchedule::SasPlus)
                          << head + QStringLiteral(" --schedule sas+ --lambda 0.01 ") + tail;
    QTest::addRow("SAS-") << int(TrainSchedule::SasMinus)
                          << head + QStringLiteral(" --schedule sas- --lambda 0.01 ") + tail;
    QTest::addRow("SAS-(300)")
        << int(TrainSchedule::SuppressUntil)
        << head + QStringLiteral(" --schedule sas- --lambda 0.01 --suppress-until 300 ") + tail;
  }
  void commandLineForEachSchedule() {
    QFETCH(int, schedule);
    QFETCH(QString, expected);
    TrainOptions o;
    o.outDir = QStringLiteral("/runs/x");
    o.corpus = QStringList{QStringLiteral("a.conllu"), QStringLiteral("b.txt")};
    o.schedule = static_cast<TrainSchedule>(schedule);
    o.lambda = 0.01;
    o.suppressUntil = 300;
    o.steps = 2000;
    o.seed = 7;
    QCOMPARE(trainArguments(o).join(QLatin1Char(' ')), expected);
  }

  void otherCommandLines() {
    TrainOptions o;
    o.outDir = QStringLiteral("/r");
    o.corpus = QStringList{QStringLiteral("c")};
    o.lambda = -0.5; // the schedule decides the sign; the size is given positive
    o.schedule = TrainSchedule::SasPlus;
    o.label = QStringLiteral("SAS+ big");
    const QStringList a = trainArguments(o);
    QVERIFY(!a.contains(QStringLiteral("--steps"))); // 0: the preset's
    QCOMPARE(a.at(a.indexOf(QStringLiteral("--lambda")) + 1), QStringLiteral("0.5"));
    QCOMPARE(a.at(a.indexOf(QStringLiteral("--label")) + 1), QStringLiteral("SAS+ big"));
    QCOMPARE(resumeArguments(QStringLiteral("/runs/x")).join(QLatin1Char(' ')),
             QStringLiteral("train --resume /runs/x --json"));
    QCOMPARE(
        probeArguments(QStringLiteral("/runs/x"), QStringLiteral("/p.h5")).join(QLatin1Char(' ')),
        QStringLiteral("probe /runs/x --probe-set /p.h5 --probes loss,uas,attn,twonn --order "
                       "coarse-to-fine --json"));
    QCOMPARE(probeArguments(QStringLiteral("/runs/x"), QStringLiteral("/p.h5"), 1500)
                 .join(QLatin1Char(' ')),
             QStringLiteral("probe /runs/x --probe-set /p.h5 --probes loss,uas,attn,twonn --order "
                            "coarse-to-fine --first-step 1500 --json"));
  }

  void validation() {
    QTemporaryDir tmp;
    const QString corpus = tmp.filePath(QStringLiteral("c.conllu"));
    QFile f(corpus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    TrainOptions o;
    QVERIFY(validateTrainOptions(o).contains(QStringLiteral("folder")));
    o.outDir = tmp.filePath(QStringLiteral("new"));
    QVERIFY(validateTrainOptions(o).contains(QStringLiteral("corpus")));
    o.corpus = QStringList{tmp.filePath(QStringLiteral("missing.conllu"))};
    QVERIFY(validateTrainOptions(o).contains(QStringLiteral("not found")));
    o.corpus = QStringList{corpus};
    QCOMPARE(validateTrainOptions(o), QString());
    o.schedule = TrainSchedule::SuppressUntil;
    o.steps = 200;
    o.suppressUntil = 300;
    QVERIFY(validateTrainOptions(o).contains(QStringLiteral("whole run")));
    o.suppressUntil = 100;
    QCOMPARE(validateTrainOptions(o), QString());
  }

  void dialogBuildsTheOptions() {
    TrainDialog d;
    TrainOptions o;
    o.preset = QStringLiteral("tiny");
    o.corpus = QStringList{QStringLiteral("/data/a.conllu")};
    o.schedule = TrainSchedule::SuppressUntil;
    o.lambda = 0.02;
    o.suppressUntil = 150;
    o.steps = 400;
    o.seed = 3;
    o.outDir = QStringLiteral("/runs/sas-150");
    d.setOptions(o);
    const TrainOptions back = d.options();
    QCOMPARE(trainArguments(back), trainArguments(o));
    QVERIFY(d.commandPreview().startsWith(
        QStringLiteral("chrysalis-cli train /runs/sas-150 --preset tiny")));
    QVERIFY(d.commandPreview().contains(QStringLiteral("--suppress-until 150")));
  }

  void jobReportsEventsAndStopsWithSigterm() {
    QTemporaryDir tmp;
    const QString fake = writeFakeEngine(tmp);
    EngineJob job;
    QSignalSpy events(&job, &EngineJob::eventReceived);
    QSignalSpy lines(&job, &EngineJob::logLine);
    QSignalSpy finished(&job, &EngineJob::finished);
    QVERIFY(job.start(trainArguments(fakeRunOptions(tmp)), fake));
    QTRY_VERIFY_WITH_TIMEOUT(events.size() >= 4, 10000); // start, checkpoint, a few steps
    QCOMPARE(events.first().at(0).value<QJsonObject>().value(QStringLiteral("event")).toString(),
             QStringLiteral("start"));
    QTRY_VERIFY(!lines.isEmpty());
    QCOMPARE(lines.first().at(0).toString(), QStringLiteral("a line that is not JSON"));
    job.stop();
    QVERIFY(job.stopRequested());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.first().at(0).toInt(), 130);
    QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("Stopped")));
    QCOMPARE(events.last().at(0).value<QJsonObject>().value(QStringLiteral("event")).toString(),
             QStringLiteral("interrupted"));
    QVERIFY(!job.isRunning());
  }

  // The engine is told who started it (it then dies with the app, see
  // app/cli/process_setup.h), and a job destroyed while running, as when the
  // app quits, ends its engine: terminate, wait, kill.
  void jobTiesTheEngineToTheAppAndEndsItWhenDestroyed() {
    QTemporaryDir tmp;
    const QString fake = writeFakeEngine(tmp);
    qint64 pid = 0;
    {
      EngineJob job;
      QSignalSpy events(&job, &EngineJob::eventReceived);
      QVERIFY(job.start(trainArguments(fakeRunOptions(tmp)), fake));
      QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10000);
      QCOMPARE(job.process()->processEnvironment().value(QStringLiteral("CHRYSALIS_PARENT_PID")),
               QString::number(QCoreApplication::applicationPid()));
      pid = job.process()->processId();
      QVERIFY(pid > 0);
      QCOMPARE(::kill(static_cast<pid_t>(pid), 0), 0);
    }
    QVERIFY(::kill(static_cast<pid_t>(pid), 0) != 0); // gone, and reaped
  }

  // JSON has no NaN: the engine sends a diverged loss as null. The progress
  // line shows "NaN" with a tooltip, never "0.000".
  void nonFiniteLossIsShownAsNaNNotZero() {
    TrainingPanel panel;
    auto* line = panel.findChild<QLabel*>(QStringLiteral("training-progress"));
    QVERIFY(line);
    Q_EMIT panel.job()->eventReceived(QJsonObject{{QStringLiteral("event"), QStringLiteral("step")},
                                                  {QStringLiteral("step"), 5},
                                                  {QStringLiteral("steps"), 10},
                                                  {QStringLiteral("loss"), QJsonValue()}});
    QVERIFY2(line->text().contains(QStringLiteral("loss NaN")), qPrintable(line->text()));
    QVERIFY(!line->text().contains(QStringLiteral("0.000")));
    QVERIFY(line->toolTip().contains(QStringLiteral("Not a finite number")));
    Q_EMIT panel.job()->eventReceived(QJsonObject{{QStringLiteral("event"), QStringLiteral("step")},
                                                  {QStringLiteral("step"), 6},
                                                  {QStringLiteral("steps"), 10},
                                                  {QStringLiteral("loss"), 2.5}});
    QVERIFY2(line->text().contains(QStringLiteral("loss 2.500")), qPrintable(line->text()));
    QVERIFY(line->toolTip().isEmpty());
  }

  void panelOpensTheNewSeriesAndResumes() {
    QTemporaryDir tmp;
    const QString fake = writeFakeEngine(tmp);
    TrainingPanel panel;
    panel.setProgram(fake);
    QSignalSpy ready(&panel, &TrainingPanel::seriesReady);
    QSignalSpy written(&panel, &TrainingPanel::checkpointWritten);
    TrainOptions o;
    o.outDir = tmp.filePath(QStringLiteral("run"));
    o.corpus = QStringList{QStringLiteral("c.conllu")};
    o.schedule = TrainSchedule::SasMinus;
    QVERIFY(panel.startTraining(o));
    QVERIFY(!panel.startTraining(o)); // one at a time
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 10000);
    QCOMPARE(ready.first().at(0).toString(), QFileInfo(o.outDir).absoluteFilePath());
    QTRY_VERIFY_WITH_TIMEOUT(panel.progressText().contains(QStringLiteral("loss 7.250")), 10000);
    QCOMPARE(recordedArgs(tmp), trainArguments(o));
    panel.job()->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 10000);
    QVERIFY2(panel.logText().contains(QStringLiteral("interrupted at step")),
             qPrintable(panel.logText()));

    QVERIFY(panel.resume(panel.series()));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 15000);
    QCOMPARE(recordedArgs(tmp), resumeArguments(QFileInfo(o.outDir).absoluteFilePath()));
    QVERIFY(panel.logText().contains(QStringLiteral("done at step 50")));
    QCOMPARE(ready.size(), 2); // announced again: the window reloads it
    // The checkpoint at step 50 (after the first) asks for a reload at once.
    QCOMPARE(written.size(), 1);
    QCOMPARE(written.first().at(0).toString(), QFileInfo(o.outDir).absoluteFilePath());
  }

  // The job (a QObject with typed signals) and its status-bar display.
  void probeJobReportsProgressAndTheStatusShowsIt() {
    QTemporaryDir tmp;
    const QString fake = writeFakeEngine(tmp);
    ProbeJob job;
    ProbeStatus status(job);
    job.setProgram(fake);
    QSignalSpy finished(&job, &ProbeJob::finished);
    QSignalSpy progressed(&job, &ProbeJob::progressed);
    // Each step_done event says the series can be read again at once.
    QSignalSpy written(&job, &ProbeJob::resultsWritten);
    QVERIFY(job.start(QStringLiteral("/runs/x"), QStringLiteral("/p.h5")));
    QVERIFY(!job.start(QStringLiteral("/runs/y"), QStringLiteral("/p.h5"))); // one at a time
    QVERIFY(!status.isHidden());
    QTRY_VERIFY_WITH_TIMEOUT(status.text().contains(QStringLiteral("/4")), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY(finished.first().at(0).toString().contains(QStringLiteral("Finished")));
    QVERIFY(status.isHidden());
    QCOMPARE(written.size(), 4); // the fake engine's four step_done events
    QCOMPARE(written.first().at(0).toString(), QStringLiteral("/runs/x"));
    // Typed progress: the last step_done is checkpoint 4 of 4, at step 400.
    QVERIFY(progressed.size() >= 4);
    const QList<QVariant> last = progressed.at(progressed.size() - 2); // before "finished"
    QCOMPARE(last.at(0).toLongLong(), 4);
    QCOMPARE(last.at(1).toLongLong(), 4);
    QCOMPARE(last.at(2).toLongLong(), 400);
    QCOMPARE(recordedArgs(tmp), probeArguments(QStringLiteral("/runs/x"), QStringLiteral("/p.h5")));
  }

  void missingEngineFinishesWithAMessage() {
    EngineJob job;
    QSignalSpy finished(&job, &EngineJob::finished);
    QVERIFY(job.start({QStringLiteral("probe")}, QStringLiteral("/nonexistent/chrysalis-cli")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(finished.first().at(0).toInt(), -1);
  }

  // The real engine: a tiny preset run of a few steps, announced and done.
  void realTinyTraining() {
    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    QTemporaryDir tmp;
    TrainingPanel panel;
    panel.setProgram(cli);
    QSignalSpy ready(&panel, &TrainingPanel::seriesReady);
    TrainOptions o;
    o.preset = QStringLiteral("tiny");
    o.corpus = QStringList{
        QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/data/ewt-train-demo.conllu")};
    o.schedule = TrainSchedule::SuppressUntil;
    o.lambda = 0.01;
    o.suppressUntil = 3;
    o.steps = 6;
    o.outDir = tmp.filePath(QStringLiteral("tiny"));
    QVERIFY(panel.startTraining(o));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 60000);
    QVERIFY2(panel.logText().contains(QStringLiteral("done at step 6")),
             qPrintable(panel.logText()));
    QCOMPARE(ready.size(), 1);
    QVERIFY(QFileInfo::exists(o.outDir + QStringLiteral("/checkpoints/step-0000000006.h5")));
    // The dense training log: a row per step, the regularizer's part where it ran.
    const auto log = format::readTrainLog(o.outDir.toStdString());
    QVERIFY(log);
    QCOMPARE(log->step, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(log->source, std::string("chrysalis-cli train"));
    for (const char* column : {"train_loss", "learning_rate", "mlm_loss", "reg_loss"})
      QVERIFY2(log->columns.count(column), column);
    QVERIFY(std::isfinite(log->columns.at("reg_loss")[0])); // suppressed until step 3
    QVERIFY(std::isnan(log->columns.at("reg_loss")[5]));    // not computed after
    QVERIFY(std::isfinite(log->columns.at("train_loss")[5]));
  }

  // File > Import through the real engine: a Trainer folder imports with a
  // progress event per checkpoint; following picks up a checkpoint written
  // later and stops cleanly.
  void importJobImportsAndFollowsATrainerFolder() {
    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    QTemporaryDir tmp;
    const QString run = tmp.filePath(QStringLiteral("output_dir"));
    auto addCheckpoint = [&](int step) {
      const QString d = run + QStringLiteral("/checkpoint-%1").arg(step);
      QDir().mkpath(d);
      for (const char* f : {"config.json", "model.safetensors"})
        QFile::copy(QStringLiteral(CHRYSALIS_FIXTURES "/tiny-bert/checkpoint-100/") +
                        QLatin1String(f),
                    d + QLatin1Char('/') + QLatin1String(f));
      QFile state(d + QStringLiteral("/trainer_state.json"));
      QVERIFY(state.open(QIODevice::WriteOnly));
      state.write(QStringLiteral("{\"global_step\": %1}").arg(step).toUtf8());
    };
    addCheckpoint(100);
    addCheckpoint(200);
    {
      QFile vocab(run + QStringLiteral("/vocab.txt"));
      QVERIFY(vocab.open(QIODevice::WriteOnly));
      for (int i = 0; i < 64; ++i)
        vocab.write(QStringLiteral("t%1\n").arg(i).toUtf8());
    }
    ImportJob job;
    job.setProgram(cli);
    QSignalSpy imported(&job, &ImportJob::checkpointImported);
    QSignalSpy finished(&job, &ImportJob::finished);
    QVERIFY(job.start(run, tmp.filePath(QStringLiteral("copy")), false));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QVERIFY2(finished[0][1].toBool(), qPrintable(finished[0][0].toString()));
    QCOMPARE(imported.size(), 2);
    QCOMPARE(imported[1][1].toLongLong(), 200); // step
    QCOMPARE(imported[1][2].toLongLong(), 2);   // done
    QCOMPARE(imported[1][3].toLongLong(), 2);   // total

    imported.clear();
    finished.clear();
    QVERIFY(job.start(run, tmp.filePath(QStringLiteral("followed")), true));
    QVERIFY(job.following());
    QTRY_COMPARE_WITH_TIMEOUT(imported.size(), 2, 30000);
    addCheckpoint(300);
    QTRY_COMPARE_WITH_TIMEOUT(imported.size(), 3, 30000); // after two quiet seconds
    QCOMPARE(imported[2][1].toLongLong(), 300);
    job.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QVERIFY(finished[0][1].toBool());
    QVERIFY(finished[0][0].toString().startsWith(QStringLiteral("Stopped following")));
  }
};

CHRYSALIS_QTEST_MAIN(TestUiTraining)
#include "test_ui_training.moc"
