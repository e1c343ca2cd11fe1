// The BLiMP tab of the sentence browser: per-pair scores from a probe result,
// flips between two results, the table model and its filter under
// QAbstractItemModelTester, and on the bundled demo the texts found beside
// the series and the flips between two steps checked against a hand count
// from the stored PLLs (read with the format library, not the GUI's reader).
#include "common/step_axis.h"
#include "cursor/cursor_context.h"
#include "runs/session.h"
#include "sentences/blimp_filter.h"
#include "sentences/blimp_locator.h"
#include "sentences/blimp_model.h"
#include "sentences/blimp_panel.h"
#include "sentences/blimp_source.h"
#include "synthetic_series.h"
#include "ui_test_main.h"

#include "format/probe_store.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

BlimpScores scores(qint64 step, QVector<double> good, QVector<double> bad) {
  BlimpScores s;
  s.step = step;
  s.good = std::move(good);
  s.bad = std::move(bad);
  s.tasks = {QStringLiteral("task_a"), QStringLiteral("task_b")};
  s.phenomena = {QStringLiteral("agreement"), QStringLiteral("islands")};
  for (int p = 0; p < s.good.size(); ++p)
    s.task << (p < 2 ? 0 : 1);
  return s;
}

BlimpTexts texts(int n) {
  BlimpTexts t;
  for (int p = 0; p < n; ++p)
    t.pairs << BlimpPairText{p < 2 ? QStringLiteral("task_a") : QStringLiteral("task_b"),
                             {},
                             QString::number(p),
                             QStringLiteral("good %1").arg(p),
                             QStringLiteral("bad %1").arg(p)};
  return t;
}

const QString kDemo = QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/baseline");

// The demo series opened (not watched), its run and `step` under the cursor.
struct DemoCursor {
  Session session;
  CursorContext cursor;
  explicit DemoCursor(qint64 step) {
    session.setWatching(false);
    cursor.setRun(session.openNow(kDemo));
    cursor.setStep(step);
  }
};

} // namespace

