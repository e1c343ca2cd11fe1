// The head grid's "Emergence step" quantity: on the demo it equals
// onset::headEmergence on the probe store's uas/head_best (and what
// `chrysalis-cli onsets --json` prints); on a synthetic series whose heads
// jump at chosen steps it finds those steps and "never" for flat heads; new
// results of a live run update it; run differences, hover, clicks, colours on
// a log step scale, and `chrysalis --export heads --quantity emergence`.
#include "common/step_axis.h"
#include "cursor/cursor_context.h"
#include "data/emergence_source.h"
#include "engine_fixture_ui.h"
#include "format/metrics_table.h"
#include "format/probe_store.h"
#include "heads/color_map.h"
#include "heads/emergence_grid.h"
#include "heads/head_grid_painter.h"
#include "heads/head_grid_panel.h"
#include "heads/head_grid_source.h"
#include "heads/head_grid_view.h"
#include "onset/head_emergence.h"
#include "runs/session.h"
#include "synthetic_series.h"
#include "ui_test_main.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QXmlStreamReader>

#include <cmath>
#include <memory>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

const QString kDemo = QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/baseline");

// Emergence steps straight from the probe store, as the CLI builds the matrix.
std::vector<double> storeEmergence(const QString& dir) {
  const std::string series = dir.toStdString();
  const std::string hash = format::readMetrics(series).sources.at("uas");
  format::ProbeStore store(series);
  std::vector<int64_t> steps;
  std::vector<double> values;
  size_t heads = 0;
  for (int64_t step : store.steps(hash)) {
    const auto a = store.read(hash, step).arrays.at("uas/head_best");
    heads = a.values.size();
    steps.push_back(step);
    values.insert(values.end(), a.values.begin(), a.values.end());
  }
  return onset::emergenceSteps(onset::headEmergence(onset::CheckpointMatrix(steps, heads, values)));
}

bool sameSteps(const QVector<double>& got, const std::vector<double>& want) {
  if (got.size() != static_cast<qsizetype>(want.size())) return false;
  for (size_t i = 0; i < want.size(); ++i)
    if (!(got[i] == want[i] || (std::isnan(got[i]) && std::isnan(want[i])))) return false;
  return true;
}

QString describe(const QVector<double>& v) {
  QStringList s;
  for (double x : v)
    s << QString::number(x);
  return s.join(QLatin1Char(' '));
}

// The grid spacing of the synthetic series around a step.
double spacingAt(double step) {
  return step <= 1500 ? 100.0 : 500.0;
}

bool emergenceShown(const HeadGridPanel& panel) {
  return panel.grid().isValid() && panel.grid().stepValues;
}

// A head grid panel showing emergence, over runs opened at once.
struct EmergencePanel {
  Session session;
  CursorContext cursor;
  std::unique_ptr<HeadGridPanel> panel;
  explicit EmergencePanel(const QStringList& dirs) {
    session.setWatching(false);
    for (const QString& dir : dirs)
      session.openNow(dir);
    panel = std::make_unique<HeadGridPanel>(session, cursor);
    panel->setQuery({HeadQuantity::Emergence, {}, 0});
  }
};

} // namespace

class TestUiEmergence : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;

