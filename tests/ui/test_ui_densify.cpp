// Densify from the app with the real engine: a tiny run trained with
// --keep-states every:20, the dialog's plan (which state, how many steps,
// how many new checkpoints), Engine ▸ Densify through the Training dock,
// the new checkpoints probed as they land, and the engine's report that the
// re-run equals the original bit for bit where both have checkpoints.
#include "data/run_data.h"
#include "engine_fixture_ui.h"
#include "main_window.h"
#include "runs/session.h"
#include "timeline/timeline_stack.h"
#include "timeline/zoom_stack.h"
#include "training/densify_dialog.h"
#include "training/training_panel.h"
#include "ui_test_main.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

using namespace chrysalis;
using namespace chrysalis::ui;

class TestUiDensify : public QObject {
  Q_OBJECT
private:
  QString m_cli;
  QTemporaryDir m_tmp;
  QString m_series;

  bool run(const QStringList& arguments) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(m_cli, arguments);
    const bool ok = p.waitForFinished(120000) && p.exitCode() == 0;
    if (!ok) qWarning("%s", p.readAll().constData());
    return ok;
  }

private Q_SLOTS:
  void initTestCase() {
    m_cli = test::engineCli(CHRYSALIS_CLI);
    if (m_cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    qputenv("CHRYSALIS_CLI", m_cli.toUtf8());
    const QString data = QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/data/");
    m_series = m_tmp.filePath(QStringLiteral("run"));
    QVERIFY(
        run({QStringLiteral("train"), m_series, QStringLiteral("--preset"), QStringLiteral("tiny"),
             QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--data"),
             data + QStringLiteral("ewt-train-demo.conllu"), QStringLiteral("--steps"),
             QStringLiteral("40"), QStringLiteral("--checkpoint-every"), QStringLiteral("10"),
             QStringLiteral("--keep-states"), QStringLiteral("every:20")}));
    // A probe set beside the series, where the app looks for it (the tiny
    // preset has 32 positions).
    QVERIFY(run({QStringLiteral("probe-set"), QStringLiteral("build"), QStringLiteral("--conllu"),
                 data + QStringLiteral("ewt-dev-demo.conllu"), QStringLiteral("--vocab"),
                 m_series + QStringLiteral("/vocab.txt"), QStringLiteral("--max-sentences"),
                 QStringLiteral("20"), QStringLiteral("--max-pieces"), QStringLiteral("32"),
                 QStringLiteral("--out"), m_tmp.filePath(QStringLiteral("probe-set.h5"))}));
    m_series = QDir(m_series).canonicalPath();
  }

  void dialogSaysWhichStateAndWhatItAdds() {
    DensifyDialog d(m_series, {0, 10, 20, 30, 40});
    QVERIFY(d.problem().isEmpty());
    QCOMPARE(d.keptStates(), (QVector<qint64>{0, 20, 40}));
    d.setRange(20, 40, 5);
    QCOMPARE(d.resumeStep(), 20);
    QVERIFY2(d.summary().contains(
                 QStringLiteral("kept at step 20 and trains 20 steps; adds 2 checkpoints")),
             qPrintable(d.summary()));
    d.setRange(12, 18, 3); // before the state at 20: from step 0
    QCOMPARE(d.resumeStep(), 0);
    QVERIFY2(d.summary().contains(QStringLiteral("adds 3 checkpoints")), qPrintable(d.summary()));
    d.setRange(0, 40); // every picked: about 20 new points
    QCOMPARE(d.every(), 2);
    DensifyDialog demo(QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/baseline"), {});
    QVERIFY(demo.problem().isEmpty()); // trained by Chrysalis, though its states were not kept
    QVERIFY(demo.keptStates().isEmpty());
  }

  void densifyFromTheAppProbesTheNewCheckpoints() {
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    w.openSeries(m_series);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    // Whatever the first open probes, let it finish: the test is about the new steps.
    QTRY_VERIFY_WITH_TIMEOUT(w.session().at(0).data.kindsAt(40).contains(QStringLiteral("uas")),
                             120000);
    w.timelines()->zoom().zoomTo({21, 39});
    QCOMPARE(w.proposedDensifyRange(false), (QPair<qint64, qint64>(20, 40)));
    QVERIFY(w.densifySelected(20, 40, 5));
    TrainingPanel* panel = w.findChild<TrainingPanel*>();
    QVERIFY(panel && panel->isDensify());
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isRunning(), 120000);
    QVERIFY2(
        panel->logText().contains(QStringLiteral("equal to the original bit for bit at 30, 40")),
        qPrintable(panel->logText()));
    QVERIFY2(panel->logText().contains(QStringLiteral("added 25, 35")),
             qPrintable(panel->logText()));
    // The new checkpoints reach the run and are probed.
    QTRY_VERIFY_WITH_TIMEOUT(
        w.session().at(0).data.kindsAt(25).contains(QStringLiteral("uas")) &&
            w.session().at(0).data.kindsAt(35).contains(QStringLiteral("loss")),
        120000);
  }
};

CHRYSALIS_QTEST_MAIN(TestUiDensify)
#include "test_ui_densify.moc"