class TestUiBlimp : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void flipsCompareCorrectness() {
    const BlimpScores before = scores(100, {-10, -5, -8, -3}, {-12, -4, -8, -9});
    const BlimpScores after = scores(200, {-10, -3, -7, -9}, {-12, -4, -8, -3});
    // pair 0 stays correct, 1 becomes correct, 2 (a tie before) becomes correct, 3 becomes wrong
    QCOMPARE(blimpFlips(before, after),
             (QVector<BlimpFlip>{BlimpFlip::None, BlimpFlip::BecameCorrect,
                                 BlimpFlip::BecameCorrect, BlimpFlip::BecameWrong}));
    QCOMPARE(after.correctCount(), 3);
    // Other pairs (another size) cannot flip.
    QCOMPARE(blimpFlips(scores(100, {1}, {0}), after), QVector<BlimpFlip>(4, BlimpFlip::None));
    QCOMPARE(blimpFlips({}, after), QVector<BlimpFlip>(4, BlimpFlip::None));
  }

  void scoresComeFromTheResultArrays() {
    StepArrays a;
    a.step = 300;
    a.arrays[QStringLiteral("blimp/pll_good")] = {{2}, {-1.0, -2.0}};
    a.arrays[QStringLiteral("blimp/pll_bad")] = {{2}, {-3.0, -1.0}};
    a.arrays[QStringLiteral("blimp/pair_task")] = {{2}, {0, 0}};
    a.strings[QStringLiteral("blimp/tasks")] = {QStringLiteral("t")};
    const BlimpScores s = blimpScoresFrom(a);
    QCOMPARE(s.size(), 2);
    QCOMPARE(s.step, 300);
    QVERIFY(s.correct(0));
    QVERIFY(!s.correct(1));
    a.arrays[QStringLiteral("blimp/pair_task")] = {{2}, {0, 5}}; // a task index out of range
    QVERIFY(blimpScoresFrom(a).isEmpty());
    QVERIFY(blimpScoresFrom(StepArrays{}).isEmpty());
  }

  void modelAndFilterPassTheTester() {
    BlimpModel model;
    BlimpFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester t1(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const BlimpScores before = scores(100, {-10, -5, -8, -3}, {-12, -4, -8, -9});
    const BlimpScores after = scores(200, {-10, -3, -7, -9}, {-12, -4, -8, -3});
    model.setContent(after, before, texts(4));
    QCOMPARE(model.rowCount(), 4);
    QVERIFY(model.hasTexts());
    QCOMPARE(model.index(1, BlimpModel::GoodColumn).data().toString(), QStringLiteral("good 1"));
    QCOMPARE(model.index(3, BlimpModel::BadColumn).data().toString(), QStringLiteral("bad 3"));
    QCOMPARE(model.index(3, BlimpModel::CorrectColumn).data(BlimpModel::CorrectRole).toBool(),
             false);
    QCOMPARE(model.index(0, BlimpModel::MarginColumn).data().toDouble(), 2.0);
    filter.setFlippedOnly(true);
    QCOMPARE(filter.rowCount(), 3);
    filter.setTask(QStringLiteral("task_b"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setTask({});
    filter.setPhenomenon(QStringLiteral("agreement"));
    QCOMPARE(filter.rowCount(), 1);
    // The next step: same rows, new flips; the filter follows.
    model.setContent(before, after, texts(4));
    QCOMPARE(filter.rowCount(), 1);
    filter.setPhenomenon({});
    filter.setFlippedOnly(false);
    // Texts of other pairs are not shown against these scores.
    model.setContent(scores(300, {-1, -1}, {-2, -2}), {}, texts(4));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(!model.hasTexts());
    QCOMPARE(model.index(1, BlimpModel::GoodColumn).data().toString(), QStringLiteral("pair 2"));
    QCOMPARE(filter.rowCount(), 2);
    model.setContent({}, {}, {});
    QCOMPARE(filter.rowCount(), 0);
  }

  void findsTheDemoBlimpFolder() {
    const QString dir = findBlimpDir(kDemo);
    QCOMPARE(
        QDir(dir).canonicalPath(),
        QDir(QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/data/blimp")).canonicalPath());
    QVERIFY(findBlimpDir(QDir::tempPath() + QStringLiteral("/no-such-series")).isEmpty());
  }

  // The demo's flips between two steps equal a count from the stored PLLs.
  void demoFlipsMatchTheStoredPlls() {
    DemoCursor demo(1500); // between results: the newest at or before it is 1,200
    Session& session = demo.session;
    CursorContext& cursor = demo.cursor;
    BlimpSource source(session, cursor);
    BlimpPanel panel(source);
    panel.show(); // a hidden panel's source reads nothing (checked below)
    QTRY_VERIFY_WITH_TIMEOUT(!source.isLoading() && !source.current().isEmpty() &&
                                 !source.previous().isEmpty() && !source.texts().pairs.isEmpty(),
                             20000);
    QCOMPARE(source.current().step, 1200);
    QCOMPARE(source.previous().step, 800);
    QVERIFY2(source.message().isEmpty(), qPrintable(source.message()));

    const format::ProbeStore store(kDemo.toStdString());
    const std::string hash = session.at(0).data.probe(QStringLiteral("blimp"))->hash.toStdString();
    const format::ProbeResult before = store.read(hash, 800), after = store.read(hash, 1200);
    const auto& g0 = before.arrays.at("blimp/pll_good").values;
    const auto& b0 = before.arrays.at("blimp/pll_bad").values;
    const auto& g1 = after.arrays.at("blimp/pll_good").values;
    const auto& b1 = after.arrays.at("blimp/pll_bad").values;
    QCOMPARE(static_cast<int>(g1.size()), 670); // 67 tasks x 10 pairs
    int up = 0, down = 0, correct = 0;
    QVector<BlimpFlip> hand;
    for (size_t p = 0; p < g1.size(); ++p) {
      const bool was = g0[p] > b0[p], is = g1[p] > b1[p];
      correct += is ? 1 : 0;
      up += !was && is ? 1 : 0;
      down += was && !is ? 1 : 0;
      hand << (was == is ? BlimpFlip::None
               : is      ? BlimpFlip::BecameCorrect
                         : BlimpFlip::BecameWrong);
    }
    QVERIFY2(up + down > 0, "the demo should have flips between these steps");
    QCOMPARE(panel.model()->flips(), hand);
    QCOMPARE(panel.model()->current().correctCount(), correct);
    QVERIFY(panel.model()->hasTexts());
    const QString header = panel.headline();
    QVERIFY2(header.contains(QStringLiteral("%1 of 670 correct").arg(correct)), qPrintable(header));
    QVERIFY2(
        header.contains(QStringLiteral("%1 flipped (\u2191 %2 now correct, \u2193 %3 now wrong)")
                            .arg(up + down)
                            .arg(up)
                            .arg(down)),
        qPrintable(header));
    panel.flippedOnlyBox()->setChecked(true);
    QCOMPARE(panel.filter()->rowCount(), up + down);

    // Each row's texts are a pair of its task's file.
    const BlimpTexts& t = source.texts();
    for (int p : {0, 333, 669}) {
      QFile f(QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/data/blimp/%1.jsonl")
                  .arg(t.pairs[p].task));
      QVERIFY(f.open(QIODevice::ReadOnly));
      const QByteArray all = f.readAll();
      QVERIFY(all.contains(t.pairs[p].good.toUtf8()));
      QVERIFY(all.contains(t.pairs[p].bad.toUtf8()));
      QCOMPARE(t.pairs[p].task,
               QString::fromStdString(after.strings.at("blimp/tasks")[static_cast<size_t>(
                   after.arrays.at("blimp/pair_task").values[static_cast<size_t>(p)])]));
    }

    // A phenomenon narrows the list and the counts.
    const int k = panel.groupBox()->findData(QStringLiteral("p:island_effects"));
    QVERIFY(k > 0);
    panel.flippedOnlyBox()->setChecked(false);
    panel.groupBox()->setCurrentIndex(k);
    QVERIFY(panel.filter()->rowCount() > 0);
    QVERIFY(panel.filter()->rowCount() < 670);
    QVERIFY(
        panel.headline().contains(QStringLiteral("of %1 correct").arg(panel.filter()->rowCount())));

    // The cursor moves: the first result has nothing to compare with.
    cursor.setStep(0);
    QTRY_VERIFY_WITH_TIMEOUT(source.current().step == 0, 10000);
    QVERIFY(panel.headline().contains(QStringLiteral("no earlier BLiMP result")));

    // Hidden (another tab, the dock closed), the panel's source follows the
    // cursor no further and reads nothing; shown again, it catches up.
    panel.hide();
    QVERIFY(!source.isActive());
    cursor.setStep(1500);
    QTest::qWait(100);
    QCOMPARE(source.currentStep(), 0);
    QCOMPARE(source.current().step, 0);
    panel.show();
    QVERIFY(source.isActive());
    QCOMPARE(source.currentStep(), 1200);
    QTRY_VERIFY_WITH_TIMEOUT(source.current().step == 1200, 10000);
  }

  // Scrubbing: while the next result is read, the pairs shown stay (no empty
  // list, no model reset between steps) and isLoading() says a newer step
  // is on its way; then they are that step's.
  void pairsStayWhileTheNextStepIsRead() {
    DemoCursor demo(1500);
    Session& session = demo.session;
    CursorContext& cursor = demo.cursor;
    BlimpSource source(session, cursor);
    BlimpPanel panel(source);
    panel.show();
    QTRY_VERIFY_WITH_TIMEOUT(!source.isLoading() && !source.current().isEmpty(), 20000);
    QCOMPARE(source.current().step, 1200);
    const int rows = panel.model()->rowCount();
    QVERIFY(rows > 0);
    QSignalSpy resets(panel.model(), &QAbstractItemModel::modelReset);
    QSignalSpy changes(panel.model(), &QAbstractItemModel::dataChanged);
    const qint64 last = session.at(0).data.probe(QStringLiteral("blimp"))->steps.last();
    QVERIFY(last > 2000);
    cursor.setStep(last); // far: not read ahead, so not read yet
    QVERIFY(source.isLoading());
    QCOMPARE(source.current().step, 1200);
    QCOMPARE(panel.model()->rowCount(), rows);
    QTRY_COMPARE_WITH_TIMEOUT(source.current().step, last, 20000);
    QVERIFY(!source.isLoading());
    QCOMPARE(panel.model()->rowCount(), rows);
    QCOMPARE(resets.size(), 0);
    // The same pairs and texts: only the step's columns are repainted.
    QVERIFY(!changes.isEmpty());
    for (const QList<QVariant>& c : changes) {
      QCOMPARE(c[0].toModelIndex().column(), int(BlimpModel::CorrectColumn));
      QCOMPARE(c[1].toModelIndex().column(), int(BlimpModel::MarginColumn));
      QCOMPARE(c[1].toModelIndex().row(), rows - 1);
    }
    QVERIFY2(panel.headline().startsWith(
                 QStringLiteral("Step %1:").arg(formatStep(static_cast<double>(last)))),
             qPrintable(panel.headline()));
  }

  // A step whose result cannot be read shows the error and no pairs: not
  // the previous step's, which stay only while a step is being read.
  void unreadableStepShowsNoPairsOfAnother() {
    QTemporaryDir tmp;
    test::SyntheticOptions o;
    o.layers = 2;
    o.heads = 2;
    o.pairsPerTask = 3;
    const QString dir = tmp.filePath(QStringLiteral("run"));
    test::writeSyntheticSeries(dir, o);
    Session session;
    session.setWatching(false);
    CursorContext cursor;
    cursor.setRun(session.openNow(dir));
    const ProbeSeries* blimp = session.at(0).data.probe(QStringLiteral("blimp"));
    QVERIFY(blimp && blimp->steps.size() > 5);
    const qint64 good = blimp->steps[1], bad = blimp->steps.last();
    // Damaged after the run was listed: the read fails, not the listing.
    const QString badFile = QString::fromStdString(
        format::ProbeStore(dir.toStdString()).resultPath(blimp->hash.toStdString(), bad).string());
    QFile f(badFile);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.resize(100));
    f.close();
    cursor.setStep(good);
    BlimpSource source(session, cursor);
    source.setActive(true);
    QTRY_COMPARE_WITH_TIMEOUT(source.current().step, good, 20000);
    cursor.setStep(bad);
    QCOMPARE(source.current().step, good); // kept while the read runs
    QTRY_VERIFY2_WITH_TIMEOUT(source.message().startsWith(QStringLiteral("Cannot read the BLiMP")),
                              qPrintable(source.message()), 5000);
    QVERIFY(source.current().isEmpty());
    cursor.setStep(good); // readable again: its pairs come back
    QTRY_COMPARE_WITH_TIMEOUT(source.current().step, good, 20000);
  }

  void wrongFolderIsRefused() {
    DemoCursor demo(2000);
    Session& session = demo.session;
    CursorContext& cursor = demo.cursor;
    BlimpSource source(session, cursor);
    // Only one task's file: another pair list, another hash.
    QTemporaryDir tmp;
    QVERIFY(QFile::copy(
        QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/data/blimp/adjunct_island.jsonl"),
        tmp.filePath(QStringLiteral("adjunct_island.jsonl"))));
    source.chooseDir(tmp.path());
    QTRY_VERIFY_WITH_TIMEOUT(!source.isLoading() && !source.current().isEmpty(), 20000);
    QVERIFY2(source.message().contains(QStringLiteral("not the pairs")),
             qPrintable(source.message()));
    QVERIFY(source.texts().pairs.isEmpty());
  }
};

CHRYSALIS_QTEST_MAIN(TestUiBlimp)
#include "test_ui_blimp.moc"
