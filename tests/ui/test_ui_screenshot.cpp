// Grabs the main window on a synthetic series with QWidget::grab(). With
// CHRYSALIS_UPDATE_SCREENSHOTS=1 it writes docs/images/main-window.png (run it
// under `xvfb-run -a` with QT_QPA_PLATFORM=xcb so the OpenGL head grid draws
// through the real GL path); otherwise it writes to a temporary folder and
// only checks that the picture is not blank. A dark-palette copy goes beside it.
#include "heads/head_grid_panel.h"
#include "heads/head_grid_view.h"
#include "main_window.h"
#include "runs/session.h"
#include "screenshot_util.h"
#include "synthetic_series.h"
#include "timeline/timeline_stack.h"
#include "ui_test_main.h"

#include <QDir>
#include <QImage>
#include <QPixmap>
#include <QSet>

using namespace chrysalis;
using namespace chrysalis::ui;

class TestUiScreenshot : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void mainWindow() {
    QTemporaryDir tmp;
    test::SyntheticOptions base;
    base.label = QStringLiteral("baseline (seed 1)");
    test::writeSyntheticSeries(tmp.filePath(QStringLiteral("baseline")), base);
    test::SyntheticOptions early = base;
    early.label = QStringLiteral("SAS+ (seed 2)");
    early.seed = 2;
    early.uasCentre = 700;
    early.blimpCentre = 2300;
    test::writeSyntheticSeries(tmp.filePath(QStringLiteral("sas-plus")), early);

    MainWindow w;
    w.resize(1500, 940);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openSeries(tmp.filePath(QStringLiteral("baseline")));
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 1, 10000);
    w.openSeries(tmp.filePath(QStringLiteral("sas-plus")));
    QTRY_COMPARE_WITH_TIMEOUT(w.session().count(), 2, 10000);
    Cursor c = w.cursorContext().cursor();
    c.run = w.session().at(0).id;
    c.step = 1500;
    c.layer = 3; // a syntactic head of the synthetic series: layer 4, head 6
    c.head = 5;
    w.cursorContext().set(c);
    w.timelines()->rebuildNow();
    QTRY_COMPARE_WITH_TIMEOUT(w.heads()->shownStep(), 1500, 5000);
    QTest::qWait(300);

    const QImage image = w.grab().toImage();
    QVERIFY(!image.isNull());
    const int colours = test::distinctColours(image);
    QVERIFY2(colours > 30, qPrintable(QString::number(colours)));

    const QString dir = test::screenshotFolder(tmp.path());
    const QString path = dir + QStringLiteral("/main-window.png");
    QVERIFY(image.save(path));
    qInfo("screenshot: %s (%s, head grid through %s)", qPrintable(path),
          qPrintable(QGuiApplication::platformName()),
          w.heads()->view()->usesOpenGL() ? "OpenGL" : "a raster widget");

    // The dark palette too, so both can be checked by eye.
    w.darkAction()->trigger();
    w.timelines()->rebuildNow();
    QTest::qWait(300);
    const QString dark = dir + QStringLiteral("/main-window-dark.png");
    QVERIFY(w.grab().save(dark));
    w.darkAction()->trigger(); // leave the saved setting light
    qInfo("screenshot: %s", qPrintable(dark));
  }
};

CHRYSALIS_QTEST_MAIN(TestUiScreenshot)
#include "test_ui_screenshot.moc"
