// Timelines: the step axis mapping and ticks (data-driven, house-style §11),
// the zoom stack, the figure built from a synthetic run and its CSV, and the
// stacked charts following the cursor and sharing one zoom.
#include "common/step_axis.h"
#include "cursor/cursor_context.h"
#include "data/run_reader.h"
#include "format/train_log.h"
#include "runs/session.h"
#include "synthetic_series.h"
#include "timeline/panel_chart.h"
#include "timeline/panel_view.h"
#include "timeline/timeline_figure.h"
#include "timeline/timeline_stack.h"
#include "timeline/zoom_stack.h"
#include "ui_test_main.h"

#include <QAction>
#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QtMath>

#include <algorithm>
#include <cmath>

using namespace chrysalis;
using namespace chrysalis::ui;

Q_DECLARE_METATYPE(chrysalis::ui::StepScale)

class TestUiTimeline : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;
  QString m_series;
  test::SyntheticOptions m_options;

private Q_SLOTS:
  void initTestCase() {
    m_series = m_tmp.filePath(QStringLiteral("run"));
    m_options.layers = 4;
    m_options.heads = 4;
    test::writeSyntheticSeries(m_series, m_options);
  }

  void mapping_data() {
    QTest::addColumn<StepScale>("scale");
    QTest::addColumn<double>("first");
    QTest::addColumn<double>("last");
    QTest::addColumn<double>("step");
    QTest::addColumn<double>("x");
    // Plot area from x = 100 to x = 500.
    QTest::addRow("linear start") << StepScale::Linear << 0.0 << 1000.0 << 0.0 << 100.0;
    QTest::addRow("linear middle") << StepScale::Linear << 0.0 << 1000.0 << 500.0 << 300.0;
    QTest::addRow("linear zoomed") << StepScale::Linear << 200.0 << 600.0 << 300.0 << 200.0;
    QTest::addRow("log zero") << StepScale::Log << 0.0 << 9999.0 << 0.0 << 100.0;
    QTest::addRow("log 99") << StepScale::Log << 0.0 << 9999.0 << 99.0 << 300.0;
    QTest::addRow("log end") << StepScale::Log << 0.0 << 9999.0 << 9999.0 << 500.0;
  }
  void mapping() {
    QFETCH(StepScale, scale);
    QFETCH(double, first);
    QFETCH(double, last);
    QFETCH(double, step);
    QFETCH(double, x);
    StepAxisMapping m{scale, {first, last}, 100.0, 500.0};
    QVERIFY(m.isValid());
    QVERIFY(std::abs(m.stepToX(step) - x) < 1e-6);
    QVERIFY(std::abs(m.xToStep(x) - step) < 1e-6 * std::max(1.0, step));
  }

  void zoomAndPan() {
    StepAxisMapping m{StepScale::Linear, {0.0, 1000.0}, 0.0, 100.0};
    const StepRange in = m.zoomedAt(50.0, 0.5);
    QCOMPARE(in.first, 250.0);
    QCOMPARE(in.last, 750.0);
    const StepRange left = m.panned(-10.0); // drag left: content moves left, later steps come in
    QCOMPARE(left.first, 100.0);
    QCOMPARE(left.last, 1100.0);
    QCOMPARE(m.panned(50.0).first, 0.0); // never before step 0
    StepAxisMapping log{StepScale::Log, {0.0, 9999.0}, 0.0, 100.0};
    QVERIFY(log.zoomedAt(0.0, 0.5).first >= 0.0);
  }

  void ticks_data() {
    QTest::addColumn<StepScale>("scale");
    QTest::addColumn<double>("first");
    QTest::addColumn<double>("last");
    QTest::addColumn<QString>("labels");
    QTest::addRow("linear") << StepScale::Linear << 0.0 << 8000.0
                            << QStringLiteral("0 2k 4k 6k 8k");
    QTest::addRow("linear short") << StepScale::Linear << 1000.0 << 1500.0
                                  << QStringLiteral("1k 1.1k 1.2k 1.3k 1.4k 1.5k");
    QTest::addRow("log decades") << StepScale::Log << 0.0 << 1e6
                                 << QStringLiteral("0 10 100 1k 10k 100k 1M");
    QTest::addRow("log short") << StepScale::Log << 100.0 << 8000.0
                               << QStringLiteral("100 200 500 1k 2k 5k");
  }
  void ticks() {
    QFETCH(StepScale, scale);
    QFETCH(double, first);
    QFETCH(double, last);
    QFETCH(QString, labels);
    QStringList got;
    for (const auto& t : stepTicks({first, last}, scale, 8))
      got << t.label;
    QCOMPARE(got.join(QLatin1Char(' ')), labels);
  }

  void formatSteps() {
    QCOMPARE(formatStep(0), QStringLiteral("0"));
    QCOMPARE(formatStep(1500), QStringLiteral("1.5k"));
    QCOMPARE(formatStep(20000), QStringLiteral("20k"));
    QCOMPARE(formatStep(1200000), QStringLiteral("1.2M"));
    // Issue 16, item 3: ticks at 1250 and 1750 read "1.3k" and "1.8k".
    QCOMPARE(formatStep(1250), QStringLiteral("1.25k"));
    QCOMPARE(formatStep(1750), QStringLiteral("1.75k"));
    QCOMPARE(formatStep(1234), QStringLiteral("1.234k"));
    QCOMPARE(formatStep(999), QStringLiteral("999"));
    QCOMPARE(formatStep(2500000), QStringLiteral("2.5M"));
    QCOMPARE(formatStep(1234567), QStringLiteral("1.234567M"));
  }

  void zoomStackHistory() {
    ZoomStack z;
    QSignalSpy changed(&z, &ZoomStack::changed);
    z.setFullRange({0, 100});
    QVERIFY(!z.backAction()->isEnabled());
    z.zoomTo({10, 50});
    z.zoomTo({20, 30});
    QCOMPARE(z.current(), (StepRange{20, 30}));
    QVERIFY(z.backAction()->isEnabled());
    z.backAction()->trigger();
    QCOMPARE(z.current(), (StepRange{10, 50}));
    z.resetAction()->trigger();
    QCOMPARE(z.current(), (StepRange{0, 100}));
    QVERIFY(!z.resetAction()->isEnabled());
    QCOMPARE(changed.size(), 5);
  }

  void figureFromSyntheticRun() {
    const RunData run = readRun(m_series);
    TimelineOptions o;
    const TimelineFigure f = buildTimelineFigure({RunView{&run, 7, Qt::blue}}, o);
    QCOMPARE(f.panels.size(), 4);
    QCOMPARE(f.panels[1].id, PanelId::Uas);
    QCOMPARE(f.panels[1].series.size(), 3);
    QCOMPARE(f.panels[1].series[1].metric, QStringLiteral("uas_all_words"));
    QCOMPARE(f.panels[1].series[0].points.size(),
             qsizetype(test::syntheticSteps(m_options).size()));
    QCOMPARE(f.fullRange.first, 0.0);
    QCOMPARE(f.fullRange.last, 8000.0);
    QCOMPARE(f.markers.size(), 3);
    QVERIFY(f.onsetCaption.contains(QStringLiteral("Detector: logistic turn")));
    QVERIFY(f.markers[0].tooltip.contains(QStringLiteral("UAS breakpoint")));

    o.smoothing = 0.1;
    o.panelVisible[static_cast<int>(PanelId::TwoNN)] = false;
    const TimelineFigure s = buildTimelineFigure({RunView{&run, 7, Qt::blue}}, o);
    QCOMPARE(s.panels.size(), 3);
    QVERIFY(s.panels[0].series[0].smoothed);
    QCOMPARE(s.panels[0].series[0].points.size(), 240);
    QCOMPARE(s.panels[0].series[0].measured.size(),
             qsizetype(test::syntheticSteps(m_options).size()));

    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    writeTimelineCsv(f, csv);
    const QStringList lines =
        QString::fromUtf8(csv.data()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("panel,series,run,kind,step,value"));
    // header + 6 series x every step + 3 onsets
    QCOMPARE(lines.size(), qsizetype(1 + 6 * test::syntheticSteps(m_options).size() + 3));
    QVERIFY(
        lines.contains(QStringLiteral("UAS (syntactic attention structure),uas_offset_baseline,") +
                       m_options.label + QStringLiteral(",measured,0,0.318")));
  }

  // Issue 15: the dense training log (train_log.h5) is a thin line in the
  // loss panel under the checkpoint probes, thinned to bucket means when
  // long, smoothed with the panel's smoothing, and exported in the CSV.
  void denseTrainingLogIsAThinLineUnderTheProbes() {
    const QString dir = m_tmp.filePath(QStringLiteral("with-log"));
    test::writeSyntheticSeries(dir, m_options);
    format::TrainLog log;
    log.source = "test";
    for (int64_t s = 1; s <= 8000; ++s)
      log.append(
          s, {{"train_loss", 10.0 / std::sqrt(static_cast<double>(s))}, {"learning_rate", 1e-4}});
    format::writeTrainLog(dir.toStdString(), log);
    const RunData run = readRun(dir);
    QCOMPARE(run.trainLog.steps.size(), qsizetype(8000));
    TimelineFigure f = buildTimelineFigure({RunView{&run, 7, Qt::blue}}, TimelineOptions{});
    const PanelModel& loss = f.panels[0];
    QCOMPARE(loss.id, PanelId::Loss);
    QCOMPARE(loss.series.first().metric, QStringLiteral("train_loss_log")); // drawn first: under
    QVERIFY(loss.series.first().widthScale < 1.0);
    QCOMPARE(loss.series.first().points.size(), qsizetype(2000)); // 8000 rows in 2000 buckets
    // The first bucket is rows 1-4: their mean at their mean step.
    const double firstMean = (10.0 + 10.0 / std::sqrt(2.0) + 10.0 / std::sqrt(3.0) + 5.0) / 4;
    QCOMPARE(loss.series.first().points.first(), QPointF(3.0, firstMean)); // llround(2.5) = 3
    QVERIFY(loss.series.size() > 1); // the held-out loss probe is still there
    QCOMPARE(loss.series[1].metric, QStringLiteral("loss"));
    QVERIFY(loss.yMax > firstMean);                          // the log's range is in the panel's
    QVERIFY(loss.yLabel != QStringLiteral("training loss")); // the held-out probe is there too
    RunData logOnly; // an imported Trainer run before any probe: the axis names the curve
    logOnly.label = QStringLiteral("imported");
    logOnly.trainLog = run.trainLog;
    const TimelineFigure bare =
        buildTimelineFigure({RunView{&logOnly, 8, Qt::red}}, TimelineOptions{});
    QCOMPARE(bare.panels.size(), qsizetype(1));
    QCOMPARE(bare.panels[0].yLabel, QStringLiteral("training loss"));

    TimelineOptions smoothed;
    smoothed.smoothing = 0.2;
    f = buildTimelineFigure({RunView{&run, 7, Qt::blue}}, smoothed);
    QVERIFY(f.panels[0].series.first().smoothed);
    QVERIFY(f.panels[0].series.first().measured.isEmpty()); // no 2000 dots

    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    writeTimelineCsv(f, csv);
    QVERIFY(QString::fromUtf8(csv.data()).contains(QStringLiteral(",train_loss_log,")));
  }

  // Issue 19, item 6: a stored NaN is never drawn or read out as a number.
  void storedNaNIsMarkedNotPlotted() {
    test::SyntheticOptions o;
    o.layers = 2;
    o.heads = 2;
    o.nanLossSteps = {1000};
    const QString dir = m_tmp.filePath(QStringLiteral("nan-loss"));
    test::writeSyntheticSeries(dir, o);
    const RunData run = readRun(dir);
    QCOMPARE(run.timeline(QStringLiteral("loss"), QStringLiteral("loss")).nonFiniteSteps,
             QVector<qint64>({1000}));
    const TimelineFigure f = buildTimelineFigure({RunView{&run, 7, Qt::blue}}, TimelineOptions{});
    const PlotSeries& loss = f.panels[0].series[0];
    QCOMPARE(loss.nonFiniteSteps, QVector<double>({1000.0}));
    for (const QPointF& p : loss.points) {
      QVERIFY(p.x() != 1000.0);
      QVERIFY(std::isfinite(p.y()));
    }

    Session session;
    CursorContext cursor;
    session.openNow(dir);
    TimelineStack stack(session, cursor);
    stack.rebuildNow();
    const PanelChart* chart = stack.view(PanelId::Loss)->panelChart();
    QVERIFY2(chart->readoutAt(1000).contains(QStringLiteral("held-out MLM loss NaN")),
             qPrintable(chart->readoutAt(1000)));
    QVERIFY(!chart->readoutAt(2000).contains(QStringLiteral("NaN")));
  }

  void stackFollowsCursorAndSharesZoom() {
    Session session;
    CursorContext cursor;
    session.openNow(m_series);
    TimelineStack stack(session, cursor);
    stack.resize(900, 700);
    stack.show();
    QVERIFY(QTest::qWaitForWindowExposed(&stack));
    stack.rebuildNow();
    for (int p = 0; p < kPanelCount; ++p)
      QCOMPARE(stack.view(static_cast<PanelId>(p))->isVisible(),
               panelShownByDefault(static_cast<PanelId>(p)));

    cursor.setStep(2000);
    for (int p = 0; p < kPanelCount; ++p)
      QCOMPARE(stack.view(static_cast<PanelId>(p))->panelChart()->cursorStep(), 2000.0);

    // Plot areas line up, so the cursor is one straight line.
    const double x0 = stack.view(PanelId::Loss)->panelChart()->mapping().stepToX(2000);
    const double x1 = stack.view(PanelId::TwoNN)->panelChart()->mapping().stepToX(2000);
    QCOMPARE(x0, x1);

    // The view draws the cursor over the chart (no scene item moves): in a
    // grab, the cursor colour appears down the plot at the cursor's column and
    // moves with it.
    PanelView* loss = stack.view(PanelId::Loss);
    const QColor want = loss->panelChart()->chartStyle().cursor;
    auto cursorRows = [&](double step) {
      QTest::qWait(50);
      const QImage img = loss->viewport()->grab().toImage();
      const double dpr = img.devicePixelRatio();
      const int x = qRound(loss->panelChart()->mapping().stepToX(step) * dpr);
      const QRectF plot = loss->panelChart()->plotArea();
      int hits = 0;
      for (int y = qCeil(plot.top() * dpr) + 2; y < qFloor(plot.bottom() * dpr) - 2; ++y) {
        bool near = false;
        for (int dx = -1; dx <= 1; ++dx) {
          const QColor c = img.pixelColor(x + dx, y);
          near = near ||
                 (std::abs(c.red() - want.red()) < 40 && std::abs(c.green() - want.green()) < 40 &&
                  std::abs(c.blue() - want.blue()) < 40);
        }
        hits += near;
      }
      return hits / std::max(1.0, (plot.height() * dpr - 4));
    };
    QVERIFY2(cursorRows(2000) > 0.8, "no cursor line at step 2000");
    cursor.setStep(1200);
    QVERIFY2(cursorRows(1200) > 0.8, "no cursor line at step 1200");
    QVERIFY2(cursorRows(2000) < 0.5, "the cursor line stayed at step 2000");
    cursor.setStep(2000);

    // Clicking a chart moves the cursor to the nearest checkpoint, for everyone.
    PanelView* uas = stack.view(PanelId::Uas);
    const StepAxisMapping m = uas->panelChart()->mapping();
    const QPoint at(qRound(m.stepToX(1180)), qRound(uas->panelChart()->plotArea().center().y()));
    QTest::mouseClick(uas->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(cursor.cursor().step, 1200);
    QCOMPARE(stack.view(PanelId::Blimp)->panelChart()->cursorStep(), 1200.0);

    // The wheel zooms every panel.
    QWheelEvent wheel(QPointF(at), uas->viewport()->mapToGlobal(QPointF(at)), QPoint(),
                      QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(uas->viewport(), &wheel);
    QVERIFY(stack.zoom().isZoomed());
    QCOMPARE(stack.view(PanelId::Loss)->panelChart()->mapping().range, stack.zoom().current());
    QVERIFY(stack.zoom().current().last - stack.zoom().current().first < 8000.0 * 0.7);
    // The view paints from a cached render of its chart: after the zoom
    // changed every axis and series, what it shows is what QGraphicsView's
    // own path draws now (render() goes through the scene, not the cache).
    for (PanelView* v : {loss, uas}) {
      QTest::qWait(50);
      const QImage shown = v->viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
      QImage direct(shown.size(), QImage::Format_RGB32);
      direct.setDevicePixelRatio(shown.devicePixelRatio());
      direct.fill(v->viewport()->palette().color(v->viewport()->backgroundRole()));
      {
        QPainter painter(&direct);
        painter.setRenderHints(v->renderHints());
        v->render(&painter, QRectF(QPointF(0, 0), QSizeF(v->viewport()->size())),
                  v->viewport()->rect());
      }
      int differ = 0;
      for (int y = 0; y < shown.height(); ++y)
        for (int x = 0; x < shown.width(); ++x) {
          const QColor a = shown.pixelColor(x, y), b = direct.pixelColor(x, y);
          differ += std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
                        std::abs(a.blue() - b.blue()) >
                    48;
        }
      QVERIFY2(differ < shown.width() * shown.height() / 200,
               qPrintable(QStringLiteral("%1 of %2 pixels differ")
                              .arg(differ)
                              .arg(shown.width() * shown.height())));
    }
    stack.zoom().reset();
    QCOMPARE(stack.view(PanelId::Loss)->panelChart()->mapping().range, (StepRange{0, 8000}));

    // The log toggle and the hover read-out.
    stack.logAxisAction()->trigger();
    stack.rebuildNow();
    QCOMPARE(stack.figure().scale, StepScale::Log);
    const QString readout = stack.view(PanelId::Uas)->panelChart()->readoutAt(1190);
    QVERIFY2(readout.startsWith(QStringLiteral("step 1.2k\nimplicit parse 0.")),
             qPrintable(readout));

    // Hiding a panel.
    stack.panelAction(PanelId::TwoNN)->trigger();
    stack.rebuildNow();
    QVERIFY(!stack.view(PanelId::TwoNN)->isVisible());
  }

  void nearestSteps() {
    const QVector<qint64> s{0, 100, 200, 1000};
    QCOMPARE(nearestStep(s, -5), 0);
    QCOMPARE(nearestStep(s, 149), 100);
    QCOMPARE(nearestStep(s, 151), 200);
    QCOMPARE(nearestStep(s, 5000), 1000);
  }
};

CHRYSALIS_QTEST_MAIN(TestUiTimeline)
#include "test_ui_timeline.moc"