private Q_SLOTS:
  void demoMatchesTheCoreAndTheCli() {
    const std::vector<double> want = storeEmergence(kDemo);
    QCOMPARE(want.size(), size_t(16));

    EmergencePanel shown({kDemo});
    HeadGridPanel& panel = *shown.panel;
    CursorContext& cursor = shown.cursor;
    QTRY_VERIFY_WITH_TIMEOUT(emergenceShown(panel), 10000); // computed in the background
    const HeadGrid& grid = panel.grid();
    QCOMPARE(grid.layers, 4);
    QCOMPARE(grid.heads, 4);
    QVERIFY2(sameSteps(grid.values, want), qPrintable(describe(grid.values)));
    QCOMPARE(grid.lo, 0.0);
    QCOMPARE(grid.hi, 4000.0);
    QVERIFY(grid.logScale); // 20 .. 4,000: two decades, enough for a log scale
    // The cursor step does not matter.
    cursor.setStep(100);
    QVERIFY(sameSteps(panel.grid().values, want));

    // Hover and the headless path say the same.
    // On the demo the first layer's heads 1-3 emerge (at the UAS climb) and
    // the others never do; a head that never emerges says why.
    QVERIFY(!std::isnan(want[1]) && std::isnan(want[6]));
    QCOMPARE(headCellText(grid, 0, 1), QStringLiteral("L1 H2 emerges at step %1").arg(want[1]));
    QVERIFY2(headCellText(grid, 1, 2).startsWith(QStringLiteral("L2 H3 never emerges (")),
             qPrintable(headCellText(grid, 1, 2)));
    QString error;
    const HeadGrid headless =
        loadHeadGrid(shown.session.at(0).data, 0, {HeadQuantity::Emergence, {}, 0}, &error);
    QVERIFY2(sameSteps(headless.values, want), qPrintable(error));

    // Clicking a cell still selects the head.
    panel.resize(420, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QPoint at = panel.view()->currentLayout().cell(2, 3).center().toPoint();
    QTest::mouseClick(panel.view(), Qt::LeftButton, {}, at);
    QCOMPARE(cursor.cursor().layer, 2);
    QCOMPARE(cursor.cursor().head, 3);

    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (cli.isEmpty()) QSKIP("chrysalis-cli is not built");
    QProcess p;
    p.start(cli, {QStringLiteral("onsets"), kDemo, QStringLiteral("--json")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject head = QJsonDocument::fromJson(p.readAllStandardOutput())
                                 .object()[QStringLiteral("head_emergence")]
                                 .toObject();
    const QJsonArray steps = head[QStringLiteral("steps")].toArray();
    QCOMPARE(steps.size(), grid.values.size());
    for (int i = 0; i < steps.size(); ++i)
      if (steps[i].isNull())
        QVERIFY(std::isnan(grid.values[i]));
      else
        QCOMPARE(grid.values[i], steps[i].toDouble());
  }

  void differenceOfTwoRuns() {
    // Two synthetic runs whose heads emerge at different steps (on the demo
    // only the baseline's heads emerge: SAS- holds every head flat).
    test::SyntheticOptions o;
    o.layers = 4;
    o.heads = 4;
    o.lastStep = 20000;
    o.kinds = {QStringLiteral("uas")};
    o.headJumps = {{1, 450}, {6, 1050}, {11, 3250}};
    const QString dirA = m_tmp.filePath(QStringLiteral("diff-a"));
    test::writeSyntheticSeries(dirA, o);
    o.headJumps = {{1, 1050}, {6, 450}, {5, 2000}};
    const QString dirB = m_tmp.filePath(QStringLiteral("diff-b"));
    test::writeSyntheticSeries(dirB, o);
    const std::vector<double> a = storeEmergence(dirA), b = storeEmergence(dirB);
    EmergencePanel shown({dirA, dirB});
    HeadGridPanel& panel = *shown.panel;
    panel.setCompare(HeadGridPanel::Compare::Run, shown.session.at(1).id);
    QTRY_VERIFY_WITH_TIMEOUT(emergenceShown(panel) && panel.grid().diverging, 10000);
    const HeadGrid& d = panel.grid();
    int both = 0;
    for (int i = 0; i < d.values.size(); ++i) {
      const bool never = std::isnan(a[size_t(i)]) || std::isnan(b[size_t(i)]);
      QCOMPARE(d.isMarked(i / 4, i % 4), never);
      if (never) {
        QVERIFY(std::isnan(d.values[i]));
        QVERIFY(d.cellText[i].contains(QStringLiteral("never emerges")));
        continue;
      }
      ++both;
      QCOMPARE(d.values[i], a[size_t(i)] - b[size_t(i)]);
      QVERIFY(d.lo <= d.values[i] && d.values[i] <= d.hi);
    }
    QCOMPARE(both, 2); // heads 1 and 6 emerge in both runs
    QCOMPARE(d.lo, -d.hi);
    QCOMPARE(d.unit, QStringLiteral("\u0394 step"));
  }

  // Heads jump at steps the test chooses; everything else is flat.
  void syntheticJumpsAndNever() {
    test::SyntheticOptions o;
    o.layers = 3;
    o.heads = 4;
    o.lastStep = 20000; // 100 .. 20,000: more than two decades
    o.kinds = {QStringLiteral("uas")};
    o.headJumps = {{1, 450}, {6, 1050}, {11, 3250}};
    const QString dir = m_tmp.filePath(QStringLiteral("jumps"));
    test::writeSyntheticSeries(dir, o);

    EmergencePanel shown({dir});
    QTRY_VERIFY_WITH_TIMEOUT(emergenceShown(*shown.panel), 10000);
    const HeadGrid grid = shown.panel->grid();
    for (int i = 0; i < 12; ++i) {
      const int l = i / 4, h = i % 4;
      int64_t jump = -1;
      for (const auto& [head, at] : o.headJumps)
        if (head == i) jump = at;
      if (jump < 0) {
        QVERIFY2(std::isnan(grid.at(l, h)), qPrintable(QString::number(grid.at(l, h))));
        QVERIFY(grid.isMarked(l, h));
        QVERIFY2(
            headCellText(grid, l, h)
                    .startsWith(
                        QStringLiteral("L%1 H%2 never emerges (rise 0.0").arg(l + 1).arg(h + 1)) &&
                headCellText(grid, l, h).endsWith(QStringLiteral(" < 0.05)")),
            qPrintable(headCellText(grid, l, h)));
        continue;
      }
      QVERIFY(!grid.isMarked(l, h));
      QVERIFY2(std::abs(grid.at(l, h) - double(jump)) <= spacingAt(double(jump)),
               qPrintable(
                   QStringLiteral("head %1: %2, jump at %3").arg(i).arg(grid.at(l, h)).arg(jump)));
    }

    // Colours along log10(1 + step), greys for "never", in the drawn picture.
    QVERIFY(grid.logScale);
    QCOMPARE(grid.hi, 20000.0);
    QImage image(600, 480, QImage::Format_RGB32);
    QPainter painter(&image);
    HeadGridStyle style;
    style.font.setPixelSize(12);
    paintHeadGrid(painter, image.rect(), grid, style);
    painter.end();
    const HeadGridLayout layout = layoutHeadGrid(image.rect(), grid, style.font);
    auto pixel = [&](int l, int h) {
      const QRectF c = layout.cell(l, h);
      return image.pixelColor(QPointF(c.left() + 3, c.top() + 3).toPoint()); // off the cross
    };
    for (int i : {1, 6, 11}) {
      const double v = grid.at(i / 4, i % 4);
      const double t = (std::log10(1 + v) - std::log10(1 + grid.lo)) /
                       (std::log10(1 + grid.hi) - std::log10(1 + grid.lo));
      const QColor want = mapColor(ColorMapKind::Sequential, t);
      const QColor got = pixel(i / 4, i % 4);
      QVERIFY2(std::abs(got.red() - want.red()) <= 1 && std::abs(got.green() - want.green()) <= 1 &&
                   std::abs(got.blue() - want.blue()) <= 1,
               qPrintable(got.name() + QStringLiteral(" vs ") + want.name()));
    }
    QCOMPARE(pixel(0, 0), mapColor(ColorMapKind::Sequential, std::nan("")));
  }

  void newResultsUpdateTheGrid() {
    test::SyntheticOptions o;
    o.layers = 2;
    o.heads = 4;
    o.kinds = {QStringLiteral("uas")};
    o.headJumps = {{2, 1050}, {5, 3250}};
    test::SyntheticSeries series(m_tmp.filePath(QStringLiteral("live")), o);
    series.writeUpTo(2000);

    Session session; // watching: a live run
    session.open(series.dir());
    QTRY_COMPARE_WITH_TIMEOUT(session.count(), 1, 10000);
    CursorContext cursor;
    HeadGridPanel panel(session, cursor);
    panel.setQuery({HeadQuantity::Emergence, {}, 0});
    QTRY_VERIFY_WITH_TIMEOUT(emergenceShown(panel), 10000);
    QVERIFY(std::abs(panel.grid().at(0, 2) - 1050) <= 100);
    QVERIFY(std::isnan(panel.grid().at(1, 1))); // has not jumped yet
    QCOMPARE(panel.grid().hi, 2000.0);

    for (int64_t step : test::syntheticSteps(o))
      if (step > 2000) series.writeStep(step);
    QTRY_VERIFY_WITH_TIMEOUT(panel.grid().hi == 8000.0 && !std::isnan(panel.grid().at(1, 1)),
                             15000);
    QVERIFY2(std::abs(panel.grid().at(1, 1) - 3250) <= 500,
             qPrintable(QString::number(panel.grid().at(1, 1))));
    QVERIFY(std::abs(panel.grid().at(0, 2) - 1050) <= 100);
  }

  void headlessExport() {
    const QString exe = QStringLiteral(CHRYSALIS_GUI_EXE);
    if (exe.isEmpty()) QSKIP("the chrysalis executable is not built");
    const QString svg = m_tmp.filePath(QStringLiteral("emergence.svg"));
    QProcess p;
    p.start(exe, {QStringLiteral("--export"), QStringLiteral("heads"), QStringLiteral("--quantity"),
                  QStringLiteral("emergence"), QStringLiteral("--out"), svg, kDemo});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    bool root = false;
    QStringList texts;
    while (!xml.atEnd()) {
      if (xml.readNext() != QXmlStreamReader::StartElement) continue;
      if (xml.name() == QLatin1String("svg")) root = true;
      if (xml.name() == QLatin1String("text"))
        texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(root);
    QVERIFY2(texts.contains(QStringLiteral("4k")),
             qPrintable(texts.join(QLatin1Char('|')))); // legend in steps
    // The CSV holds the grid's steps.
    QFile csv(m_tmp.filePath(QStringLiteral("emergence.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines =
        QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const std::vector<double> want = storeEmergence(kDemo);
    QCOMPARE(lines.size(), 1 + 16);
    for (int i = 0; i < 16; ++i) {
      const QString cell = lines[i + 1].section(QLatin1Char(','), 2, 2);
      if (std::isnan(want[size_t(i)]))
        QVERIFY2(cell.isEmpty() || cell == QStringLiteral("nan"), qPrintable(lines[i + 1]));
      else
        QCOMPARE(cell.toDouble(), want[size_t(i)]);
    }
  }
};

CHRYSALIS_QTEST_MAIN(TestUiEmergence)
#include "test_ui_emergence.moc"
