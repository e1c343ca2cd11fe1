// Timelines beyond the paper's four panels: seed groups drawn as mean and
// min–max band, the on-demand context-window and attention-distance panels,
// and the onsets' bootstrap intervals drawn as bands.
#include "cursor/cursor_context.h"
#include "data/item_scores.h"
#include "data/onset_intervals.h"
#include "data/run_reader.h"
#include "data/seed_group_key.h"
#include "data/seed_mean.h"
#include "format/probe_store.h"
#include "onset/bootstrap.h"
#include "runs/run_colours.h"
#include "runs/seed_groups.h"
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
#include <QSet>
#include <QToolTip>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QLineSeries>

#include <algorithm>
#include <cmath>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

const QString kDemo = QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/baseline");

const PanelModel* findPanel(const TimelineFigure& f, PanelId id) {
  for (const auto& p : f.panels)
    if (p.id == id) return &p;
  return nullptr;
}

const PlotSeries* findSeries(const PanelModel& panel, const QString& metric, const QString& run) {
  for (const auto& s : panel.series)
    if (s.metric == metric && s.runLabel == run) return &s;
  return nullptr;
}

double yAt(const QVector<QPointF>& points, double step) {
  for (const QPointF& p : points)
    if (p.x() == step) return p.y();
  return std::nan("");
}

QList<QAreaSeries*> areas(PanelChart* chart, const QString& name) {
  QList<QAreaSeries*> out;
  for (QAbstractSeries* s : chart->series())
    if (auto* a = qobject_cast<QAreaSeries*>(s); a && a->name() == name) out << a;
  return out;
}

bool shown(TimelineStack& stack, int height) {
  stack.resize(900, height);
  stack.show();
  return QTest::qWaitForWindowExposed(&stack);
}

const OnsetMarker* markerOf(const TimelineFigure& f, const QString& run, OnsetMarker::Kind kind) {
  for (const auto& m : f.markers)
    if (m.runLabel == run && m.kind == kind) return &m;
  return nullptr;
}

// A run's per-item scores read with the format library alone (not the GUI's
// reader): per-sentence UAS weighted by words, per-pair BLiMP by 1 / pairs in its task.
onset::ItemScores storeItems(const QString& dir, const QString& hash, bool uas) {
  format::ProbeStore store(dir.toStdString());
  std::vector<int64_t> steps;
  std::vector<double> values, weights;
  for (int64_t step : store.steps(hash.toStdString())) {
    const auto r = store.read(hash.toStdString(), step);
    const auto& a = r.arrays.at(uas ? "uas/sentence_correct" : "blimp/pll_good").values;
    const auto& b = r.arrays.at(uas ? "uas/sentence_words" : "blimp/pll_bad").values;
    weights.clear();
    for (size_t i = 0; i < a.size(); ++i) {
      values.push_back(uas ? a[i] / b[i] : (a[i] > b[i] ? 1.0 : 0.0));
      weights.push_back(uas ? b[i] : 1.0 / 20); // 20 pairs per task
    }
    steps.push_back(step);
  }
  return {onset::CheckpointMatrix(steps, weights.size(), values), weights};
}

QString csvOf(const TimelineFigure& f) {
  QBuffer csv;
  csv.open(QIODevice::WriteOnly);
  writeTimelineCsv(f, csv);
  return QString::fromUtf8(csv.data());
}

} // namespace

