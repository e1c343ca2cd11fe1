// A trainer writing a live series, two probers filling its probe store, and
// the GUI's reader reading it over and over, all at once (real processes):
// every read succeeds (no torn file is ever seen under a final name), what the
// GUI sees only grows, and at the end every checkpoint has every result, each
// written once, with no temporary file left. Skipped without chrysalis-cli.
#include "data/run_reader.h"
#include "engine_fixture_ui.h"
#include "ui_test_main.h"

#include "common/error.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

constexpr int kSteps = 150, kEvery = 10;
const QStringList kKinds = {QStringLiteral("loss"), QStringLiteral("uas"), QStringLiteral("attn")};

QString demoFile(const char* relative) {
  return QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/") + QLatin1String(relative);
}

int resultFiles(const QString& series) {
  int n = 0;
  QDirIterator it(series + QStringLiteral("/probes"), {QStringLiteral("step-*.h5")}, QDir::Files,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    ++n;
  }
  return n;
}

} // namespace

class TestUiConcurrency : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void trainerProbersAndReaderAtOnce() {
    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    QTemporaryDir tmp;
    const QString series = tmp.filePath(QStringLiteral("live"));
    const QString probeSet = tmp.filePath(QStringLiteral("probe-set.h5"));
    const QString vocab = demoFile("baseline/vocab.txt");
    QCOMPARE(
        QProcess::execute(cli, {QStringLiteral("probe-set"), QStringLiteral("build"),
                                QStringLiteral("--conllu"), demoFile("data/ewt-dev-demo.conllu"),
                                QStringLiteral("--vocab"), vocab, QStringLiteral("--max-pieces"),
                                QStringLiteral("32"), QStringLiteral("--max-sentences"),
                                QStringLiteral("60"), QStringLiteral("--out"), probeSet}),
        0);

    QProcess trainer;
    trainer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    trainer.start(cli, {QStringLiteral("train"), series, QStringLiteral("--preset"),
                        QStringLiteral("tiny"), QStringLiteral("--data"),
                        demoFile("data/ewt-train-demo.conllu"), QStringLiteral("--vocab"), vocab,
                        QStringLiteral("--steps"), QString::number(kSteps),
                        QStringLiteral("--checkpoint-every"), QString::number(kEvery),
                        QStringLiteral("--threads"), QStringLiteral("1")});
    QVERIFY(trainer.waitForStarted());

    // Each prober probes whatever exists, again and again, until training ends, then once more.
    const QString probeCommand =
        QStringLiteral("'%1' probe '%2' --probe-set '%3' --probes loss,uas,attn "
                       "--min-relation-count 3 --threads 1 >/dev/null 2>>'%4'")
            .arg(cli, series, probeSet, tmp.filePath(QStringLiteral("probe.err")));
    const QString loop =
        QStringLiteral("until [ -f '%1/done' ]; do [ -f '%2/series.json' ] && %3; sleep 0.1; "
                       "done; %3")
            .arg(tmp.path(), series, probeCommand);
    QProcess proberA, proberB;
    for (QProcess* p : {&proberA, &proberB}) {
      p->start(QStringLiteral("bash"), {QStringLiteral("-c"), loop});
      QVERIFY(p->waitForStarted());
    }

    // The GUI side: read the run as the I/O thread does, as fast as it can.
    int reads = 0, lastCheckpoints = 0, lastResults = 0;
    RunData previous;
    bool havePrevious = false;
    QElapsedTimer clock;
    clock.start();
    while (trainer.state() != QProcess::NotRunning || reads == 0) {
      QCoreApplication::processEvents();
      if (!QFileInfo::exists(series + QStringLiteral("/series.json"))) {
        QTest::qWait(20);
        continue;
      }
      try {
        // Every other read starts from scratch, the others refresh as a live run does.
        RunData run = readRun(series, (havePrevious && reads % 2) ? &previous : nullptr);
        QVERIFY2(run.problems.isEmpty(), qPrintable(run.problems.join(QLatin1Char('\n'))));
        QVERIFY(run.checkpoints.size() >= lastCheckpoints);
        lastCheckpoints = static_cast<int>(run.checkpoints.size());
        int results = 0;
        for (const auto& config : run.configs)
          results += static_cast<int>(config.steps.size());
        QVERIFY(results >= lastResults);
        lastResults = results;
        previous = run;
        havePrevious = true;
        ++reads;
      } catch (const InputError& e) {
        QFAIL(e.what()); // a torn or half-written file seen under its final name
      }
      QVERIFY2(clock.elapsed() < 240000, "training did not finish");
    }
    // The probers really wrote while the trainer did and the reader read.
    QVERIFY2(lastResults > 0, "no probe result appeared during training");
    QCOMPARE(trainer.exitStatus(), QProcess::NormalExit);
    QCOMPARE(trainer.exitCode(), 0);
    QFile(tmp.filePath(QStringLiteral("done"))).open(QIODevice::WriteOnly);
    for (QProcess* p : {&proberA, &proberB}) {
      QVERIFY(p->waitForFinished(240000));
      QCOMPARE(p->exitCode(), 0);
    }
    QFile err(tmp.filePath(QStringLiteral("probe.err")));
    if (err.open(QIODevice::ReadOnly)) {
      const QByteArray text = err.readAll();
      QVERIFY2(!text.contains("chrysalis-cli:"), text.constData()); // no prober ever failed
    }

    const RunData final = readRun(series);
    const int checkpoints = kSteps / kEvery + 1;
    QCOMPARE(final.checkpoints.size(), checkpoints);
    for (const QString& kind : kKinds) {
      const ProbeSeries* p = final.probe(kind);
      QVERIFY2(p, qPrintable(kind));
      QCOMPARE(p->steps.size(), checkpoints); // no result lost
    }
    QCOMPARE(resultFiles(series), checkpoints * static_cast<int>(kKinds.size()));
    QDirIterator temps(series, QDir::Files, QDirIterator::Subdirectories);
    while (temps.hasNext())
      QVERIFY2(!temps.next().contains(QStringLiteral(".tmp-")), qPrintable(temps.filePath()));
    qInfo("%d reads of the live run while it trained and was probed (%d results seen during "
          "training)",
          reads, lastResults);
    QVERIFY(reads > 20);
  }
};

CHRYSALIS_QTEST_MAIN(TestUiConcurrency)
#include "test_ui_concurrency.moc"
