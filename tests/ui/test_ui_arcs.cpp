// The dependency-arc view: predicted parents from hand-made word maps (the
// probe's rules: [CLS]/[SEP] dropped, diagonal zeroed, first index on ties),
// the layout (minimum spacing, height growing with span, long sentences
// scroll), the scene, drawing and export, the attention matrix over words and
// wordpieces, and — with the real engine — the main window's arcs and matrix
// following the cursor step, head, sentence and level.
#include "arcs/arc_layout.h"
#include "arcs/arc_parse.h"
#include "arcs/arc_scene.h"
#include "arcs/arc_view.h"
#include "arcs/arcs_panel.h"
#include "arcs/attention_feed.h"
#include "arcs/attention_matrix.h"
#include "arcs/attention_matrix_view.h"
#include "arcs/matrix_painter.h"
#include "data/run_data.h"
#include "engine_fixture_ui.h"
#include "export/arc_export.h"
#include "export/matrix_export.h"
#include "heads/color_map.h"
#include "main_window.h"
#include "runs/session.h"
#include "sentences/probe_set_data.h"
#include "sentences/sentence_source.h"
#include "ui_test_main.h"
#include "worker/attention_result.h"
#include "worker/worker_client.h"

#include <QComboBox>
#include <QFile>
#include <QFontMetricsF>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>
#include <limits>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

// "0 .1 .7 .2 0 | ..." : W rows of W values, rows separated by '|'.
QVector<float> parseMap(const QString& text, int* size) {
  QVector<float> values;
  const QStringList rows = text.split(QLatin1Char('|'));
  *size = static_cast<int>(rows.size());
  for (const QString& row : rows)
    for (const QString& v : row.split(QLatin1Char(' '), Qt::SkipEmptyParts))
      values << v.toFloat();
  return values;
}

QString render(const QVector<int>& parents) {
  QStringList out;
  for (int p : parents)
    out << QString::number(p);
  return out.join(QLatin1Char(' '));
}

QByteArray fileText(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<QByteArray> csvLines(const QString& path) {
  return fileText(path).trimmed().split('\n');
}

ProbeSentence sentence(const QString& text, QVector<int> heads, const QString& relations) {
  ProbeSentence s;
  s.id = QStringLiteral("t-1");
  s.words = text.split(QLatin1Char(' '));
  s.heads = std::move(heads);
  s.relations = relations.split(QLatin1Char(' '));
  return s;
}

// A result's shape for "the cats sat" from one layer of two heads, no maps.
AttentionResult threeWordsTwoHeads() {
  AttentionResult r;
  r.key.words = QStringList{QStringLiteral("the"), QStringLiteral("cats"), QStringLiteral("sat")};
  r.layers = 1;
  r.heads = 2;
  r.size = 5;
  return r;
}

} // namespace

