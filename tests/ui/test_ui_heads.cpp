// Head grids as data: quantities built from probe arrays, differences on a
// symmetric range, colour maps, the cell layout's hit tests, and which result
// step the grid reads for a cursor step.
#include "cursor/cursor_context.h"
#include "data/run_reader.h"
#include "heads/color_map.h"
#include "heads/head_grid.h"
#include "heads/head_grid_feed.h"
#include "heads/head_grid_painter.h"
#include "heads/head_grid_source.h"
#include "runs/session.h"
#include "synthetic_series.h"
#include "ui_test_main.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <cmath>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {
// A 2-layer, 3-head probe result with two relations.
StepArrays tiny() {
  StepArrays a;
  a.step = 1000;
  ArrayValue acc;
  acc.shape = {2, 3, 2, 2};
  for (int i = 0; i < 24; ++i)
    acc.values << i / 24.0;
  a.arrays.insert(QStringLiteral("uas/accuracy"), acc);
  a.strings.insert(QStringLiteral("uas/relations"),
                   {QStringLiteral("nsubj"), QStringLiteral("obj")});
  ArrayValue best;
  best.shape = {2, 3};
  best.values = {0.1, 0.2, 0.3, 0.4, 0.5, std::nan("")};
  a.arrays.insert(QStringLiteral("uas/head_best"), best);
  ArrayValue entropy;
  entropy.shape = {2, 3};
  entropy.values = {3.9, 1.2, 2.0, 2.2, 0.8, 4.1};
  a.arrays.insert(QStringLiteral("attn/entropy"), entropy);
  return a;
}
} // namespace

class TestUiHeads : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void quantities() {
    const StepArrays a = tiny();
    QString error;
    const HeadGrid best = headGridFrom(a, {}, &error);
    QVERIFY(best.isValid());
    QCOMPARE(best.layers, 2);
    QCOMPARE(best.heads, 3);
    QCOMPARE(best.at(1, 1), 0.5);
    QVERIFY(std::isnan(best.at(1, 2)));
    QCOMPARE(best.hi, 1.0);

    HeadQuery q{HeadQuantity::Relation, QStringLiteral("obj"), 1};
    const HeadGrid rel = headGridFrom(a, q, &error);
    // [l=1, h=2, d=1, r=1] = ((1*3+2)*2+1)*2+1 = 23
    QCOMPARE(rel.at(1, 2), 23 / 24.0);
    QCOMPARE(rel.title, QStringLiteral("UAS obj, head\u2190dep"));

    q.relation = QStringLiteral("amod");
    QVERIFY(!headGridFrom(a, q, &error).isValid());
    QVERIFY(error.contains(QStringLiteral("amod")));

