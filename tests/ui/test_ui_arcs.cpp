// The dependency-arc view: predicted parents from hand-made word maps (the
// probe's rules: [CLS]/[SEP] dropped, diagonal zeroed, first index on ties),
// the layout (minimum spacing, height growing with span, long sentences
// scroll), the scene, drawing and export, and — with the real engine — the
// main window's arcs following the cursor step, head and sentence.
#include "arcs/arc_export.h"
#include "arcs/arc_layout.h"
#include "arcs/arc_parse.h"
#include "arcs/arc_scene.h"
#include "arcs/arc_view.h"
#include "arcs/arcs_panel.h"
#include "arcs/attention_feed.h"
#include "arcs/attention_matrix_view.h"
#include "data/run_data.h"
#include "engine_fixture_ui.h"
#include "main_window.h"
#include "runs/session.h"
#include "sentences/probe_set_data.h"
#include "sentences/sentence_source.h"
#include "ui_test_main.h"
#include "worker/attention_result.h"
#include "worker/worker_client.h"

#include <QFile>
#include <QImage>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QTemporaryDir>

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

ProbeSentence sentence(const QString& text, QVector<int> heads, const QString& relations) {
  ProbeSentence s;
  s.id = QStringLiteral("t-1");
  s.words = text.split(QLatin1Char(' '));
  s.heads = std::move(heads);
  s.relations = relations.split(QLatin1Char(' '));
  return s;
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

  void matrixViewOutlinesGold() {
    AttentionMatrixView v;
    v.resize(300, 300);
    QVector<float> values(25, 0.1f);
    v.setMatrix({QStringLiteral("[CLS]"), QStringLiteral("a"), QStringLiteral("b"),
                 QStringLiteral("c"), QStringLiteral("[SEP]")},
                values, {2, 0, 2}, QStringLiteral("head 1-1"));
    QCOMPARE(v.size(), 5);
    const QRectF a = v.cellRect(0, 0), b = v.cellRect(1, 1);
    QVERIFY(b.left() > a.left() && b.top() > a.top());
    QVERIFY(!v.grab().toImage().isNull());
    v.setMatrix({QStringLiteral("x")}, values, {}, {}); // sizes do not match: cleared
    QCOMPARE(v.size(), 0);
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
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("nsubj"));
    QFile csv(tmp.filePath(QStringLiteral("arcs.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
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
    w.cursorContext().setStep(300);
    QTRY_VERIFY_WITH_TIMEOUT(view->isPending() || w.attentionFeed().result().key.step == 300, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isPending() && w.attentionFeed().result().key.step == 300,
                             30000);
    QVERIFY(view->scene().hasPrediction());

    // Another head needs no request: the reply holds every head.
    w.cursorContext().setHead(0, 0);
    QVERIFY(!w.attentionFeed().isPending());
    QVERIFY(w.arcs()->headline().contains(QStringLiteral("head 1-1")));
    const AttentionResult& r = w.attentionFeed().result();
    QCOMPARE(view->scene().predicted, ui::predictedParents(r.map(0, 0), r.size));
    qunsetenv("CHRYSALIS_CLI");
  }
};

CHRYSALIS_QTEST_MAIN(TestUiArcs)
#include "test_ui_arcs.moc"
