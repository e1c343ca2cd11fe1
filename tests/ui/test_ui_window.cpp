// The main window: keys move the cursor and every view follows, clicking a
// head selects it everywhere, playback steps through training, the palette
// toggles, the layout persists, and failures show as messages, not crashes.
#include "arcs/arcs_panel.h"
#include "cursor/cursor_context.h"
#include "heads/head_grid_panel.h"
#include "heads/head_grid_view.h"
#include "main_window.h"
#include "runs/checkpoints_model.h"
#include "runs/run_colours.h"
#include "runs/runs_model.h"
#include "runs/runs_panel.h"
#include "runs/session.h"
#include "sentences/sentence_model.h"
#include "sentences/sentence_panel.h"
#include "sentences/sentence_source.h"
#include "synthetic_series.h"
#include "timeline/panel_chart.h"
#include "timeline/panel_view.h"
#include "timeline/timeline_stack.h"
#include "ui_test_main.h"
#include "widgets/label_box.h"
#include "window/demo_locator.h"
#include "window/guide_locator.h"

#include <QAbstractItemModelTester>
#include <QAbstractSpinBox>
#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QVBoxLayout>

#include <cmath>

using namespace chrysalis;
using namespace chrysalis::ui;

class TestUiWindow : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;
  QString m_series, m_second;
  test::SyntheticOptions m_options;

  void openAndWait(MainWindow& w, const QString& dir, int count) {
    w.openSeries(dir);
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), count, 10000);
  }
  qint64 step(MainWindow& w) { return w.cursorContext().cursor().step; }
  void checkEveryViewAt(MainWindow& w, qint64 s) {
    QCOMPARE(step(w), s);
    for (int p = 0; p < kPanelCount; ++p)
      QCOMPARE(w.timelines()->view(static_cast<PanelId>(p))->panelChart()->cursorStep(), double(s));
    QTRY_COMPARE_WITH_TIMEOUT(w.heads()->shownStep(), s, 5000);
    QVERIFY(w.heads()->grid().title.contains(QStringLiteral("step ")));
    const QModelIndex current = w.runsPanel()->checkpointsView()->selectionModel()->currentIndex();
    QCOMPARE(current.data(CheckpointsModel::StepRole).toLongLong(), s);
    QVERIFY2(w.statusLine().contains(QStringLiteral("step ") + QLocale::c().toString(s)),
             qPrintable(w.statusLine()));
  }

