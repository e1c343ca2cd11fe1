// "Ablate at Cursor" end to end with the real engine on a copy of the bundled
// demo: heads marked with Ctrl+click in the head grid, the request through
// the worker, the dialog's numbers (the two layer-1 heads the grid ranks
// highest cost far more loss than two random heads), the result kept in the
// probe store, and "Add Ablation Timeline" probing every checkpoint into the
// Head Ablation panel.
#include "data/run_data.h"
#include "engine_fixture_ui.h"
#include "format/probe_store.h"
#include "heads/ablation_dialog.h"
#include "heads/head_grid_panel.h"
#include "heads/head_grid_view.h"
#include "main_window.h"
#include "runs/session.h"
#include "timeline/timeline_stack.h"
#include "training/engine_job.h"
#include "training/probe_job.h"
#include "ui_test_main.h"

#include <QAction>
#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <cmath>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

// DIR/baseline and DIR/probe-set.h5 copied from resources/demo.
QString demoCopy(const QString& dir) {
  const QString demo = QStringLiteral(CHRYSALIS_SOURCE_DIR) + QStringLiteral("/resources/demo");
  if (QProcess::execute(QStringLiteral("cp"),
                        {QStringLiteral("-r"), demo + QStringLiteral("/baseline"),
                         demo + QStringLiteral("/probe-set.h5"), dir}) != 0)
    return {};
  return QDir(dir + QStringLiteral("/baseline")).canonicalPath();
}

QPoint cellCentre(HeadGridView* view, int layer, int head) {
  return view->currentLayout().cell(layer, head).center().toPoint();
}

} // namespace

class TestUiAblation : public QObject {
  Q_OBJECT
private:
  QString m_cli;

private Q_SLOTS:
  void initTestCase() {
    m_cli = test::engineCli(CHRYSALIS_CLI);
    if (!m_cli.isEmpty()) qputenv("CHRYSALIS_CLI", m_cli.toUtf8());
  }

  void ctrlClickMarksHeadsAndRightClickAblatesThem() {
    HeadGridView view;
    HeadGrid grid;
    grid.layers = 4;
    grid.heads = 4;
    grid.values = QVector<double>(16, 0.5);
    view.setGrid(grid);
    view.resize(300, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy clicked(&view, &HeadGridView::headClicked);
    QTest::mouseClick(&view, Qt::LeftButton, Qt::ControlModifier, cellCentre(&view, 0, 2));
    QTest::mouseClick(&view, Qt::LeftButton, Qt::ControlModifier, cellCentre(&view, 0, 1));
    QCOMPARE(view.ablationSelection(), (QVector<QPoint>{{0, 1}, {0, 2}})); // sorted
    QCOMPARE(clicked.count(), 0); // marking does not move the cursor's head
    QCOMPARE(view.headsToAblate(0, 2), view.ablationSelection());
    QCOMPARE(view.headsToAblate(3, 3), (QVector<QPoint>{{3, 3}})); // an unmarked head: alone
    QTest::mouseClick(&view, Qt::LeftButton, Qt::ControlModifier, cellCentre(&view, 0, 1));
    QCOMPARE(view.ablationSelection(), (QVector<QPoint>{{0, 2}})); // toggled off
    QTest::mouseClick(&view, Qt::LeftButton, {}, cellCentre(&view, 2, 3));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(headChoiceText({{0, 1}, {3, 0}}), QStringLiteral("1-2,4-1"));
  }

  void ablateAtCursorThroughTheWorkerThenTheTimeline() {
    if (m_cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    QTemporaryDir tmp;
    const QString series = demoCopy(tmp.path());
    QVERIFY(!series.isEmpty());
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    w.openSeries(series);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    QCOMPARE(w.cursorContext().cursor().step, 4000);
    HeadGridView* view = w.heads()->view();
    QTRY_VERIFY_WITH_TIMEOUT(view->grid().isValid(), 10000);
    view->setAblationSelection({{0, 1}, {0, 2}});
    Q_EMIT view->ablateRequested(view->headsToAblate(0, 1)); // what the context menu sends
    AblationDialog* dialog = w.ablationDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->key().heads, QStringLiteral("1-2,1-3"));
    QCOMPARE(dialog->key().minRelationCount, 20); // as the demo's UAS was computed
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWaiting(), 60000);
    const AblationResult r = dialog->result();
    QVERIFY2(r.isValid(), qPrintable(dialog->text()));
    QCOMPARE(r.heads, (QVector<QPoint>{{0, 1}, {0, 2}}));
    QCOMPARE(r.controlHeads.size(), 2);
    QVERIFY(r.value(QStringLiteral("ablation_loss_delta")) > 0.1);
    QVERIFY(r.value(QStringLiteral("ablation_loss_delta")) >
            10 * std::abs(r.value(QStringLiteral("ablation_control_loss_delta"))));
    QVERIFY(dialog->text().contains(QStringLiteral("Held-out MLM loss")));
    QVERIFY(!r.cached);

    const double createdBefore =
        format::ProbeStore(series.toStdString()).read(r.configHash.toStdString(), 4000).createdUnix;
    // The timeline: every checkpoint with weights, the same configuration.
    QSignalSpy done(w.probeJob(), &ProbeJob::finished);
    Q_EMIT dialog->timelineRequested(dialog->key()); // the dialog's button
    QVERIFY(w.probeJob()->isRunning());
    const QStringList args = w.probeJob()->job()->process()->arguments();
    QVERIFY(args.contains(QStringLiteral("ablation")));
    QCOMPARE(args.value(args.indexOf(QStringLiteral("--ablate-heads")) + 1),
             QStringLiteral("1-2,1-3"));
    QVERIFY(w.timelines()->panelAction(PanelId::Ablation)->isChecked());
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 240000);
    int withWeights = 0;
    for (const CheckpointRow& c : w.session().at(0).data.checkpoints)
      withWeights += c.hasWeights;
    auto pointsInAblationPanel = [&] {
      for (const PanelModel& p : w.timelines()->figure().panels)
        if (p.id == PanelId::Ablation && p.series.size() == 2) return p.series[0].points.size();
      return qsizetype(-1);
    };
    QTRY_COMPARE_WITH_TIMEOUT(pointsInAblationPanel(), qsizetype(withWeights), 20000);
    // Step 4000 came from the worker's result (the job found it in the store).
    const RunData& data = w.session().at(0).data;
    const ProbeSeries* p = data.probe(QStringLiteral("ablation"));
    QVERIFY(p);
    const qsizetype at = p->steps.indexOf(4000);
    QVERIFY(at >= 0);
    QCOMPARE(p->scalars.value(QStringLiteral("ablation_loss_delta")).value(at),
             r.value(QStringLiteral("ablation_loss_delta")));
    QCOMPARE(
        format::ProbeStore(series.toStdString()).read(r.configHash.toStdString(), 4000).createdUnix,
        createdBefore); // not written again: the job found it in the store
  }
};

CHRYSALIS_QTEST_MAIN(TestUiAblation)
#include "test_ui_ablation.moc"