class TestUiTimelineExtras : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;
  QStringList m_seeds; // three seeds of one configuration
  QString m_other;     // another schedule

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    test::SyntheticOptions o;
    o.layers = 4;
    o.heads = 4;
    o.lastStep = 3000;
    o.noise = 0.02; // seeds visibly apart
    for (uint64_t seed : {1, 2, 3}) {
      o.seed = seed;
      o.label = QStringLiteral("synthetic baseline seed %1").arg(seed);
      m_seeds << m_tmp.filePath(QStringLiteral("seed%1").arg(seed));
      test::writeSyntheticSeries(m_seeds.last(), o);
    }
    o.seed = 1;
    o.schedule = QStringLiteral("sas-");
    o.label = QStringLiteral("synthetic sas- seed 1");
    m_other = m_tmp.filePath(QStringLiteral("other"));
    test::writeSyntheticSeries(m_other, o);
  }

  void labelsWithoutSeed_data() {
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("expected");
    QTest::addRow("suffix") << QStringLiteral("baseline seed 2") << QStringLiteral("baseline");
    QTest::addRow("brackets") << QStringLiteral("demo baseline (seed 1)")
                              << QStringLiteral("demo baseline");
    QTest::addRow("equals") << QStringLiteral("sas-minus, seed=3") << QStringLiteral("sas-minus");
    QTest::addRow("none") << QStringLiteral("baseline") << QStringLiteral("baseline");
    QTest::addRow("only seed") << QStringLiteral("seed 4") << QStringLiteral("seed 4");
  }
  void labelsWithoutSeed() {
    QFETCH(QString, label);
    QFETCH(QString, expected);
    QCOMPARE(labelWithoutSeed(label), expected);
  }

  void seedGroups() {
    Session session;
    session.setWatching(false);
    for (const QString& dir : m_seeds)
      session.openNow(dir);
    session.openNow(m_other);
    // Seeds, labels and folders differ; the key does not.
    QVERIFY(!session.at(0).data.seedGroupKey.isEmpty());
    QCOMPARE(session.at(1).data.seedGroupKey, session.at(0).data.seedGroupKey);
    QCOMPARE(session.at(2).data.seedGroupKey, session.at(0).data.seedGroupKey);
    QVERIFY(session.at(3).data.seedGroupKey != session.at(0).data.seedGroupKey);

    const auto groups = groupBySeed(session.visibleRuns());
    QCOMPARE(groups.size(), 2);
    QCOMPARE(groups[0].size(), 3);
    QCOMPARE(groups[1].size(), 1);
    QCOMPARE(groups[1].first()->data.label, QStringLiteral("synthetic sas- seed 1"));
    const QString label = QStringLiteral("synthetic baseline (3 seeds)");
    QCOMPARE(seedGroupLabel(groups[0]), label);

    CursorContext cursor;
    TimelineStack stack(session, cursor);
    QVERIFY(shown(stack, 900));
    stack.rebuildNow();
    // Off (the default): every run on its own.
    QCOMPARE(findPanel(stack.figure(), PanelId::Uas)->series.size(), 4 * 3);

    stack.groupBySeedAction()->setChecked(true);
    stack.rebuildNow();
    const PanelModel* uas = findPanel(stack.figure(), PanelId::Uas);
    QVERIFY(uas);
    QCOMPARE(uas->series.size(), 2 * 3); // the group and the single run
    const PlotSeries* mean = findSeries(*uas, QStringLiteral("uas"), label);
    const PlotSeries* single =
        findSeries(*uas, QStringLiteral("uas"), QStringLiteral("synthetic sas- seed 1"));
    QVERIFY(mean && single);
    QVERIFY(single->bandLow.isEmpty());
    QCOMPARE(mean->colour, runColour(session.at(0))); // the group's first run's colour

    // The mean and the band at a step, by hand.
    for (double step : {0.0, 1000.0, 1200.0, 3000.0}) {
      double v[3];
      for (int i = 0; i < 3; ++i)
        v[i] = session.at(i)
                   .data.timeline(QStringLiteral("uas"), QStringLiteral("uas"))
                   .valueAt(qint64(step));
      QVERIFY(std::abs(yAt(mean->points, step) - (v[0] + v[1] + v[2]) / 3.0) < 1e-12);
      QCOMPARE(yAt(mean->bandLow, step), std::min({v[0], v[1], v[2]}));
      QCOMPARE(yAt(mean->bandHigh, step), std::max({v[0], v[1], v[2]}));
      QVERIFY(yAt(mean->bandLow, step) < yAt(mean->bandHigh, step));
    }
    // The band is drawn, the onsets are the mean curve's, the CSV holds the band.
    PanelChart* chart = stack.view(PanelId::Uas)->panelChart();
    QCOMPARE(areas(chart, QStringLiteral("implicit parse band")).size(), 1);
    bool groupMarker = false;
    for (const auto& m : stack.figure().markers)
      groupMarker = groupMarker || m.runLabel == label;
    QVERIFY(groupMarker);
    const QString csv = csvOf(stack.figure());
    QVERIFY(csv.contains(QStringLiteral("UAS (syntactic attention structure),uas,") + label +
                         QStringLiteral(",band_min,1000,")));
    QVERIFY(csv.contains(label + QStringLiteral(",band_max,1000,")));

    // Smoothing smooths the band with the mean; the hover read-out gives it.
    stack.setOptions([&] {
      TimelineOptions o = stack.options();
      o.smoothing = 0.1;
      return o;
    }());
    stack.rebuildNow();
    mean = findSeries(*findPanel(stack.figure(), PanelId::Uas), QStringLiteral("uas"), label);
    QVERIFY(mean->smoothed && mean->bandLow.size() == mean->points.size());
    stack.setOptions([&] {
      TimelineOptions o = stack.options();
      o.smoothing = 0.0;
      return o;
    }());
    stack.rebuildNow();
    const QString readout = stack.view(PanelId::Uas)->panelChart()->readoutAt(1000);
    QVERIFY2(readout.contains(label + QStringLiteral(": implicit parse 0.")) &&
                 readout.contains(QLatin1Char('[')),
             qPrintable(readout));

    // The choice is a view setting, kept across sessions.
    QSettings settings(m_tmp.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    stack.saveSettings(settings);
    TimelineStack again(session, cursor);
    QVERIFY(!again.groupBySeedAction()->isChecked());
    again.restoreSettings(settings);
    QVERIFY(again.groupBySeedAction()->isChecked());
  }

  // A seed group's onsets get intervals from one draw of items per resample
  // for every seed: checked against the core bootstrap on items read straight
  // from the probe stores, and, for two copies of one seed, against that
  // seed's own interval. Seeds on different probe sets get none, and say why.
  void seedGroupIntervals() {
    test::SyntheticOptions o;
    o.layers = 2;
    o.heads = 2;
    o.lastStep = 3000;
    o.kinds = {QStringLiteral("uas"), QStringLiteral("blimp")};
    o.sentences = 60;
    o.pairsPerTask = 20;
    auto write = [&](const QString& name, uint64_t seed, const QString& probeSet) {
      test::SyntheticOptions w = o;
      w.seed = seed;
      w.probeSet = probeSet;
      w.label = QStringLiteral("items seed %1").arg(seed);
      const QString dir = m_tmp.filePath(name);
      test::writeSyntheticSeries(dir, w);
      return dir;
    };
    const QString set = QStringLiteral("0123456789abcdef");
    const QStringList seeds = {write(QStringLiteral("items1"), 1, set),
                               write(QStringLiteral("items2"), 2, set)};
    const QString group = QStringLiteral("items (2 seeds)");

    // The figure with the runs grouped, once the group's interval is in (when `wait`).
    auto groupFigure = [&](const QStringList& dirs, bool wait) {
      Session session;
      session.setWatching(false);
      for (const QString& d : dirs)
        session.openNow(d);
      CursorContext cursor;
      TimelineStack stack(session, cursor);
      stack.groupBySeedAction()->setChecked(true);
      stack.rebuildNow();
      if (wait) // the checks on the figure say what did not arrive
        static_cast<void>(QTest::qWaitFor(
            [&] {
              const OnsetMarker* m = markerOf(stack.figure(), group, OnsetMarker::Structure);
              return m && m->hasInterval();
            },
            30000));
      stack.rebuildNow();
      return stack.figure();
    };

    // Two seeds, against the core bootstrap on the stores' items.
    const TimelineFigure f = groupFigure(seeds, true);
    const RunData first = readRun(seeds[0]);
    std::vector<onset::ItemScores> uas, blimp;
    for (const QString& dir : seeds) {
      uas.push_back(storeItems(dir, first.kindHash[QStringLiteral("uas")], true));
      blimp.push_back(storeItems(dir, first.kindHash[QStringLiteral("blimp")], false));
    }
    onset::BootstrapOptions bo;
    bo.resamples = 200;
    bo.seed = 0;
    const onset::BootstrapReport want = onset::bootstrapSeedOnsets(uas, blimp, {}, bo);
    const OnsetMarker* structure = markerOf(f, group, OnsetMarker::Structure);
    QVERIFY(structure && structure->hasInterval());
    QVERIFY(want.report.structure && want.report.structure->lowStep);
    QCOMPARE(structure->step, want.report.structure->step);
    QCOMPARE(structure->lowStep, *want.report.structure->lowStep);
    QCOMPARE(structure->highStep, *want.report.structure->highStep);
    QVERIFY(structure->lowStep < structure->highStep); // the seeds' noise moves it
    QVERIFY2(structure->text.endsWith(QStringLiteral(" [%1, %2]")
                                          .arg(formatStep(double(structure->lowStep)),
                                               formatStep(double(structure->highStep)))),
             qPrintable(structure->text));
    if (const OnsetMarker* c = markerOf(f, group, OnsetMarker::Capabilities);
        c && c->hasInterval()) {
      QVERIFY(want.report.capabilities);
      QCOMPARE(c->lowStep, *want.report.capabilities->lowStep);
      QCOMPARE(c->highStep, *want.report.capabilities->highStep);
    }
    QVERIFY(csvOf(f).contains(
        QStringLiteral("all,onset:structure,%1,onset_low,%2,").arg(group).arg(structure->lowStep)));

    // Two copies of one seed: the group's interval is that seed's own.
    const QString copy = m_tmp.filePath(QStringLiteral("items1-copy"));
    test::SyntheticOptions c = o;
    c.seed = 1;
    c.label = QStringLiteral("items seed 1");
    test::writeSyntheticSeries(copy, c);
    const TimelineFigure copies = groupFigure({seeds[0], copy}, true);
    const RunOnsets own = readRunIntervals(first, {});
    QVERIFY(own.structure && own.structure->lowStep);
    const OnsetMarker* copied = markerOf(copies, group, OnsetMarker::Structure);
    QVERIFY(copied && copied->hasInterval());
    QCOMPARE(copied->lowStep, *own.structure->lowStep);
    QCOMPARE(copied->highStep, *own.structure->highStep);

    // A seed probed on another probe set: no interval, and the tooltip says why.
    const QString other = write(QStringLiteral("items3"), 3, QStringLiteral("fedcba9876543210"));
    const TimelineFigure mixed = groupFigure({seeds[0], other}, false);
    const OnsetMarker* m = markerOf(mixed, group, OnsetMarker::Structure);
    QVERIFY(m);
    QVERIFY(!m->hasInterval());
    QVERIFY2(m->tooltip.contains(QStringLiteral("No bootstrap interval: the seeds' uas results "
                                                "come from different probe sets")),
             qPrintable(m->tooltip));
  }

  void contextWindowAndAttentionPanels() {
    Session session;
    session.setWatching(false);
    session.openNow(kDemo);
    const RunData& run = session.at(0).data;
    CursorContext cursor;
    TimelineStack stack(session, cursor);
    QVERIFY(shown(stack, 1100));
    stack.rebuildNow();
    // On demand: hidden until shown.
    QVERIFY(!findPanel(stack.figure(), PanelId::ContextWindow));
    QVERIFY(!stack.view(PanelId::ContextWindow)->isVisible());
    QVERIFY(!stack.panelAction(PanelId::ContextWindow)->isChecked());

    stack.panelAction(PanelId::ContextWindow)->trigger();
    stack.panelAction(PanelId::AttentionDistance)->trigger();
    stack.rebuildNow();
    QVERIFY(stack.view(PanelId::ContextWindow)->isVisible());
    const PanelModel* ngram = findPanel(stack.figure(), PanelId::ContextWindow);
    QVERIFY(ngram);
    QCOMPARE(ngram->series.size(), 9);
    QSet<QRgb> colours;
    for (int n = 2; n <= 10; ++n) {
      const PlotSeries& s = ngram->series[n - 2];
      QCOMPARE(s.metric, QStringLiteral("ngram_%1").arg(n));
      QCOMPARE(s.name, QStringLiteral("n = %1").arg(n));
      colours.insert(s.colour.rgb());
      const Timeline t = run.timeline(QStringLiteral("ngram"), s.metric);
      QVERIFY(!t.isEmpty());
      QCOMPARE(s.points.size(), t.steps.size());
      for (int i = 0; i < t.steps.size(); ++i) {
        QCOMPARE(s.points[i].x(), double(t.steps[i]));
        QCOMPARE(s.points[i].y(), t.values[i]);
      }
    }
    QCOMPARE(colours.size(), 9); // a ramp: one colour per n
    // Light to dark: longer contexts are darker.
    QVERIFY(ngram->series.first().colour.lightnessF() > ngram->series.last().colour.lightnessF());

    // The UAS panel's reference: the per-relation offset baseline, with the
    // number of words it is scored on in its legend.
    const PanelModel* uas = findPanel(stack.figure(), PanelId::Uas);
    QVERIFY(uas);
    const auto reference =
        std::find_if(uas->series.cbegin(), uas->series.cend(), [](const PlotSeries& s) {
          return s.metric == QLatin1String("uas_relation_offset_baseline");
        });
    QVERIFY(reference != uas->series.cend());
    const qint64 words = static_cast<qint64>(
        run.timeline(QStringLiteral("uas"), QStringLiteral("uas_words")).values.last());
    QVERIFY(words > 1000);
    QCOMPARE(reference->name, QStringLiteral("per-relation offset baseline (%1 words)").arg(words));

    const PanelModel* attn = findPanel(stack.figure(), PanelId::AttentionDistance);
    QVERIFY(attn);
    QCOMPARE(attn->series.size(), 4);
    QCOMPARE(attn->series[0].metric, QStringLiteral("attn_distance"));
    QCOMPARE(attn->series[1].metric, QStringLiteral("attn_entropy"));
    QCOMPARE(attn->series[2].metric, QStringLiteral("attn_entropy_full"));
    QCOMPARE(attn->series[3].metric, QStringLiteral("attn_sink_share"));
    QCOMPARE(attn->series[0].points.last().y(),
             run.timeline(QStringLiteral("attn"), QStringLiteral("attn_distance")).values.last());

    // They take part in the cursor, the read-out, the zoom and the export.
    cursor.setStep(1000);
    QCOMPARE(stack.view(PanelId::ContextWindow)->panelChart()->cursorStep(), 1000.0);
    const QString readout = stack.view(PanelId::ContextWindow)->panelChart()->readoutAt(1000);
    QVERIFY2(readout.startsWith(QStringLiteral("step 1k\nn = 2 0.")) &&
                 readout.contains(QStringLiteral("n = 10 ")),
             qPrintable(readout));
    stack.zoom().zoomTo({200, 800});
    QCOMPARE(stack.view(PanelId::ContextWindow)->panelChart()->mapping().range,
             (StepRange{200, 800}));
    QCOMPARE(stack.view(PanelId::AttentionDistance)->panelChart()->mapping().range,
             (StepRange{200, 800}));
    stack.logAxisAction()->trigger();
    stack.rebuildNow();
    QCOMPARE(stack.view(PanelId::ContextWindow)->panelChart()->mapping().scale, StepScale::Log);
    const QString csv = csvOf(stack.figure());
    QVERIFY(csv.contains(
        QStringLiteral("Context window (n-gram MLM accuracy),ngram_10,baseline,measured,")));
    QVERIFY(csv.contains(QStringLiteral(
        "\"Attention distance, entropy and sink share\",attn_entropy,baseline,measured,")));
    QVERIFY(csv.contains(QStringLiteral(
        "\"Attention distance, entropy and sink share\",attn_sink_share,baseline,measured,")));

    // Shown on-demand panels are remembered; new settings keep them hidden.
    QSettings settings(m_tmp.filePath(QStringLiteral("panels.ini")), QSettings::IniFormat);
    // The detector chosen comes back, the last one of the list included
    // (restoring clamped it to the first three when a fourth was added).
    TimelineOptions withFit = stack.options();
    withFit.onsets.detector = OnsetDetector::ThreeSegmentFit;
    stack.setOptions(withFit);
    stack.saveSettings(settings);
    TimelineStack again(session, cursor);
    again.restoreSettings(settings);
    QVERIFY(again.options().panelVisible[static_cast<int>(PanelId::ContextWindow)]);
    QCOMPARE(again.options().onsets.detector, OnsetDetector::ThreeSegmentFit);
    QSettings fresh(m_tmp.filePath(QStringLiteral("fresh.ini")), QSettings::IniFormat);
    again.restoreSettings(fresh);
    QVERIFY(!again.options().panelVisible[static_cast<int>(PanelId::ContextWindow)]);
    QVERIFY(again.options().panelVisible[static_cast<int>(PanelId::TwoNN)]);
  }

  void onsetConfidenceBands() {
    Session session;
    session.setWatching(false);
    session.openNow(kDemo);
    CursorContext cursor;
    TimelineStack stack(session, cursor);
    QVERIFY(shown(stack, 900));
    QVERIFY(stack.confidenceBandsAction()->isChecked());
    stack.rebuildNow(); // requests the bootstrap; the GUI thread does not wait for it
    auto structure = [&]() -> const OnsetMarker* {
      for (const auto& m : stack.figure().markers)
        if (m.kind == OnsetMarker::Structure) return &m;
      return nullptr;
    };
    QVERIFY(structure());
    QTRY_VERIFY_WITH_TIMEOUT(structure() && structure()->hasInterval(), 30000);
    const OnsetMarker m = *structure();
    QVERIFY2(m.lowStep <= m.step && m.step <= m.highStep,
             qPrintable(QStringLiteral("%1 [%2, %3]").arg(m.step).arg(m.lowStep).arg(m.highStep)));
    QVERIFY2(
        m.text.endsWith(QStringLiteral(" [%1, %2]")
                            .arg(formatStep(double(m.lowStep)), formatStep(double(m.highStep)))),
        qPrintable(m.text));
    QVERIFY(m.tooltip.contains(QStringLiteral("bootstrap interval")));
    QVERIFY(stack.figure().onsetCaption.contains(m.text));

    // Drawn as a whisker from low to high in every panel; the full-height
    // band only while its marker is hovered (issue 16 item 11).
    for (PanelId id : {PanelId::Uas, PanelId::Loss}) {
      PanelChart* chart = stack.view(id)->panelChart();
      bool found = false;
      for (QAreaSeries* band : areas(chart, QStringLiteral("onset-interval"))) {
        const QList<QPointF> upper = band->upperSeries()->points();
        QCOMPARE(upper.size(), 2);
        if (upper[0].x() != double(m.lowStep) || upper[1].x() != double(m.highStep)) continue;
        const QList<QPointF> lower = band->lowerSeries()->points();
        QVERIFY(lower[0].y() < upper[0].y());
        QVERIFY(!band->isVisible());
        const OnsetMarker* shown = nullptr;
        for (const OnsetMarker& candidate : chart->markers())
          if (candidate.step == m.step && candidate.kind == m.kind) shown = &candidate;
        QVERIFY(shown);
        chart->showIntervalOf(shown);
        QVERIFY(band->isVisible());
        chart->showIntervalOf(nullptr);
        QVERIFY(!band->isVisible());
        found = true;
      }
      QVERIFY2(found, qPrintable(panelTitle(id)));
      bool whisker = false;
      for (QAbstractSeries* s : chart->series()) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (!line || line->name() != QLatin1String("onset-interval-whisker")) continue;
        double lo = 1e300, hi = -1e300;
        for (const QPointF& p : line->points()) {
          lo = std::min(lo, p.x());
          hi = std::max(hi, p.x());
        }
        whisker = whisker || (lo == double(m.lowStep) && hi == double(m.highStep));
      }
      QVERIFY2(whisker, qPrintable(panelTitle(id)));
    }
    const QString csv = csvOf(stack.figure());
    QVERIFY(
        csv.contains(QStringLiteral("all,onset:structure,baseline,onset_low,%1,").arg(m.lowStep)));

    // The same as the pure function on the same items (the CLI's resampling).
    const OnsetSettings settings = stack.options().onsets;
    const RunOnsets* result = stack.onsetIntervals().result(session.at(0).data.dir, settings);
    QVERIFY(result && result->structure);
    QCOMPARE(qint64(*result->structure->lowStep), m.lowStep);

    // Another detector: the old intervals are not shown for it; new ones come.
    TimelineOptions o = stack.options();
    o.onsets.detector = OnsetDetector::LogStepSmoothed;
    stack.setOptions(o);
    QVERIFY(!stack.onsetIntervals().result(session.at(0).data.dir, o.onsets));
    QTRY_VERIFY_WITH_TIMEOUT(stack.onsetIntervals().result(session.at(0).data.dir, o.onsets),
                             30000);

    // Off: no bands.
    stack.confidenceBandsAction()->setChecked(false);
    stack.rebuildNow();
    for (const auto& marker : stack.figure().markers)
      QVERIFY(!marker.hasInterval());
    QVERIFY(
        areas(stack.view(PanelId::Uas)->panelChart(), QStringLiteral("onset-interval")).isEmpty());
  }

  // Issue 16 item 11: a cursor on the first or last step is inside the frame,
  // the read-out box keeps to the half away from the step read, and hovering
  // an onset marker shows its tooltip and its full band.
  void cursorEdgesReadoutAndMarkerTooltip() {
    Session session;
    session.setWatching(false);
    session.openNow(kDemo);
    CursorContext cursor;
    TimelineStack stack(session, cursor);
    stack.resize(900, 700);
    stack.show();
    QVERIFY(QTest::qWaitForWindowExposed(&stack));
    stack.rebuildNow();
    PanelView* view = stack.view(PanelId::Loss);
    PanelChart* chart = view->panelChart();
    const QRectF plot = chart->plotArea();
    const StepAxisMapping m = chart->mapping();
    const QVector<qint64> steps = session.at(0).data.allSteps();
    QVERIFY(m.stepToX(double(steps.first())) >= plot.left() + 3.0);
    QVERIFY(m.stepToX(double(steps.last())) <= plot.right() - 3.0);

    chart->setReadout(QStringLiteral("step 0: MLM loss 9.1"), double(steps.first()));
    QVERIFY(chart->readoutRect().left() > plot.center().x());
    chart->setReadout(QStringLiteral("step 4k: MLM loss 5.4"), double(steps.last()));
    QVERIFY(chart->readoutRect().right() < plot.center().x());
    chart->setReadout({});

    const OnsetMarker* structure = nullptr;
    for (const OnsetMarker& marker : chart->markers())
      if (marker.kind == OnsetMarker::Structure) structure = &marker;
    QVERIFY(structure);
    const QPointF inChart(m.stepToX(double(structure->step)), plot.top() + 4.0); // on the ▲
    const QPoint at = view->mapFromScene(chart->mapToScene(inChart));
    QTest::mouseMove(view->viewport(), at);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 3000);
    QCOMPARE(QToolTip::text(), structure->tooltip);
  }

  void itemsFromArrays() {
    StepArrays a;
    a.arrays.insert(QStringLiteral("uas/sentence_correct"), {{3}, {1, 2, 0}});
    a.arrays.insert(QStringLiteral("uas/sentence_words"), {{3}, {2, 4, 0}});
    QVector<double> row, weights;
    QVERIFY(uasItems(a, &row, &weights));
    QCOMPARE(row[0], 0.5);
    QCOMPARE(row[1], 0.5);
    QVERIFY(std::isnan(row[2]));
    QCOMPARE(weights, (QVector<double>{2, 4, 0}));
    StepArrays b;
    b.arrays.insert(QStringLiteral("blimp/pll_good"), {{3}, {-1, -5, -2}});
    b.arrays.insert(QStringLiteral("blimp/pll_bad"), {{3}, {-2, -4, -3}});
    b.arrays.insert(QStringLiteral("blimp/pair_task"), {{3}, {0, 0, 1}});
    row.clear();
    weights.clear();
    QVERIFY(blimpItems(b, &row, &weights));
    QCOMPARE(row, (QVector<double>{1, 0, 1}));
    QCOMPARE(weights, (QVector<double>{0.5, 0.5, 1}));
    row.clear();
    QVERIFY(!uasItems(b, &row, &weights));
  }
};

CHRYSALIS_QTEST_MAIN(TestUiTimelineExtras)
#include "test_ui_timeline_extras.moc"