private Q_SLOTS:
  void initTestCase() {
    m_series = m_tmp.filePath(QStringLiteral("base"));
    m_options.layers = 6;
    m_options.heads = 6;
    test::writeSyntheticSeries(m_series, m_options);
    test::SyntheticOptions other = m_options;
    other.label = QStringLiteral("early");
    other.uasCentre = 700;
    other.seed = 2;
    m_second = m_tmp.filePath(QStringLiteral("early"));
    test::writeSyntheticSeries(m_second, other);
  }

  // A label in a LabelBox changes text without the window laying out again,
  // unless it needs another size: a wrapped label that needs more lines
  // grows, a one-line label that widens gets the room.
  void labelBoxRelaysOutOnlyWhenTheSizeChanges() {
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* wrapped = new QLabel(QStringLiteral("UAS 0.41 at step 1,000"));
    wrapped->setWordWrap(true);
    auto* line = new QLabel(QStringLiteral("7 / 12"));
    layout->addWidget(new LabelBox(wrapped));
    auto* row = new QHBoxLayout;
    row->addWidget(new LabelBox(line));
    row->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(1);
    window.resize(260, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    struct Counter : QObject {
      int requests = 0;
      bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::LayoutRequest) ++requests;
        return false;
      }
    } counter;
    window.installEventFilter(&counter);
    QCoreApplication::processEvents();
    counter.requests = 0;
    const int oneLine = wrapped->height();
    wrapped->setText(QStringLiteral("UAS 0.43 at step 1,200"));
    line->setText(QStringLiteral("8 / 12"));
    QTest::qWait(50);
    QCOMPARE(counter.requests, 0); // same sizes: no re-layout
    QCOMPARE(wrapped->text(), QStringLiteral("UAS 0.43 at step 1,200"));

    wrapped->setText(QStringLiteral("UAS 0.43 at step 1,200, the best head of layer 4 for the "
                                    "nsubj relation, and far above its random control"));
    line->setText(QStringLiteral("12 of 12 words correct"));
    QTRY_VERIFY(counter.requests > 0);
    QTRY_VERIFY(wrapped->height() > oneLine); // more lines, more room
    QTRY_VERIFY(line->width() >= line->sizeHint().width());

    // A label whose width the layout ignores (the status line) widens
    // without a re-layout; it paints its own background.
    auto* status = new QLabel(QStringLiteral("step 1,000"));
    status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(new LabelBox(status));
    QTest::qWait(50);
    QCoreApplication::processEvents();
    counter.requests = 0;
    status->setText(QStringLiteral("baseline · step 12,000 · 9.4M tokens · weights: yes"));
    QTest::qWait(50); // the box's own request, then any it passes on
    QCOMPARE(counter.requests, 0);
    QVERIFY(status->autoFillBackground());
  }

  void keysMoveTheCursorAndEveryViewFollows() {
    MainWindow w;
    QAbstractItemModelTester t1(w.runsPanel()->runsModel(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(w.runsPanel()->checkpointsModel(),
                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.statusLine(), QStringLiteral("No series open"));
    openAndWait(w, m_series, 1);
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QCOMPARE(step(w), 8000); // opens at the last checkpoint
    QTest::keyClick(&w, Qt::Key_Home);
    checkEveryViewAt(w, 0);
    QTest::keyClick(&w, Qt::Key_Right);
    QTest::keyClick(&w, Qt::Key_Right);
    checkEveryViewAt(w, 200);
    QTest::keyClick(&w, Qt::Key_Left);
    checkEveryViewAt(w, 100);
    QTest::keyClick(&w, Qt::Key_End);
    checkEveryViewAt(w, 8000);
    QTest::keyClick(&w, Qt::Key_Right); // stays at the end
    QCOMPARE(step(w), 8000);
    QVERIFY(w.statusLine().contains(QStringLiteral("results: loss, uas, blimp, twonn, attn")));
    QVERIFY(w.statusLine().contains(QStringLiteral("weights: no")));
    QVERIFY(w.statusLine().contains(QStringLiteral("1.05B tokens")));

    // Clicking a checkpoint row moves the cursor too.
    QTableView* table = w.runsPanel()->checkpointsView();
    const QModelIndex row = w.runsPanel()->checkpointsModel()->index(3, 0);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(row).center());
    checkEveryViewAt(w, 300);
  }

  // The checkpoint list keeps the cursor's row in view while it steps, but
  // turns a page when the row leaves it instead of scrolling at every step
  // (a scroll repaints the whole list: issue 18, bench_gui_scrub).
  void checkpointListFollowsTheCursorAPageAtATime() {
    MainWindow w;
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    openAndWait(w, m_series, 1);
    QTableView* table = w.runsPanel()->checkpointsView();
    auto currentRowShown = [&] {
      const QModelIndex current = table->selectionModel()->currentIndex();
      return current.isValid() && table->viewport()->rect().contains(table->visualRect(current));
    };
    w.stepToEnd(false);
    QVERIFY(currentRowShown());
    // Scrolled sideways (the Step column out of view), the next row is still
    // in view: no page turn.
    const int tokensWidth = table->horizontalHeader()->sectionSize(1);
    table->horizontalHeader()->resizeSection(1, 3000);
    table->horizontalScrollBar()->setValue(table->horizontalScrollBar()->maximum());
    QVERIFY(table->horizontalScrollBar()->value() > 0);
    w.stepBy(1);
    QCOMPARE(table->verticalScrollBar()->value(), 0);
    w.stepToEnd(false);
    table->horizontalHeader()->resizeSection(1, tokensWidth);
    table->horizontalScrollBar()->setValue(0);
    const int rows = table->model()->rowCount();
    const int page = table->viewport()->height() / table->rowHeight(0);
    QVERIFY2(rows > 2 * page, qPrintable(QStringLiteral("%1 rows, %2 a page").arg(rows).arg(page)));
    int scrolls = 0, value = table->verticalScrollBar()->value();
    for (int i = 1; i < rows; ++i) {
      w.stepBy(1);
      QVERIFY2(currentRowShown(), qPrintable(QStringLiteral("step %1").arg(i)));
      if (table->verticalScrollBar()->value() != value) ++scrolls;
      value = table->verticalScrollBar()->value();
    }
    QVERIFY(scrolls >= 1);
    QVERIFY2(scrolls <= rows / page + 1, qPrintable(QStringLiteral("%1 scrolls over %2 rows, %3 a "
                                                                   "page")
                                                        .arg(scrolls)
                                                        .arg(rows)
                                                        .arg(page)));
    // Back down the list: shown at every step too.
    for (int i = 1; i < rows; ++i) {
      w.stepBy(-1);
      QVERIFY2(currentRowShown(), qPrintable(QStringLiteral("back, step %1").arg(i)));
    }
  }

  // Issue 16, item 2: focus started in the smoothing box, where ← did nothing.
  // Keys go where a person's keys go: to the focused widget.
  void arrowsScrubFromTheFirstKeyPressAndEscLeavesAField() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    openAndWait(w, m_series, 1);
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QCOMPARE(step(w), 8000);
    QWidget* focus = QApplication::focusWidget();
    QVERIFY(focus);
    QVERIFY2(!qobject_cast<QAbstractSpinBox*>(focus) && !qobject_cast<QLineEdit*>(focus),
             focus->metaObject()->className());
    QTest::keyClick(focus, Qt::Key_Left);
    QCOMPARE(step(w), 7500);

    // In the sentence filter ← edits the text; Esc gives the keys back.
    QLineEdit* filter = w.sentencePanel()->textFilter();
    filter->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(filter));
    QTest::keyClick(filter, Qt::Key_Left);
    QCOMPARE(step(w), 7500);
    QTest::keyClick(filter, Qt::Key_Escape);
    QVERIFY(QApplication::focusWidget() != filter);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Left);
    QCOMPARE(step(w), 7000);

    // A click on a chart takes the keyboard.
    filter->setFocus();
    auto* chart = w.timelines()->view(PanelId::Loss);
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, chart->viewport()->rect().center());
    QTRY_VERIFY(QApplication::focusWidget() == chart ||
                chart->isAncestorOf(QApplication::focusWidget()));
  }

  // Issue 16, item 13: the Help menu has the guide and the shortcuts.
  void helpMenuHasTheGuideAndTheShortcuts() {
    MainWindow w;
    const QString keys = w.shortcutList();
    for (const char* what :
         {"Previous Checkpoint", "Next Checkpoint", "Play Through Training", "User Guide", "Esc"})
      QVERIFY2(keys.contains(QLatin1String(what)), qPrintable(keys));
    const QString guide = locateUserGuide();
    QVERIFY2(guide.endsWith(QStringLiteral("/guide.md")), qPrintable(guide));
    QVERIFY(QFileInfo(guide).isFile());
  }

  void spacePlaysThroughTraining() {
    MainWindow w;
    w.show();
    openAndWait(w, m_series, 1);
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_Home);
    QTest::keyClick(&w, Qt::Key_Space);
    QVERIFY(w.playAction()->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(step(w) >= 300, 5000);
    QTest::keyClick(&w, Qt::Key_Space);
    QVERIFY(!w.playAction()->isChecked());
    const qint64 stopped = step(w);
    QTest::qWait(400);
    QCOMPARE(step(w), stopped);
  }

  void clickingAHeadSelectsItEverywhere() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    openAndWait(w, m_series, 1);
    HeadGridView* view = w.heads()->view();
    QTRY_VERIFY_WITH_TIMEOUT(view->grid().isValid(), 5000);
    QCOMPARE(view->grid().layers, 6);
    const QRectF cell = view->currentLayout().cell(2, 4);
    QTest::mouseClick(view, Qt::LeftButton, {}, cell.center().toPoint());
    const Cursor& c = w.cursorContext().cursor();
    QCOMPARE(c.layer, 2);
    QCOMPARE(c.head, 4);
    QCOMPARE(view->selectedLayer(), 2);
    QVERIFY(w.statusLine().contains(QStringLiteral("head 3-5")));
    auto* arcs = w.findChild<QLabel*>(QStringLiteral("arcs-title"));
    QVERIFY(arcs);
    QVERIFY(arcs->text().contains(QStringLiteral("head 3-5")));

    // A head selected elsewhere (the context) shows in the grid.
    w.cursorContext().setHead(1, 1);
    QCOMPARE(view->selectedLayer(), 1);
    QCOMPARE(view->selectedHead(), 1);

    // Relation and difference modes.
    HeadQuery q;
    q.quantity = HeadQuantity::Relation;
    w.heads()->setQuery(q);
    QTRY_VERIFY_WITH_TIMEOUT(w.heads()->grid().isValid(), 5000);
    QCOMPARE(w.cursorContext().cursor().relation, QStringLiteral("nsubj"));
    QVERIFY(w.heads()->grid().title.startsWith(QStringLiteral("UAS nsubj")));
    w.heads()->setCompare(HeadGridPanel::Compare::Step, -1, 0);
    QTRY_VERIFY_WITH_TIMEOUT(w.heads()->grid().diverging, 5000);
    QVERIFY(w.heads()->grid().title.contains(QStringLiteral("step 8k \u2212 step 0")));
    QCOMPARE(w.heads()->grid().lo, -w.heads()->grid().hi);

    openAndWait(w, m_second, 2);
    w.heads()->setCompare(HeadGridPanel::Compare::Run, w.session().at(1).id);
    q.quantity = HeadQuantity::Entropy;
    w.heads()->setQuery(q);
    QTRY_VERIFY_WITH_TIMEOUT(w.heads()->grid().title.contains(QStringLiteral("\u2212 early")),
                             5000);
    QVERIFY(w.heads()->grid().diverging);
  }

  // Issue 16 items 5, 6 and 9: selecting another run never leaves the
  // previous run's numbers or sentences on show, a head the model does not
  // have is replaced (and said so), and an empty filtered list empties the arcs.
  void noStaleViewsNoMissingHeads() {
    QString demo;
    for (const QString& dir : demoSeries())
      if (QFileInfo(dir).fileName() == QLatin1String("baseline")) demo = dir;
    QVERIFY2(!demo.isEmpty(), "the bundled demo is needed");
    const QString tiny = m_tmp.filePath(QStringLiteral("tiny"));
    test::SyntheticOptions small = m_options;
    small.label = QStringLiteral("tiny 2x2, no results");
    small.layers = 2;
    small.heads = 2;
    small.kinds = {};
    test::writeSyntheticSeries(tiny, small);

    MainWindow w;
    w.show();
    openAndWait(w, demo, 1);
    const int demoId = w.session().at(0).id;
    QTRY_VERIFY_WITH_TIMEOUT(w.sentences().probeSet().sentences.size() > 10, 10000);
    w.cursorContext().setHead(3, 0); // head 4-1 of the 4 x 4 demo model
    const auto* detailsTitle = w.heads()->findChild<QLabel*>(QStringLiteral("head-details-title"));
    const auto* details = w.heads()->findChild<QLabel*>(QStringLiteral("head-details"));
    QTRY_COMPARE_WITH_TIMEOUT(detailsTitle->text(), QStringLiteral("Layer 4, head 1:"), 10000);
    const auto* relations = w.heads()->findChild<QLabel*>(QStringLiteral("head-details-relations"));
    // The demo's grid shows UAS: the head's value at the step and its best relations.
    QTRY_VERIFY_WITH_TIMEOUT(relations->text().startsWith(QStringLiteral("Best relations: ")),
                             10000);
    QVERIFY2(details->text().contains(
                 QRegularExpression(QStringLiteral("^\\S.* (\\d\\.\\d{3}|undefined)$"))),
             qPrintable(details->text()));
    QVERIFY(detailsTitle->isVisibleTo(w.heads()));
    // No head selected: a prompt in italics, and no name before it.
    w.cursorContext().setHead(-1, -1);
    QTRY_COMPARE_WITH_TIMEOUT(details->text(),
                              QStringLiteral("Click a head to select it in every view."), 5000);
    QVERIFY(details->font().italic());
    QVERIFY(!detailsTitle->isVisibleTo(w.heads()));
    QVERIFY(relations->text().isEmpty());
    w.cursorContext().setHead(3, 0);
    QTRY_COMPARE_WITH_TIMEOUT(detailsTitle->text(), QStringLiteral("Layer 4, head 1:"), 10000);
    QVERIFY(detailsTitle->isVisibleTo(w.heads()));
    QVERIFY(!details->font().italic());

    // Item 9: a filter that matches nothing leaves no sentence in the arcs.
    w.sentencePanel()->textFilter()->setText(QStringLiteral("qqzzxxnomatch"));
    QVERIFY2(w.arcs()->headline().contains(QStringLiteral("No sentence matches")),
             qPrintable(w.arcs()->headline()));
    w.sentencePanel()->textFilter()->clear();
    QVERIFY(!w.arcs()->headline().contains(QStringLiteral("No sentence matches")));

    // Items 5 and 6: select the 2 x 2 run without probe results or probe set.
    openAndWait(w, tiny, 2);
    const int tinyId = w.session().at(1).id;
    QVERIFY(tinyId != demoId);
    w.cursorContext().setRun(tinyId);
    QTRY_VERIFY_WITH_TIMEOUT(details->text().isEmpty(), 5000);
    QVERIFY(detailsTitle->text().isEmpty() && !detailsTitle->isVisibleTo(w.heads()));
    QVERIFY(relations->text().isEmpty());
    QVERIFY(!w.heads()->grid().isValid());
    QVERIFY2(!w.cursorContext().cursor().hasHead(), "head 4-1 kept in a 2 x 2 model");
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("does not exist")),
             qPrintable(w.statusBar()->currentMessage()));
    QVERIFY(!w.arcs()->headline().contains(QStringLiteral("head 4-1")));
    QTRY_COMPARE_WITH_TIMEOUT(w.sentencePanel()->model()->rowCount(), 0, 5000);
    QVERIFY2(w.sentencePanel()->infoText().contains(QStringLiteral("No probe set")),
             qPrintable(w.sentencePanel()->infoText()));

    // Back to the demo: its sentences and a head of its own come back.
    w.cursorContext().setRun(demoId);
    QTRY_VERIFY_WITH_TIMEOUT(w.sentencePanel()->model()->rowCount() > 10, 10000);
    w.cursorContext().setHead(0, 1);
    QTRY_COMPARE_WITH_TIMEOUT(detailsTitle->text(), QStringLiteral("Layer 1, head 2:"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!details->text().isEmpty(), 10000);
  }

  // Issue 16 item 10: two runs with one label show their folders, and their
  // colours stay well apart; closing one gives the other its label back.
  void sameLabelsAreToldApart() {
    test::SyntheticOptions o = m_options;
    o.label = QStringLiteral("baseline");
    const QString a = m_tmp.filePath(QStringLiteral("lab-a/run"));
    const QString b = m_tmp.filePath(QStringLiteral("lab-b/run"));
    const QString c = m_tmp.filePath(QStringLiteral("lab-b/run-2"));
    for (const QString& dir : {a, b, c})
      test::writeSyntheticSeries(dir, o);
    Session session;
    session.setWatching(false);
    const int ia = session.openNow(a);
    QCOMPARE(session.find(ia)->data.label, QStringLiteral("baseline"));
    const int ib = session.openNow(b);
    // Same label and same folder name: the parent tells them apart.
    QCOMPARE(session.find(ia)->data.label, QStringLiteral("baseline (lab-a/run)"));
    QCOMPARE(session.find(ib)->data.label, QStringLiteral("baseline (lab-b/run)"));
    const int ic = session.openNow(c);
    QCOMPARE(session.find(ic)->data.label, QStringLiteral("baseline (run-2)"));
    // Colours: the first five runs' are pairwise apart by more than the RGB
    // distance of vermillion and orange (0.26), the palette's closest pair,
    // which the old order gave to runs 2 and 5; it comes at 6 now.
    auto distance = [](const QColor& x, const QColor& y) {
      return std::hypot(x.redF() - y.redF(), x.greenF() - y.greenF(), x.blueF() - y.blueF());
    };
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < i; ++j)
        QVERIFY2(distance(runPalette()[i], runPalette()[j]) > 0.28, qPrintable(QString::number(i)));
    QVERIFY(runColour(*session.find(ia)) != runColour(*session.find(ib)));
    QVERIFY(runColour(*session.find(ib)) != runColour(*session.find(ic)));
    session.close(ib);
    QCOMPARE(session.find(ia)->data.label, QStringLiteral("baseline (run)"));
    session.close(ic);
    QCOMPARE(session.find(ia)->data.label, QStringLiteral("baseline"));
  }

  void paletteLayoutAndErrors() {
    {
      MainWindow w;
      QVERIFY(QFile::exists(QStringLiteral(":/chrysalis/chrysalis.svg"))); // the .qrc is linked in
      QVERIFY(!w.windowIcon().isNull());
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      const QColor light = QApplication::palette().color(QPalette::Window);
      // The playback icons are drawn in the palette's text colour: dark glyphs
      // on the light palette, light ones on the dark (issue 16 item 7).
      auto glyphLightness = [&] {
        const QImage icon = w.playAction()->icon().pixmap(22).toImage();
        double sum = 0;
        int n = 0;
        for (int y = 0; y < icon.height(); ++y)
          for (int x = 0; x < icon.width(); ++x)
            if (icon.pixelColor(x, y).alpha() > 200) {
              sum += icon.pixelColor(x, y).lightness();
              ++n;
            }
        return n > 20 ? sum / n : -1.0;
      };
      const double lightGlyph = glyphLightness();
      QVERIFY2(lightGlyph >= 0 && lightGlyph < 100, qPrintable(QString::number(lightGlyph)));
      w.darkAction()->trigger();
      QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < light.lightness());
      QVERIFY2(glyphLightness() > 180, qPrintable(QString::number(glyphLightness())));
      w.timelines()->logAxisAction()->trigger();
      w.close();
    }
    QSettings s;
    QVERIFY(!s.value(QStringLiteral("window/state")).toByteArray().isEmpty());
    QVERIFY(s.value(QStringLiteral("view/dark")).toBool());
    {
      MainWindow w; // restores the palette and the axis
      QVERIFY(w.darkAction()->isChecked());
      QVERIFY(w.timelines()->logAxisAction()->isChecked());
      w.darkAction()->trigger();
      w.timelines()->logAxisAction()->trigger();
      w.show();
      // A folder that is not a series: a message box, no crash, no run.
      w.openSeries(m_tmp.filePath(QStringLiteral("not-a-series")));
      QTRY_VERIFY_WITH_TIMEOUT(w.findChild<QMessageBox*>() != nullptr, 5000);
      QCOMPARE(w.session().count(), 0);
      w.findChild<QMessageBox*>()->close();
    }
  }
};

CHRYSALIS_QTEST_MAIN(TestUiWindow)
#include "test_ui_window.moc"