class TestUiArcs : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void predictedParents_data() {
    QTest::addColumn<QString>("map");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("expected");
    //                 cols: CLS  w1  w2  w3  SEP
    QTest::addRow("argmax of each row")
        << QStringLiteral("1 0 0 0 0 | 0 .1 .2 .7 0 | 0 .6 .1 .3 0 | 0 .2 .5 .3 0 | 0 0 0 0 1") << 0
        << QStringLiteral("3 1 2");
    QTest::addRow("diagonal is zeroed")
        << QStringLiteral("1 0 0 0 0 | 0 .9 .04 .06 0 | 0 .2 .7 .1 0 | 0 .1 .2 .7 0 | 0 0 0 0 1")
        << 0 << QStringLiteral("3 1 2");
    QTest::addRow("[CLS] and [SEP] are dropped")
        << QStringLiteral(
               "1 0 0 0 0 | .8 0 .05 .05 .1 | .5 .1 0 .0 .4 | .3 .01 .02 0 .67 | 0 0 0 0 1")
        << 0 << QStringLiteral("2 1 2");
    QTest::addRow("ties go to the first index")
        << QStringLiteral("1 0 0 0 0 | 0 0 .5 .5 0 | 0 .4 .2 .4 0 | 0 .5 .5 0 0 | 0 0 0 0 1") << 0
        << QStringLiteral("2 1 1");
    QTest::addRow("no word attended: the first word (as the probe)")
        << QStringLiteral("1 0 0 0 0 | .5 0 0 0 .5 | .5 0 0 0 .5 | .5 0 0 0 .5 | 0 0 0 0 1") << 0
        << QStringLiteral("1 1 1");
    QTest::addRow("head<-dep reads columns")
        << QStringLiteral("1 0 0 0 0 | 0 .1 .2 .7 0 | 0 .6 .1 .3 0 | 0 .2 .5 .3 0 | 0 0 0 0 1") << 1
        << QStringLiteral("2 3 1");
  }
  void predictedParents() {
    QFETCH(QString, map);
    QFETCH(int, direction);
    QFETCH(QString, expected);
    int w = 0;
    const QVector<float> values = parseMap(map, &w);
    QCOMPARE(values.size(), w * w);
    const auto dir = direction == 0 ? ArcDirection::DepToHead : ArcDirection::HeadFromDep;
    QCOMPARE(render(ui::predictedParents(values.constData(), w, dir)), expected);
  }

  // The view's argmax (a vectorised row maximum, then its first place; rows
  // swept in order for columns) against the probe's plain loop, written out
  // here as the reference: random maps with ties (few distinct values), NaN,
  // infinities, negative values and -0, at sizes around the lane widths and 512.
  void predictedParentsMatchTheProbesLoop() {
    auto reference = [](const float* map, int size, ArcDirection direction) {
      QVector<int> parents;
      const int n = size - 2;
      for (int i = 1; i <= n; ++i) {
        int best = 0;
        float bestValue = -1.0f;
        for (int j = 1; j <= n; ++j) {
          const float v = j == i ? 0.0f
                                 : (direction == ArcDirection::DepToHead ? map[i * size + j]
                                                                         : map[j * size + i]);
          if (v > bestValue) {
            bestValue = v;
            best = j;
          }
        }
        parents << best;
      }
      return parents;
    };
    QRandomGenerator rng(7);
    const float specials[] = {std::numeric_limits<float>::quiet_NaN(), -0.0f, -0.5f, -2.0f, 0.0f};
    for (int size : {3, 4, 9, 10, 11, 12, 13, 17, 41, 514}) {
      for (int round = 0; round < 6; ++round) {
        QVector<float> map(size * size);
        for (float& v : map) {
          const int r = static_cast<int>(rng.bounded(20));
          v = r < 3 ? specials[rng.bounded(7)] : static_cast<float>(rng.bounded(round + 2)) / 4;
        }
        if (round == 5) map.fill(std::numeric_limits<float>::quiet_NaN());
        for (auto dir : {ArcDirection::DepToHead, ArcDirection::HeadFromDep})
          QCOMPARE(ui::predictedParents(map.constData(), size, dir),
                   reference(map.constData(), size, dir));
      }
    }
  }

  void predictedParentsNeedAWord() {
    const float two[4] = {1, 0, 0, 1};
    QVERIFY(ui::predictedParents(two, 2).isEmpty());
    QVERIFY(ui::predictedParents(nullptr, 5).isEmpty());
  }

  void sceneScoresAgainstGold() {
    // Words: The cat sat . ; gold: det->cat, nsubj->sat, root, punct->sat.
    const ProbeSentence s = sentence(QStringLiteral("The cat sat ."), {2, 3, 0, 3},
                                     QStringLiteral("det nsubj root punct"));
    AttentionResult r;
    r.layers = 1;
    r.heads = 2;
    r.size = 6;
    r.key.words = s.words;
    r.wordAttention.fill(0.0f, 2 * 36);
    auto set = [&](int head, int from, int to) {
      r.wordAttention[head * 36 + from * 6 + to] = 1.0f;
    };
    // Head 0 gets The->cat, cat->sat, sat->cat (root: always wrong), .->The.
    set(0, 1, 2);
    set(0, 2, 3);
    set(0, 3, 2);
    set(0, 4, 1);
    const ArcScene scene = buildArcScene(s, &r, 0, 0);
    QCOMPARE(render(scene.predicted), QStringLiteral("2 3 2 1"));
    QCOMPARE(scene.correctCount(), 2);
    QVERIFY(scene.isCorrect(0) && scene.isCorrect(1) && !scene.isCorrect(2) && !scene.isCorrect(3));
    // Out-of-range head, or a reply for other words: gold only.
    QVERIFY(!buildArcScene(s, &r, 0, 5).hasPrediction());
    QVERIFY(!buildArcScene(s, nullptr, 0, 0).hasPrediction());
    r.size = 5;
    QVERIFY(!buildArcScene(s, &r, 0, 0).hasPrediction());
  }

  void layoutKeepsWordsApartAndArcsGrowWithSpan() {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(12);
    ArcScene scene;
    for (int i = 0; i < 60; ++i) {
      scene.words << (i % 7 == 0 ? QStringLiteral("extraordinarily") : QStringLiteral("a"));
      scene.gold << (i == 0 ? 0 : (i % 5 == 0 ? 1 : i)); // some long arcs back to word 1
      scene.relations << QStringLiteral("dep");
    }
    ArcMetrics m;
    m.minSpacing = 40;
    const ArcLayout l = ArcLayout::compute(scene, f, f, m);
    QCOMPARE(l.centres.size(), 60);
    for (int i = 1; i < 60; ++i)
      QVERIFY2(l.centres[i] - l.centres[i - 1] >= 40 - 1e-9, qPrintable(QString::number(i)));
    QVERIFY(l.width >= 59 * 40); // a long sentence grows wider: the view scrolls
    for (int span = 2; span < 60; ++span)
      QVERIFY(l.arcHeight(span) > l.arcHeight(span - 1));
    QVERIFY(l.arcHeight(1) >= l.fontHeight * 0.75); // no squashed short arcs
    QVERIFY(l.goldTop < l.goldBase && l.goldBase <= l.wordsTop && l.wordsBottom <= l.predictedBase);
    QVERIFY(l.predictedBase + l.arcHeight(55) <=
            l.height); // at least as deep as the gold side is high
    ArcScene predicted = scene;
    predicted.predicted.fill(2, 60);
    predicted.predicted[59] = 1; // a 58-word arc below
    const ArcLayout deeper = ArcLayout::compute(predicted, f, f, m);
    QVERIFY(deeper.predictedBase + deeper.arcHeight(58) <= deeper.height);
    QVERIFY(deeper.height > l.height);
    QCOMPARE(l.wordAt(l.centres[17] + 3), 17);
    QVERIFY(l.wordRect(17).contains(QPointF(l.centres[17], (l.wordsTop + l.wordsBottom) / 2)));
    // Issue 16 item 7: a long word beside short ones is drawn whole (its
    // rectangle holds its text), and neighbouring rectangles do not overlap.
    const QFontMetricsF fm(f);
    for (int i = 0; i < 60; ++i) {
      QVERIFY2(l.wordRect(i).width() >= fm.horizontalAdvance(scene.words[i]),
               qPrintable(QString::number(i)));
      if (i > 0) QVERIFY(l.wordRect(i - 1).right() <= l.wordRect(i).left() + 1e-9);
    }

    // A short sentence is shorter, too: gold side height follows its longest arc.
    ArcScene small;
    small.words = QStringList{QStringLiteral("a"), QStringLiteral("b")};
    small.gold = {2, 0};
    small.relations = QStringList{QStringLiteral("det"), QStringLiteral("root")};
    QVERIFY(ArcLayout::compute(small, f, f, m).height < l.height);
  }

  void viewScrollsLongSentencesAndDimsWhilePending() {
    ArcScene scene;
    for (int i = 0; i < 40; ++i) {
      scene.words << QStringLiteral("word%1").arg(i);
      scene.gold << (i == 0 ? 0 : i);
      scene.relations << QStringLiteral("dep");
    }
    scene.predicted.fill(1, 40);
    QScrollArea area;
    auto* view = new ArcView;
    area.setWidget(view);
    area.setWidgetResizable(true);
    area.resize(500, 300);
    view->setScene(scene);
    area.show();
    QVERIFY(QTest::qWaitForWindowExposed(&area));
    QVERIFY(view->width() >= view->arcLayout().width - 1); // not squashed into 500 px
    QVERIFY(area.horizontalScrollBar()->maximum() > 0);
    const QImage sharp = view->grab().toImage();
    view->setPending(true);
    QVERIFY(view->isPending());
    const QImage dim = view->grab().toImage();
    QVERIFY(sharp != dim);
    QSet<QRgb> colours;
    for (int y = 0; y < sharp.height(); y += 3)
      for (int x = 0; x < std::min(600, sharp.width()); x += 3)
        colours.insert(sharp.pixel(x, y));
    QVERIFY2(colours.size() > 5, qPrintable(QString::number(colours.size())));
  }

  // The view caches the sentence (gold arcs, labels, words) and draws only
  // the predicted arcs at each cursor move: what it shows must be what
  // paintArcs (the export's painter) draws, before and after the move, and
  // a move that keeps the size must not re-lay out the scroll area.
  void viewCachesTheSentenceAndDrawsWhatThePainterDraws() {
    ArcScene scene;
    const QStringList words{QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("sat"),
                            QStringLiteral("on"),  QStringLiteral("the"), QStringLiteral("mat")};
    scene.words = words;
    scene.gold = {2, 3, 0, 6, 6, 3};
    scene.relations =
        QStringList{QStringLiteral("det"),  QStringLiteral("nsubj"), QStringLiteral("root"),
                    QStringLiteral("case"), QStringLiteral("det"),   QStringLiteral("obl")};
    scene.predicted = {2, 3, 2, 6, 3, 3};
    ArcView view;
    view.setScene(scene);
    view.resize(view.sizeHint());
    auto expected = [&](const ArcScene& sc) {
      QImage image(view.size() * view.devicePixelRatioF(), QImage::Format_ARGB32_Premultiplied);
      image.setDevicePixelRatio(view.devicePixelRatioF());
      image.fill(view.arcStyle().background);
      QPainter p(&image);
      p.translate(std::floor(std::max(0.0, (view.width() - view.arcLayout().width) / 2)),
                  std::floor(std::max(0.0, (view.height() - view.arcLayout().height) / 2)));
      paintArcs(p, sc, view.arcLayout(), view.arcStyle());
      return image;
    };
    auto shown = [&] {
      return view.grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
    };
    const QImage first = shown();
    QCOMPARE(first, expected(scene));
    const QSize minimum = view.minimumSize();
    scene.predicted = {3, 1, 1, 5, 6, 5}; // the cursor moved: another parse
    view.setScene(scene);
    const QImage second = shown();
    QVERIFY(second != first);
    QCOMPARE(second, expected(scene));
    QCOMPARE(view.minimumSize(), minimum);
    // The part above the predicted arcs (gold arcs, labels, words) is unchanged.
    const int wordsBottom = static_cast<int>(view.arcLayout().wordsBottom);
    QCOMPARE(first.copy(0, 0, first.width(), wordsBottom),
             second.copy(0, 0, second.width(), wordsBottom));
  }

  // Given a visible rect, the predicted arcs are cut to the part in view
  // (the raster engine would stroke and fill each whole, and dash it along
  // its whole length): in that rect they must draw as the whole arcs do,
  // dashes in phase. Long wrong (dashed) and right (solid) arcs both cross
  // the rect's edges, going down into it and coming back up.
  void predictedArcsCutToTheVisiblePartDrawAsWhole() {
    for (int n : {60, 250}) { // 250 words: arcs ~15,000 px long, where dash phase drifts most
      ArcScene scene;
      for (int i = 0; i < n; ++i) {
        scene.words << QStringLiteral("w%1").arg(i);
        scene.gold << (i == 0 ? 0 : (i % 9 == 0 ? 1 : i));
        scene.relations << QStringLiteral("dep");
        scene.predicted << (i == 0 ? 0 : (i % 3 == 0 ? 1 : (i % 4 == 0 ? n : i)));
      }
      const ArcStyle style = ArcStyle::forScreen(QFont(), false);
      const ArcLayout layout = ArcLayout::compute(scene, style.wordFont, style.labelFont);
      int dashedCut = 0;
      for (double from : {0.31, 0.52, 0.77}) {
        const QRectF visible(std::round(layout.width * from), 0, 260, std::ceil(layout.height));
        // For the long sentence the reference is another cut, through a rect
        // shifted by half its width (a scroll): where the two overlap, a
        // strip repainted after scrolling must meet the strip beside it.
        // (Against whole arcs some 15,000 px long, Qt's own flattening of the
        // whole arc shifts its dashes by about a pixel.)
        const QRectF reference = n <= 60 ? QRectF() : visible.translated(130, 0);
        const QRectF overlap = n <= 60 ? visible : visible.intersected(reference);
        // An image of `area` (layout coordinates), clipped to `overlap` if asked.
        auto draw = [&](const QRectF& area, const QRectF& cut, bool clip) {
          QImage image(area.size().toSize(), QImage::Format_RGB32);
          image.fill(style.background);
          QPainter p(&image);
          p.translate(-area.topLeft());
          if (clip) p.setClipRect(overlap);
          paintPredictedArcs(p, scene, layout, style, -1, cut);
          return image;
        };
        // On a device that holds the whole layout: on a smaller one Qt's
        // dasher skips what lies off the device and its pattern drifts there,
        // so whole arcs would be the wrong reference.
        const QRectF all(0, 0, std::ceil(layout.width), std::ceil(layout.height));
        const QImage whole = draw(all, reference, true).copy(overlap.toRect()),
                     cut = draw(all, visible, true).copy(overlap.toRect());
        // A sub-curve is flattened into other chords than the whole arc, so
        // its edges move by a fraction of a pixel: antialiased edge pixels
        // differ by up to ~70 of 255 (measured), where a dash out of phase or
        // a missing piece differs by the full contrast (255, in over a
        // thousand pixels with the dash offset left out).
        int drawn = 0, worst = 0;
        for (int y = 0; y < whole.height(); ++y)
          for (int x = 0; x < whole.width(); ++x) {
            const QRgb a = whole.pixel(x, y), b = cut.pixel(x, y);
            drawn += a != style.background.rgb();
            worst = std::max({worst, std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                              std::abs(qBlue(a) - qBlue(b))});
          }
        QVERIFY2(drawn > 1000, qPrintable(QString::number(drawn))); // the rect shows arcs
        QVERIFY2(worst <= 96,
                 qPrintable(QStringLiteral("%1 words from %2: %3").arg(n).arg(from).arg(worst)));
        // Unclipped, the cut arcs stop near the rect (its pad: the arrow and
        // two line widths), where whole arcs run on: the cutting happened.
        const QRectF around = visible.adjusted(-200, 0, 200, 0);
        const QImage cutAround = draw(around, visible, false),
                     wholeAround = draw(around, {}, false);
        int cutOutside = 0, wholeOutside = 0;
        for (int y = 0; y < cutAround.height(); ++y)
          for (int x :
               {0, 1, 2, cutAround.width() - 3, cutAround.width() - 2, cutAround.width() - 1}) {
            cutOutside += cutAround.pixel(x, y) != style.background.rgb();
            wholeOutside += wholeAround.pixel(x, y) != style.background.rgb();
          }
        // (What the cut arcs leave there is arrowheads, drawn at the
        // dependent word of every arc in view, wherever it is.)
        QVERIFY2(cutOutside * 5 < wholeOutside,
                 qPrintable(QStringLiteral("%1 against %2").arg(cutOutside).arg(wholeOutside)));
        for (int i = 1; i < n; ++i) // wrong arcs that cross an edge of the rect
          if (scene.predicted[i] == 1 || scene.predicted[i] == n) {
            const double a = layout.centres[i], b = layout.centres[scene.predicted[i] - 1];
            const double lo = std::min(a, b), hi = std::max(a, b);
            if (!scene.isCorrect(i) && lo < visible.left() && hi > visible.left()) ++dashedCut;
          }
      }
      QVERIFY(dashedCut > 3);
    }
  }

  // A sentence too wide to cache (400 words) is drawn at each paint, only
  // what the scroll area shows: that part must be what paintArcs draws there.
  void viewDrawsTheVisiblePartOfAVeryLongSentence() {
    ArcScene scene;
    for (int i = 0; i < 400; ++i) {
      scene.words << QStringLiteral("word%1").arg(i);
      scene.gold << (i == 0 ? 0 : (i % 7 == 0 ? 1 : i)); // some long arcs to word 1
      scene.relations << (i == 0 ? QStringLiteral("root") : QStringLiteral("dep"));
      scene.predicted << (i == 0 ? 2 : (i % 5 == 0 ? 1 : i));
    }
    QScrollArea area;
    auto* view = new ArcView;
    area.setWidget(view);
    area.setWidgetResizable(true);
    area.resize(900, 500);
    view->setScene(scene);
    area.show();
    QVERIFY(QTest::qWaitForWindowExposed(&area));
    QVERIFY(view->arcLayout().width > 16384); // the uncached path
    area.horizontalScrollBar()->setValue(area.horizontalScrollBar()->maximum() / 2);
    QCoreApplication::processEvents();
    auto check = [&] {
      const QRect shownRect = area.viewport()->rect().translated(-view->pos());
      const QImage shown = view->grab(shownRect).toImage().convertToFormat(QImage::Format_RGB32);
      QImage expected(shown.size(), QImage::Format_RGB32);
      expected.setDevicePixelRatio(shown.devicePixelRatio());
      expected.fill(view->arcStyle().background);
      {
        QPainter p(&expected);
        p.translate(-shownRect.topLeft());
        p.translate(std::floor(std::max(0.0, (view->width() - view->arcLayout().width) / 2)),
                    std::floor(std::max(0.0, (view->height() - view->arcLayout().height) / 2)));
        paintArcs(p, scene, view->arcLayout(), view->arcStyle());
      }
      return shown == expected;
    };
    QVERIFY(check());
    // The visible part of the gold layer is kept while the scroll position
    // stays: a new step (other predicted arcs) and another sentence of the
    // same length (other gold arcs) must both show as painted.
    for (int i = 0; i < scene.predicted.size(); ++i)
      scene.predicted[i] = i == 0 ? 3 : (i % 3 == 0 ? 1 : i);
    view->setScene(scene);
    QVERIFY(check());
    for (int i = 1; i < scene.gold.size(); ++i)
      scene.gold[i] = i % 4 == 0 ? 2 : i;
    view->setScene(scene);
    QVERIFY(check());
    for (int i = 1; i < scene.relations.size(); ++i) // the same layout, other labels
      scene.relations[i] = QStringLiteral("obj");
    view->setScene(scene);
    QVERIFY(check());
    area.horizontalScrollBar()->setValue(area.horizontalScrollBar()->maximum() / 3);
    QCoreApplication::processEvents();
    QVERIFY(check());
  }

  void matrixViewOutlinesGold() {
    AttentionMatrixView v;
    v.resize(300, 300);
    AttentionMatrix m;
    m.labels = QStringList{QStringLiteral("[CLS]"), QStringLiteral("a"), QStringLiteral("b"),
                           QStringLiteral("c"), QStringLiteral("[SEP]")};
    m.values = QVector<float>(25, 0.1f);
    m.values[1 * 5 + 2] = 0.7f;
    m.gold = {2, 0, 2};
    m.title = QStringLiteral("head 1-1");
    v.setMatrix(m);
    QCOMPARE(v.size(), 5);
    const QRectF a = v.cellRect(0, 0), b = v.cellRect(1, 1);
    QVERIFY(b.left() > a.left() && b.top() > a.top());
    QVERIFY(!v.grab().toImage().isNull());
    QCOMPARE(v.toolTipAt(v.cellRect(1, 2).center()), QStringLiteral("a \u2192 b: 0.700"));
    QCOMPARE(v.toolTipAt(QPointF(1, 1)), QString()); // outside the cells
    m.labels << QStringLiteral("d"); // 36 cells, 25 values: cleared, never read past them
    v.setMatrix(m);
    QCOMPARE(v.size(), 0);
  }

  // The colour scale's top: the largest finite value, whichever lane or the
  // tail (not a multiple of 8) holds it; NaN and infinities never count.
  void matrixMaximumSkipsNonFinite() {
    AttentionMatrix m;
    const int n = 7; // 49 values: six groups of eight and a tail of one
    for (int i = 0; i < n; ++i)
      m.labels << QStringLiteral("w%1").arg(i);
    m.values = QVector<float>(n * n, 0.25f);
    QCOMPARE(m.maximum(), 0.25f);
    for (int at : {0, 5, 13, 47, 48}) {
      QVector<float> v = m.values;
      v[at] = 0.75f;
      std::swap(m.values, v);
      QCOMPARE(m.maximum(), 0.75f);
      std::swap(m.values, v);
    }
    m.values[3] = std::numeric_limits<float>::quiet_NaN();
    m.values[20] = -std::numeric_limits<float>::infinity();
    QCOMPARE(m.maximum(), 0.25f);
    m.values[9] = std::numeric_limits<float>::infinity(); // the exact loop's case
    m.values[48] = 0.5f;
    QCOMPARE(m.maximum(), 0.5f);
    m.values = QVector<float>(n * n, std::numeric_limits<float>::quiet_NaN());
    QCOMPARE(m.maximum(), 0.0f);
  }

  // Issue 16 item 12: token labels on both axes (every k-th when cells are
  // small), a colour bar, and zoom around the pointer that labels every token.
  void matrixLabelsColourBarAndZoom() {
    AttentionMatrixView v;
    v.resize(260, 260);
    AttentionMatrix m;
    const int n = 40;
    for (int i = 0; i < n; ++i)
      m.labels << QStringLiteral("w%1").arg(i);
    m.values = QVector<float>(n * n, 0.02f);
    m.values[5 * n + 7] = 0.9f;
    m.title = QStringLiteral("head 1-1");
    v.setMatrix(m);
    const QFont font = v.font();
    MatrixGeometry g = MatrixGeometry::fit(m, font, QSizeF(260, 260), 24);
    QVERIFY(g.labels);
    QVERIFY2(g.labelStride > 1, qPrintable(QString::number(g.labelStride))); // 40 rows in ~200 px
    QVERIFY(g.cell * g.labelStride >= QFontMetricsF(font).height() * 0.9);   // labels apart
    QVERIFY(!g.bar.isEmpty() && g.bar.left() > g.viewport.right() && g.barEnd <= 260);
    // Painted: the bar's top is the map's brightest colour, its foot the darkest.
    const QImage image = v.grab().toImage();
    const QRectF bar = v.colourBarRect();
    QVERIFY(bar.height() > 100);
    const QColor topColour = image.pixelColor(QPointF(bar.center().x(), bar.top() + 3).toPoint());
    const QColor footColour =
        image.pixelColor(QPointF(bar.center().x(), bar.bottom() - 3).toPoint());
    QVERIFY(topColour.lightness() > footColour.lightness() + 60);

    // Zoom on cell (5, 7): it stays under the pointer, grows, and every token
    // is labelled once cells are a line tall.
    const QPointF at = v.cellRect(5, 7).center();
    v.zoomAt(at, 4.0);
    QCOMPARE(v.zoom(), 4.0);
    QVERIFY(v.cellRect(5, 7).contains(at));
    QVERIFY(v.cellRect(5, 7).width() > 3.9 * g.cell);
    QCOMPARE(v.toolTipAt(at), QStringLiteral("w5 \u2192 w7: 0.900"));
    g = MatrixGeometry::fit(m, font, QSizeF(260, 260), 24, 4.0);
    QCOMPARE(g.labelStride, 1);
    // Out of the viewport: cells zoomed past its edge show no tooltip.
    QCOMPARE(v.toolTipAt(QPointF(g.viewport.right() + 2, g.viewport.center().y())), QString());
    v.zoomAt(at, 0.01); // back to the fitted map, never smaller
    QCOMPARE(v.zoom(), 1.0);
  }

  // The view keeps its token labels as a pixmap while the cursor moves: what
  // it shows must be what paintMatrix draws with the labels, after a new step
  // (other values, same labels) and after another sentence (other labels).
  void matrixViewLabelLayerDrawsWhatThePainterDraws() {
    AttentionMatrixView v;
    v.resize(420, 380);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    auto sentence = [](const QString& stem, int n, float peak) {
      AttentionMatrix m;
      for (int i = 0; i < n; ++i)
        m.labels << QStringLiteral("%1%2").arg(stem).arg(i);
      m.values = QVector<float>(n * n, 0.02f);
      m.values[3 * n + 5] = peak;
      m.title = QStringLiteral("head 1-1");
      return m;
    };
    auto check = [&](const AttentionMatrix& m) {
      v.setMatrix(m);
      const QImage shown = v.grab().toImage().convertToFormat(QImage::Format_RGB32);
      QImage expected(shown.size(), QImage::Format_RGB32);
      expected.setDevicePixelRatio(shown.devicePixelRatio());
      expected.fill(v.palette().base().color());
      {
        QPainter p(&expected);
        const double top =
            std::max(QFontMetricsF(v.font()).height() * 1.3, v.levelBox()->height() + 2.0);
        MatrixGeometry g = MatrixGeometry::fit(m, v.font(), QSizeF(v.width(), v.height()), top);
        g.title.setRight(v.levelBox()->x() - 6);
        MatrixStyle style;
        style.font = v.font();
        style.background = v.palette().color(QPalette::Base);
        style.text = v.palette().color(QPalette::Text);
        style.cellsAsImage = true;
        paintMatrix(p, m, g, style);
      }
      // Text blended from a transparent layer may differ by a rounding step;
      // the level switch (a child widget) is not the painter's.
      const QRect box = v.levelBox()->geometry();
      int differing = 0;
      for (int y = 0; y < shown.height(); ++y)
        for (int x = 0; x < shown.width(); ++x) {
          if (box.contains(x, y)) continue;
          const QColor a = shown.pixelColor(x, y), b = expected.pixelColor(x, y);
          if (std::abs(a.red() - b.red()) > 2 || std::abs(a.green() - b.green()) > 2 ||
              std::abs(a.blue() - b.blue()) > 2)
            ++differing;
        }
      return differing;
    };
    QCOMPARE(check(sentence(QStringLiteral("w"), 24, 0.9f)), 0);
    QCOMPARE(check(sentence(QStringLiteral("w"), 24, 0.5f)), 0); // a new step
    AttentionMatrix reordered = sentence(QStringLiteral("w"), 24, 0.5f);
    std::reverse(reordered.labels.begin(), reordered.labels.end()); // the same layout
    QCOMPARE(check(reordered), 0);                                  // another sentence
    QCOMPARE(check(sentence(QStringLiteral("other"), 24, 0.5f)), 0);
    QCOMPARE(check(sentence(QStringLiteral("x"), 60, 0.5f)), 0); // another size
  }

  // The screen path builds an image of only the cells it can show (a
  // 512-piece map overflows its widget at a pixel per cell; zoomed in, most
  // cells are out of view): on a device too small for the map, and zoomed,
  // it must draw what the whole image drew there.
  void matrixImageOfTheVisibleCellsDrawsAsTheWhole() {
    AttentionMatrix m;
    const int n = 300;
    for (int i = 0; i < n; ++i)
      m.labels << QStringLiteral("p%1").arg(i);
    m.values.resize(n * n);
    for (int i = 0; i < n * n; ++i)
      m.values[i] = static_cast<float>((i * 7919) % 1000) / 1000.0f;
    m.title = QStringLiteral("head 1-1");
    MatrixStyle style;
    style.font = QFont();
    style.font.setPixelSize(12);
    style.cellsAsImage = true;
    style.labels = false;
    for (const double zoom : {1.0, 3.0}) {
      const MatrixGeometry g =
          MatrixGeometry::fit(m, style.font, QSizeF(420, 420), 24, zoom, QPointF(37, 91));
      auto render = [&](QSize size) {
        QImage image(size, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter p(&image);
        paintMatrix(p, m, g, style);
        return image;
      };
      // The reference: an image of every cell (the painter's 1,024-step
      // colour table), scaled over all the cells and clipped to the viewport.
      QImage all(n, n, QImage::Format_RGB32);
      const float scale = m.maximum();
      for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) {
          const int index =
              static_cast<int>(std::clamp(m.value(r, c) * (1023.0f / scale) + 0.5f, 0.0f, 1023.0f));
          all.setPixel(c, r, mapColor(ColorMapKind::Sequential, index / 1023.0).rgb());
        }
      const QSize device(230, 260); // the map runs off its edges
      QImage expected(device, QImage::Format_RGB32);
      expected.fill(Qt::white);
      {
        QPainter p(&expected);
        p.setClipRect(g.viewport);
        p.drawImage(g.cells, all);
      }
      const QImage part = render(device);
      const QRect cells = g.viewport.toAlignedRect().intersected(QRect(QPoint(0, 0), device));
      QVERIFY(cells.width() > 100 && cells.height() > 100);
      QCOMPARE(part.copy(cells), expected.copy(cells));
    }
  }

  // The T x T piece map of a head, labelled with the pieces, each piece
  // knowing its word so that boundaries fall between words, not inside them.
  void pieceMatrixFromAResult() {
    AttentionResult r = threeWordsTwoHeads();
    r.wordAttention.fill(0.04f, 2 * 25);
    r.tokens = QStringList{QStringLiteral("[CLS]"), QStringLiteral("the"), QStringLiteral("cat"),
                           QStringLiteral("##s"),   QStringLiteral("sat"), QStringLiteral("[SEP]")};
    r.spans = {{1, 2}, {2, 4}, {4, 5}};
    QVERIFY(pieceAttentionMatrix(r, 0, 1).labels.isEmpty()); // no pieces in this result
    r.pieceAttention.resize(2 * 36);
    for (int i = 0; i < r.pieceAttention.size(); ++i)
      r.pieceAttention[i] = float(i) / 100.0f;
    QVERIFY(r.hasPieces());
    const AttentionMatrix m = pieceAttentionMatrix(r, 0, 1);
    QVERIFY(m.isValid());
    QCOMPARE(m.level, MatrixLevel::Pieces);
    QCOMPARE(m.labels, r.tokens);
    QCOMPARE(m.wordOf, (QVector<int>{0, 1, 2, 2, 3, 4}));
    QVERIFY(m.gold.isEmpty());              // gold parents are between words, not pieces
    QCOMPARE(m.value(2, 3), 0.36f + 0.15f); // head 1's map starts at 36
    QVERIFY(m.startsWord(1) && m.startsWord(2) && !m.startsWord(3) && m.startsWord(4) &&
            m.startsWord(5));
    QCOMPARE(m.cellText(2, 3), QStringLiteral("cat \u2192 ##s: 0.510"));
    QVERIFY(m.title.contains(QStringLiteral("head 1-2")));
    QVERIFY(!pieceAttentionMatrix(r, 1, 0).isValid()); // no such layer
  }

  // The W x W word map of a head shares the result's maps (no copy per
  // cursor move) and reads only its own head's stretch of them.
  void wordMatrixFromAResultReadsItsHeadOnly() {
    AttentionResult r = threeWordsTwoHeads();
    r.wordAttention.resize(2 * 25);
    for (int i = 0; i < r.wordAttention.size(); ++i)
      r.wordAttention[i] = float(i) / 100.0f;
    ProbeSentence s;
    s.words = r.key.words;
    s.heads = {2, 3, 0};
    for (int head : {0, 1}) {
      const AttentionMatrix m = wordAttentionMatrix(s, r, 0, head);
      QVERIFY(m.isValid());
      QCOMPARE(m.level, MatrixLevel::Words);
      QCOMPARE(m.labels.size(), 5);
      QCOMPARE(m.gold, s.heads);
      QCOMPARE(m.values.constData(), r.wordAttention.constData()); // shared
      QCOMPARE(m.value(2, 3), float(head * 25 + 2 * 5 + 3) / 100.0f);
      QCOMPARE(m.value(4, 4), float(head * 25 + 24) / 100.0f);
      // The colour scale's top is this head's, not the largest of all maps.
      QCOMPARE(m.maximum(), float(head * 25 + 24) / 100.0f);
    }
    ProbeSentence other = s;
    other.words[1] = QStringLiteral("dogs");
    QVERIFY(!wordAttentionMatrix(other, r, 0, 0).isValid()); // the map is for other words
    QVERIFY(!wordAttentionMatrix(s, r, 0, 2).isValid());     // no such head
  }

  void matrixExportsInBothLevels() {
    QTemporaryDir tmp;
    AttentionMatrix words;
    words.labels =
        QStringList{QStringLiteral("[CLS]"), QStringLiteral("a,b"), QStringLiteral("[SEP]")};
    words.values = {0.5f, 0.25f, 0.25f, 0.1f, 0.2f, 0.7f, 0.0f, 0.0f, 1.0f};
    words.gold = {0};
    words.title = QStringLiteral("head 2-1");
    AttentionMatrix pieces = words;
    pieces.level = MatrixLevel::Pieces;
    pieces.labels = QStringList{QStringLiteral("[CLS]"), QStringLiteral("un"),
                                QStringLiteral("##til"), QStringLiteral("[SEP]")};
    pieces.values.fill(0.25f, 16);
    pieces.gold.clear();
    pieces.wordOf = {0, 1, 1, 2};
    ExportOptions o;
    o.format = ExportFormat::Svg;
    const QString svg = tmp.filePath(QStringLiteral("pieces.svg"));
    QCOMPARE(exportMatrixFigure(pieces, o, svg), QString());
    QVERIFY(fileText(svg).contains("<svg"));
    QVERIFY(fileText(svg).contains("##til"));
    QList<QByteArray> lines = csvLines(tmp.filePath(QStringLiteral("pieces.csv")));
    QCOMPARE(lines.size(), 1 + 16);
    QCOMPARE(lines[0], QByteArray("from,to,from_label,to_label,value,from_word,to_word"));
    QCOMPARE(lines[1 + 1 * 4 + 2], QByteArray("1,2,un,##til,0.25,1,1"));

    o.format = ExportFormat::Png;
    o.dpi = 100;
    const QString png = tmp.filePath(QStringLiteral("words.png"));
    QCOMPARE(exportMatrixFigure(words, o, png), QString());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 50 && image.height() > 50);
    lines = csvLines(tmp.filePath(QStringLiteral("words.csv")));
    QCOMPARE(lines.size(), 1 + 9);
    QCOMPARE(lines[0], QByteArray("from,to,from_label,to_label,value"));
    QCOMPARE(lines[1 + 1 * 3 + 2], QByteArray("1,2,\"a,b\",[SEP],0.7"));
    QVERIFY(!exportMatrixFigure({}, o, tmp.filePath(QStringLiteral("none.png"))).isEmpty());
  }

  void exportsSvgPngAndCsv() {
    QTemporaryDir tmp;
    const ProbeSentence s = sentence(QStringLiteral("The cat sat ."), {2, 3, 0, 3},
                                     QStringLiteral("det nsubj root punct"));
    ArcScene scene = buildArcScene(s, nullptr, 0, 0);
    scene.predicted = {2, 3, 2, 1};
    ExportOptions o;
    o.format = ExportFormat::Svg;
    const QString svg = tmp.filePath(QStringLiteral("arcs.svg"));
    QCOMPARE(exportArcFigure(scene, o, svg), QString());
    QVERIFY(fileText(svg).contains("<svg"));
    QVERIFY(fileText(svg).contains("nsubj"));
    const QList<QByteArray> lines = csvLines(tmp.filePath(QStringLiteral("arcs.csv")));
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[0], QByteArray("word,form,gold_head,relation,predicted_head,correct"));
    QCOMPARE(lines[2], QByteArray("2,cat,3,nsubj,3,1"));
    QCOMPARE(lines[3], QByteArray("3,sat,0,root,2,0"));
    o.format = ExportFormat::Png;
    o.dpi = 100;
    QCOMPARE(exportArcFigure(scene, o, tmp.filePath(QStringLiteral("arcs.png"))), QString());
    QVERIFY(!QImage(tmp.filePath(QStringLiteral("arcs.png"))).isNull());
    QVERIFY(!exportArcFigure({}, o, tmp.filePath(QStringLiteral("none.png"))).isEmpty());
  }

  void weightsStepIsTheNewestAtOrBefore() {
    RunData run;
    for (auto [step, weights] : {std::pair{0, false}, {100, true}, {200, false}, {300, true}}) {
      CheckpointRow c;
      c.step = step;
      c.hasWeights = weights;
      run.checkpoints << c;
    }
    QCOMPARE(AttentionFeed::weightsStepAtOrBefore(run, 250), 100);
    QCOMPARE(AttentionFeed::weightsStepAtOrBefore(run, 300), 300);
    QCOMPARE(AttentionFeed::weightsStepAtOrBefore(run, 50), -1);
  }

  // The whole chain with the real engine: probe set beside the series, the
  // cursor's sentence, head and step; a reply arrives and the arcs show the
  // head's parse; moving the step dims the old result until the new one lands.
  void mainWindowArcsFollowTheCursor() {
    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    qputenv("CHRYSALIS_CLI", cli.toUtf8());
    QTemporaryDir tmp;
    const QString series = test::importTinySeries(QStringLiteral(CHRYSALIS_FIXTURES), tmp.path());
    QVector<test::FixtureSentence> sentences = test::sampleSentences();
    for (auto& s : sentences) // words the tiny vocab knows, parses as given
      for (int i = 0; i < s.words.size(); ++i)
        s.words[i] = QStringLiteral("tok%1").arg(5 + i * 3);
    test::writeProbeSetFile(tmp.filePath(QStringLiteral("probe-set.h5")), sentences);

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    w.openSeries(series);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(w.sentences().probeSet().sentences.size(), 3, 10000);
    QVERIFY(w.sentences().current());
    w.cursorContext().setSentence(1);
    w.cursorContext().setHead(1, 2);
    w.cursorContext().setStep(200);
    QTRY_VERIFY_WITH_TIMEOUT(!w.attentionFeed().isPending() && w.attentionFeed().result().isValid(),
                             30000);
    QCOMPARE(w.attentionFeed().result().key.step, 200);
    ArcView* view = w.arcs()->arcView();
    QTRY_VERIFY(view->scene().hasPrediction());
    QCOMPARE(view->scene().words, sentences[1].words);
    QVERIFY(!view->isPending());
    QVERIFY2(w.arcs()->headline().contains(QStringLiteral("head 2-3")),
             qPrintable(w.arcs()->headline()));
    QCOMPARE(w.arcs()->matrixView()->size(), sentences[1].words.size() + 2);

    // A cursor between checkpoints uses the newest weights before it.
    w.cursorContext().setStep(299);
    QTRY_VERIFY_WITH_TIMEOUT(
        !w.attentionFeed().isPending() && w.attentionFeed().result().key.step == 200, 5000);

    // The next checkpoint: pending (the old result dimmed), then the new one.
    auto* title = w.findChild<QLabel*>(QStringLiteral("arcs-title"));
    auto* step = w.findChild<QLabel*>(QStringLiteral("arcs-step"));
    QVERIFY(title && step);
    const QString titleAt200 = title->text();
    w.cursorContext().setStep(300);
    QTRY_VERIFY_WITH_TIMEOUT(view->isPending() || w.attentionFeed().result().key.step == 300, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isPending() && w.attentionFeed().result().key.step == 300,
                             30000);
    QVERIFY(view->scene().hasPrediction());
    // The step follows the cursor in a plain-text label; the rich-text title
    // (sentence and head), which QLabel parses again at each new text, stays.
    QCOMPARE(title->text(), titleAt200);
    QCOMPARE(step->textFormat(), Qt::PlainText);
    QCOMPARE(step->text(), QStringLiteral("step 300"));
    QVERIFY2(w.arcs()->headline().endsWith(QStringLiteral("head 2-3 \u00B7 step 300")),
             qPrintable(w.arcs()->headline()));
    // Between checkpoints the result stays (the feed says nothing), and the
    // step label follows the cursor.
    w.cursorContext().setStep(340);
    QCOMPARE(w.attentionFeed().result().key.step, 300);
    QCOMPARE(step->text(), QStringLiteral("step 300 (cursor 340)"));
    w.cursorContext().setStep(360);
    QCOMPARE(step->text(), QStringLiteral("step 300 (cursor 360)"));
    w.cursorContext().setStep(300);
    QCOMPARE(step->text(), QStringLiteral("step 300"));

    // Another head needs no request: the reply holds every head.
    w.cursorContext().setHead(0, 0);
    QVERIFY(!w.attentionFeed().isPending());
    QVERIFY(w.arcs()->headline().contains(QStringLiteral("head 1-1")));
    const AttentionResult& r = w.attentionFeed().result();
    QCOMPARE(view->scene().predicted, ui::predictedParents(r.map(0, 0), r.size));
    qunsetenv("CHRYSALIS_CLI");
  }

  // The matrix's Word / Wordpiece switch with the real engine, on a sentence
  // whose words split: "cats" = cat ##s, "quietly" = quiet ##ly.
  void matrixSwitchesToWordpiecesAndBack() {
    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    qputenv("CHRYSALIS_CLI", cli.toUtf8());
    QTemporaryDir tmp;
    const QString series = test::importTinySeries(
        QStringLiteral(CHRYSALIS_FIXTURES), tmp.path(),
        {QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("##s"), QStringLiteral("sat"),
         QStringLiteral("quiet"), QStringLiteral("##ly")});
    test::FixtureSentence s{QStringLiteral("cats-1"),
                            QStringList{QStringLiteral("the"), QStringLiteral("cats"),
                                        QStringLiteral("sat"), QStringLiteral("quietly")},
                            {2, 3, 0, 3},
                            QStringList{QStringLiteral("det"), QStringLiteral("nsubj"),
                                        QStringLiteral("root"), QStringLiteral("advmod")}};
    test::writeProbeSetFile(tmp.filePath(QStringLiteral("probe-set.h5")), {s});

    MainWindow w;
    w.resize(1400, 900);
    w.show();
    w.openSeries(series);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(w.sentences().probeSet().sentences.size(), 1, 10000);
    w.cursorContext().setSentence(0);
    w.cursorContext().setHead(0, 1);
    w.cursorContext().setStep(200);
    AttentionMatrixView* matrix = w.arcs()->matrixView();
    QTRY_COMPARE_WITH_TIMEOUT(matrix->size(), 6, 30000); // [CLS] 4 words [SEP]
    QCOMPARE(matrix->level(), MatrixLevel::Words);
    QVERIFY(!w.attentionFeed().wanted().pieces); // word level asks for no pieces

    // As the user does: the switch in the matrix's corner.
    matrix->levelBox()->setCurrentIndex(1);
    QCOMPARE(matrix->level(), MatrixLevel::Pieces);
    QVERIFY(w.attentionFeed().wanted().pieces);
    const QStringList pieces{QStringLiteral("[CLS]"), QStringLiteral("the"),
                             QStringLiteral("cat"),   QStringLiteral("##s"),
                             QStringLiteral("sat"),   QStringLiteral("quiet"),
                             QStringLiteral("##ly"),  QStringLiteral("[SEP]")};
    QTRY_COMPARE_WITH_TIMEOUT(matrix->matrix().labels, pieces, 30000);
    QCOMPARE(matrix->size(), 8);
    const AttentionMatrix& m = matrix->matrix();
    QVERIFY(m.isValid());
    QVERIFY(m.startsWord(2) && !m.startsWord(3) && m.startsWord(4) && !m.startsWord(6) &&
            m.startsWord(7));
    const AttentionResult& r = w.attentionFeed().result();
    QCOMPARE(r.key.step, 200);
    QCOMPARE(m.value(2, 3), r.pieceMap(0, 1)[2 * 8 + 3]); // the selected head, row "from"
    QCOMPARE(m.data(), r.pieceMap(0, 1));                 // shared with the result, not copied
    const QString tip = matrix->toolTipAt(matrix->cellRect(2, 3).center());
    QVERIFY2(tip.startsWith(QStringLiteral("cat \u2192 ##s: ")), qPrintable(tip));
    QVERIFY(!matrix->grab().toImage().isNull());

    // The export writes what is shown: the pieces.
    const QString svg = tmp.filePath(QStringLiteral("m.svg"));
    QCOMPARE(exportMatrixFigure(w.arcs()->matrixView()->matrix(), ExportOptions{}, svg), QString());
    QCOMPARE(csvLines(tmp.filePath(QStringLiteral("m.csv"))).size(), 1 + 64);

    // Back to words: the word-level result is cached, so it shows at once.
    matrix->setLevel(MatrixLevel::Words);
    QVERIFY(!w.attentionFeed().wanted().pieces);
    QTRY_COMPARE_WITH_TIMEOUT(matrix->size(), 6, 5000);
    QCOMPARE(matrix->matrix().labels, (QStringList{QStringLiteral("[CLS]")} + s.words +
                                       QStringList{QStringLiteral("[SEP]")}));
    QVERIFY(matrix->matrix().wordOf.isEmpty());
    qunsetenv("CHRYSALIS_CLI");
  }
};

CHRYSALIS_QTEST_MAIN(TestUiArcs)
#include "test_ui_arcs.moc"