    const HeadGrid e = headGridFrom(a, {HeadQuantity::Entropy, {}, 0}, &error);
    QCOMPARE(e.unit, QStringLiteral("nats"));
    QCOMPARE(e.hi, 4.5); // max rounded up to half a nat
    QVERIFY(!headGridFrom(a, {HeadQuantity::Distance, {}, 0}, &error).isValid());
    QVERIFY(error.contains(QStringLiteral("attn/distance")));
  }

  void differences() {
    const StepArrays a = tiny();
    HeadGrid x = headGridFrom(a, {HeadQuantity::Entropy, {}, 0});
    HeadGrid y = x;
    y.values[0] = 1.9; // x - y = +2.0 there
    const HeadGrid d = headGridDifference(x, y, QStringLiteral("d"));
    QVERIFY(d.diverging);
    QCOMPARE(d.at(0, 0), 2.0);
    QCOMPARE(d.at(0, 1), 0.0);
    QCOMPARE(d.lo, -d.hi);
    QVERIFY(d.hi >= 2.0);
    y.heads = 2;
    QVERIFY(!headGridDifference(x, y, QString()).isValid());
  }

  void colourMaps() {
    QCOMPARE(mapColor(ColorMapKind::Sequential, 0.0), QColor(68, 1, 84));
    QCOMPARE(mapColor(ColorMapKind::Sequential, 1.0), QColor(253, 231, 37));
    QCOMPARE(mapColor(ColorMapKind::Diverging, 0.5), QColor(247, 247, 247)); // zero is white
    QCOMPARE(colorPosition(ColorMapKind::Diverging, 0.0, -3, 1), 0.5);
    QCOMPARE(colorPosition(ColorMapKind::Diverging, -3.0, -3, 1), 0.0);
    QCOMPARE(colorPosition(ColorMapKind::Sequential, 2.0, 0, 4), 0.5);
    QCOMPARE(mapColor(ColorMapKind::Sequential, std::nan("")), QColor(0x9A, 0x9A, 0x9A));
  }

  void hitTests_data() {
    QTest::addColumn<QPointF>("pos");
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("head");
    QTest::addRow("outside") << QPointF(0, 0) << -1 << -1;
    QTest::addRow("first") << QPointF(0.01, 0.01) << 0 << 0;
    QTest::addRow("last") << QPointF(0.99, 0.99) << 1 << 2;
    QTest::addRow("middle head") << QPointF(0.5, 0.2) << 0 << 1;
  }
  void hitTests() {
    QFETCH(QPointF, pos);
    QFETCH(int, layer);
    QFETCH(int, head);
    HeadGrid g = headGridFrom(tiny(), {});
    QFont f;
    f.setPixelSize(12);
    const HeadGridLayout l = layoutHeadGrid(QRectF(0, 0, 400, 300), g, f);
    QVERIFY(l.cells.isValid());
    QCOMPARE(l.cell(0, 0).width(), l.cell(0, 0).height()); // square cells
    // Positions are relative to the heatmap; "outside" is the area's corner.
    const QPointF at = layer < 0 ? pos
                                 : l.cells.topLeft() + QPointF(pos.x() * l.cells.width(),
                                                               pos.y() * l.cells.height());
    int gotLayer = -1, gotHead = -1;
    QCOMPARE(l.cellAt(at, &gotLayer, &gotHead), layer >= 0);
    QCOMPARE(gotLayer, layer);
    QCOMPARE(gotHead, head);
  }

  // Issue 16 item 7: a comparison title wraps rather than being clipped (in
  // the dock and in exported figures), and a short colour bar keeps only
  // labels at least a line apart ("1k" and "2k" overlapped).
  void titlesWrapAndLegendLabelsKeepApart() {
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(12);
    const double h = QFontMetricsF(font).height();
    HeadGrid g;
    g.layers = g.heads = 4;
    g.values.fill(0.1, 16);
    g.title = QStringLiteral("UAS (best relation)");
    QCOMPARE(headGridTitleLines(g, font, 230), 1);
    const HeadGridLayout one = layoutHeadGrid(QRectF(0, 0, 230, 260), g, font);
    g.title = QStringLiteral(
        "UAS (best relation) \u00B7 baseline \u2212 SAS\u2212 (\u03BB=0.0003) at step 2.4k");
    QCOMPARE(headGridTitleLines(g, font, 230), 2);
    const HeadGridLayout two = layoutHeadGrid(QRectF(0, 0, 230, 260), g, font);
    QVERIFY(two.title.height() > 2 * h && two.title.height() > one.title.height());
    QVERIFY(two.cells.top() >= two.title.bottom());
    // Both lines fit the title's width once wrapped at a space.
    QFont bold = font;
    bold.setBold(true);
    const QRectF needed =
        QFontMetricsF(bold).boundingRect(two.title, Qt::AlignCenter | Qt::TextWordWrap, g.title);
    QVERIFY(needed.height() <= two.title.height() + 1 && needed.width() <= two.title.width() + 1);
    // Folder suffixes make comparison titles longer still: three lines, no more.
    g.title = QStringLiteral("UAS (best relation) \u00B7 baseline (lab-a/run) \u2212 baseline "
                             "(lab-b/run) at step 12k, the newest at or before the cursor");
    QCOMPARE(headGridTitleLines(g, font, 230), kHeadGridTitleMaxLines);
    QVERIFY(layoutHeadGrid(QRectF(0, 0, 230, 300), g, font).title.height() >=
            headGridTitleHeight(3, h) - 1e-9);

    g.stepValues = true;
    g.lo = 0;
    g.hi = 2000;
    for (double barHeight : {1.5 * h, 2.0 * h, 3.0 * h, 200.0}) {
      const auto ticks = headGridLegendTicks(g, barHeight, h);
      QVERIFY(!ticks.empty());
      QCOMPARE(ticks.front().second, 0.0);
      for (size_t i = 0; i < ticks.size(); ++i)
        for (size_t j = 0; j < i; ++j)
          QVERIFY2(std::abs(ticks[i].first - ticks[j].first) * barHeight >= 1.1 * h,
                   qPrintable(QString::number(barHeight)));
      if (barHeight == 200.0) QCOMPARE(int(ticks.size()), 3); // both ends and the middle
    }
  }

  void topRelationsAndCsv() {
    const QStringList top = headTopRelations(tiny(), 1, 2, 2);
    QCOMPARE(top, (QStringList{QStringLiteral("obj head\u2190dep 0.958"),
                               QStringLiteral("nsubj head\u2190dep 0.917")}));
    // With counts and the relations the probe scored: an excluded relation
    // (here obj, as if rarer than the minimum count) is not listed, so the
    // first item is what uas/head_best holds; each item gives its count.
    StepArrays scored = tiny();
    scored.arrays.insert(QStringLiteral("uas/relation_counts"), ArrayValue{{2}, {57, 3}});
    scored.arrays.insert(QStringLiteral("uas/relation_included"), ArrayValue{{2}, {1, 0}});
    QCOMPARE(headTopRelations(scored, 1, 2, 2),
             (QStringList{QStringLiteral("nsubj head\u2190dep 0.917 (n=57)"),
                          QStringLiteral("nsubj dep\u2192head 0.833 (n=57)")}));
    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    writeHeadGridCsv(headGridFrom(tiny(), {}), csv);
    QCOMPARE(csv.data(),
             QByteArray("layer,head,value\n1,1,0.1\n1,2,0.2\n1,3,0.3\n2,1,0.4\n2,2,0.5\n2,3,\n"));
  }

  // The feed alone, without a widget (it lives in the Qt-Core data library):
  // the grid follows the cursor, a step still loading keeps the same run's
  // grid on show, and a run without results shows nothing of the previous one.
  void feedWithoutAWidget() {
    QTemporaryDir tmp;
    test::SyntheticOptions o;
    o.layers = 3;
    o.heads = 2;
    test::writeSyntheticSeries(tmp.filePath(QStringLiteral("r")), o);
    test::SyntheticOptions bare = o;
    bare.label = QStringLiteral("no results");
    bare.kinds = {};
    test::writeSyntheticSeries(tmp.filePath(QStringLiteral("bare")), bare);
    Session session;
    session.setWatching(false);
    const int run = session.openNow(tmp.filePath(QStringLiteral("r")));
    const int empty = session.openNow(tmp.filePath(QStringLiteral("bare")));
    CursorContext cursor;
    HeadGridFeed feed(session, cursor);
    feed.setQuery({HeadQuantity::Entropy, {}, 0});
    Cursor at;
    at.run = run;
    at.step = 1200;
    cursor.set(at);
    QTRY_VERIFY_WITH_TIMEOUT(feed.grid().isValid() && feed.shownStep() == 1200, 5000);
    QCOMPARE(feed.grid().layers, 3);
    QVERIFY(feed.info().contains(QStringLiteral("synthetic")));

    // A step not read yet: the previous grid stays while it loads.
    QSignalSpy info(&feed, &HeadGridFeed::infoChanged);
    cursor.setStep(3000);
    QVERIFY(feed.grid().isValid());
    QCOMPARE(feed.shownStep(), -1); // nothing of step 3k is shown yet
    QVERIFY(!info.isEmpty() && feed.info().startsWith(QStringLiteral("Loading step")));
    QTRY_COMPARE_WITH_TIMEOUT(feed.shownStep(), qint64(3000), 5000);

    // Comparing with another run: after the cursor moves to that run, the
    // feed never shows it minus itself (the first other run stands in).
    test::SyntheticOptions twin = o;
    twin.label = QStringLiteral("twin");
    twin.seed = 2;
    test::writeSyntheticSeries(tmp.filePath(QStringLiteral("twin")), twin);
    const int other = session.openNow(tmp.filePath(QStringLiteral("twin")));
    feed.setCompare(HeadGridFeed::Compare::Run, other, 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        feed.grid().isValid() && feed.grid().title.contains(QStringLiteral("twin")), 5000);
    QSignalSpy grids(&feed, &HeadGridFeed::gridChanged);
    cursor.setRun(other);
    QVERIFY(feed.compareRun() != other);
    QTRY_VERIFY_WITH_TIMEOUT(!grids.isEmpty() && feed.grid().isValid(), 5000);
    QVERIFY2(!feed.grid().title.contains(QStringLiteral("twin \u2212 twin")),
             qPrintable(feed.grid().title));
    feed.setCompare(HeadGridFeed::Compare::None, -1, 0);
    cursor.setRun(run);

    // Another run without results: nothing of the first remains.
    cursor.setRun(empty);
    QVERIFY(!feed.grid().isValid());
    QVERIFY(!feed.arrays());
    QVERIFY2(feed.message().contains(QStringLiteral("no 'attn' probe results")),
             qPrintable(feed.message()));
  }

  void resultStepForTheCursor() {
    const QVector<qint64> steps{0, 1000, 5000};
    QCOMPARE(resultStepAtOrBefore(steps, 999), 0);
    QCOMPARE(resultStepAtOrBefore(steps, 1000), 1000);
    QCOMPARE(resultStepAtOrBefore(steps, 4000), 1000);
    QCOMPARE(resultStepAtOrBefore(steps, 9000), 5000);
    QCOMPARE(resultStepAtOrBefore({}, 1), -1);

    QTemporaryDir tmp;
    test::SyntheticOptions o;
    o.layers = 3;
    o.heads = 2;
    test::writeSyntheticSeries(tmp.filePath(QStringLiteral("r")), o);
    const RunData run = readRun(tmp.filePath(QStringLiteral("r")));
    const ArrayKey key = headArrayKey(run, HeadQuantity::Entropy, 1234);
    QCOMPARE(key.step, 1200);
    QCOMPARE(key.hash, run.kindHash[QStringLiteral("attn")]);
    QString error;
    const HeadGrid g = loadHeadGrid(run, 1234, {HeadQuantity::Distance, {}, 0}, &error);
    QVERIFY2(g.isValid(), qPrintable(error));
    QVERIFY(g.title.endsWith(QStringLiteral("step 1.2k")));
  }
};

CHRYSALIS_QTEST_MAIN(TestUiHeads)
#include "test_ui_heads.moc"
