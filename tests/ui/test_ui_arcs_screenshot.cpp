// Grabs the main window with the Dependency Arcs dock showing a sentence's
// gold arcs and a head's predicted arcs, computed by the real engine worker.
// In ctest it runs on the tiny fixture series and checks the picture is not
// blank (skipped without chrysalis-cli). For docs/images/arcs.png, point it at
// a trained series with a probe set beside it and pick what to show, with
// CHRYSALIS_UPDATE_SCREENSHOTS=1, CHRYSALIS_ARCS_SERIES=DIR, CHRYSALIS_ARCS_STEP=S,
// CHRYSALIS_ARCS_HEAD=LAYER-HEAD (1-based) and CHRYSALIS_ARCS_SENTENCE=SENT_ID,
// under xvfb-run with QT_QPA_PLATFORM=xcb (docs/guide.md, "Screenshots of the arc view").
// CHRYSALIS_ARCS_SENTENCE=best tries sentences of 8 to 13 words and shows the
// sentence and head (dep→head) with the most gold parents found.
#include "arcs/arc_scene.h"
#include "arcs/arc_view.h"
#include "arcs/arcs_panel.h"
#include "arcs/attention_feed.h"
#include "engine_fixture_ui.h"
#include "heads/head_grid_panel.h"
#include "main_window.h"
#include "runs/session.h"
#include "screenshot_util.h"
#include "sentences/sentence_source.h"
#include "timeline/timeline_stack.h"
#include "ui_test_main.h"

#include <QDir>
#include <QImage>
#include <QSet>

using namespace chrysalis;
using namespace chrysalis::ui;

class TestUiArcsScreenshot : public QObject {
  Q_OBJECT
private:
  // Every head is in one reply: per sentence, one request scores them all.
  void pickBest(MainWindow& w) {
    const auto& all = w.sentences().probeSet().sentences;
    int bestScore = -1, bestSentence = -1, bestLayer = 0, bestHead = 0, tried = 0;
    for (int i = 0; i < all.size() && tried < 40; ++i) {
      if (all[i].size() < 8 || all[i].size() > 13) continue;
      ++tried;
      w.cursorContext().setSentence(i);
      w.attentionFeed().refreshNow();
      QTRY_VERIFY_WITH_TIMEOUT(!w.attentionFeed().isPending(), 60000);
      const AttentionResult& r = w.attentionFeed().result();
      if (!r.isValid()) continue;
      for (int l = 0; l < r.layers; ++l)
        for (int h = 0; h < r.heads; ++h) {
          const int score = buildArcScene(all[i], &r, l, h).correctCount();
          if (score > bestScore) {
            bestScore = score;
            bestSentence = i;
            bestLayer = l;
            bestHead = h;
          }
        }
    }
    QVERIFY(bestSentence >= 0);
    Cursor c = w.cursorContext().cursor();
    c.sentence = bestSentence;
    c.layer = bestLayer;
    c.head = bestHead;
    w.cursorContext().set(c);
    qInfo("best: %s, head %d-%d, %d words right", qPrintable(all[bestSentence].id), bestLayer + 1,
          bestHead + 1, bestScore);
  }

private Q_SLOTS:
  void arcsInTheMainWindow() {
    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    qputenv("CHRYSALIS_CLI", cli.toUtf8());
    QTemporaryDir tmp;
    QString series = qEnvironmentVariable("CHRYSALIS_ARCS_SERIES");
    if (series.isEmpty()) {
      series = test::importTinySeries(QStringLiteral(CHRYSALIS_FIXTURES), tmp.path());
      auto sentences = test::sampleSentences();
      for (auto& s : sentences)
        for (int i = 0; i < s.words.size(); ++i)
          s.words[i] = QStringLiteral("tok%1").arg(5 + (i * 7) % 50);
      test::writeProbeSetFile(tmp.filePath(QStringLiteral("probe-set.h5")), sentences);
    }

    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openSeries(series);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.sentences().probeSet().isEmpty(), 20000);

    Cursor c = w.cursorContext().cursor();
    c.run = w.session().at(0).id;
    c.step = qEnvironmentVariableIsSet("CHRYSALIS_ARCS_STEP")
                 ? qEnvironmentVariable("CHRYSALIS_ARCS_STEP").toLongLong()
                 : 300;
    const QStringList head =
        qEnvironmentVariable("CHRYSALIS_ARCS_HEAD", QStringLiteral("2-3")).split(QLatin1Char('-'));
    c.layer = head.value(0).toInt() - 1;
    c.head = head.value(1).toInt() - 1;
    const QString wanted = qEnvironmentVariable("CHRYSALIS_ARCS_SENTENCE");
    const auto& all = w.sentences().probeSet().sentences;
    for (int i = 0; i < all.size(); ++i)
      if (all[i].id == wanted) c.sentence = i;
    if (c.sentence < 0) c.sentence = w.cursorContext().cursor().sentence;
    w.cursorContext().set(c);
    if (wanted == QLatin1String("best")) pickBest(w);
    w.timelines()->rebuildNow();
    QTRY_VERIFY_WITH_TIMEOUT(!w.attentionFeed().isPending() && w.attentionFeed().result().isValid(),
                             60000);
    QTRY_VERIFY(w.arcs()->arcView()->scene().hasPrediction());
    QTRY_VERIFY_WITH_TIMEOUT(
        w.heads()->shownStep() >= 0 || w.session().at(0).data.kinds().isEmpty(), 5000);
    QTest::qWait(400);

    const QImage image = w.grab().toImage();
    const int colours = test::distinctColours(image);
    QVERIFY2(colours > 30, qPrintable(QString::number(colours)));
    const QString dir = test::screenshotFolder(tmp.path());
    const QString path = dir + QStringLiteral("/arcs.png");
    QVERIFY(image.save(path));
    qInfo("screenshot: %s (%s) %s", qPrintable(path), qPrintable(QGuiApplication::platformName()),
          qPrintable(w.arcs()->headline()));
    qunsetenv("CHRYSALIS_CLI");
  }
};

CHRYSALIS_QTEST_MAIN(TestUiArcsScreenshot)
#include "test_ui_arcs_screenshot.moc"
