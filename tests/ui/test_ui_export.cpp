// Paper export: SVG parses as XML and has paths, PDF starts with %PDF and has
// a page, PNG has the requested pixel size and several colours, the CSV holds
// what was plotted, and `chrysalis --export` works headless with a one-line
// error and exit code 1 on bad input. The multi-panel figure with arcs and
// `--export arcs` (through the real engine) hold the sentence's words; the
// Export dialog's preview shows the figure.
#include "data/onset_intervals.h"
#include "data/run_reader.h"
#include "engine_fixture_ui.h"
#include "export/arc_export.h"
#include "export/export_dialog.h"
#include "export/figure_writer.h"
#include "export/headless_arcs.h"
#include "export/paper_figures.h"
#include "heads/head_grid_source.h"
#include "runs/run_colours.h"
#include "runs/session.h"
#include "synthetic_series.h"
#include "timeline/panel_chart.h"
#include "ui_test_main.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QSet>
#include <QXmlStreamReader>

#include <cmath>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {

int svgPaths(const QString& path, QString* error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("cannot open");
    return -1;
  }
  QXmlStreamReader xml(&f);
  int paths = 0;
  bool svgRoot = false;
  while (!xml.atEnd()) {
    if (xml.readNext() != QXmlStreamReader::StartElement) continue;
    if (xml.name() == QLatin1String("svg")) svgRoot = true;
    if (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline")) ++paths;
  }
  if (xml.hasError())
    *error = xml.errorString();
  else if (!svgRoot)
    *error = QStringLiteral("no <svg> element");
  return paths;
}

// Every <text> element's content, joined by spaces.
QString svgText(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QXmlStreamReader xml(&f);
  QStringList texts;
  while (!xml.atEnd())
    if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
      texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
  return xml.hasError() ? QString() : texts.join(QLatin1Char(' '));
}

bool isPdfWithAPage(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return false;
  const QByteArray pdf = f.readAll();
  return pdf.startsWith("%PDF") && (pdf.contains("/Type /Page") || pdf.contains("/Type/Page"));
}

ArcScene sampleArcs() {
  ArcScene s;
  s.words = {QStringLiteral("Colourless"), QStringLiteral("green"), QStringLiteral("ideas"),
             QStringLiteral("sleep"), QStringLiteral("furiously")};
  s.gold = {3, 3, 4, 0, 4};
  s.relations = {QStringLiteral("amod"), QStringLiteral("amod"), QStringLiteral("nsubj"),
                 QStringLiteral("root"), QStringLiteral("advmod")};
  s.predicted = {2, 3, 4, 3, 4};
  s.predictedLabel = QStringLiteral("s-1 \u00B7 head 2-3");
  return s;
}

// The onset intervals' whiskers: paths in groups stroked with the run's
// colour at the whiskers' opacity (PanelChart::kWhiskerAlpha / 255).
int intervalBands(const QString& path, const QString& colour) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return -1;
  QXmlStreamReader xml(&f);
  int bands = 0;
  bool inBand = false;
  while (!xml.atEnd()) {
    const auto token = xml.readNext();
    if (token != QXmlStreamReader::StartElement) continue;
    if (xml.name() == QLatin1String("g")) {
      const auto a = xml.attributes();
      inBand = a.value(QLatin1String("stroke")) == colour &&
               std::abs(a.value(QLatin1String("stroke-opacity")).toDouble() -
                        PanelChart::kWhiskerAlpha / 255.0) < 1e-3;
    } else if (inBand &&
               (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline"))) {
      ++bands;
    }
  }
  return xml.hasError() ? -1 : bands;
}

int distinctColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 3)
    for (int x = 0; x < image.width(); x += 3)
      colours.insert(image.pixel(x, y));
  return colours.size();
}

} // namespace

class TestUiExport : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;
  QString m_series;
  RunData m_run;
  TimelineExport m_timelines;
  HeadGridExport m_heads;

  QString out(const QString& name) const { return m_tmp.filePath(name); }

private Q_SLOTS:
  void initTestCase() {
    m_series = m_tmp.filePath(QStringLiteral("run"));
    test::SyntheticOptions o;
    o.layers = 6;
    o.heads = 8;
    test::writeSyntheticSeries(m_series, o);
    m_run = readRun(m_series);
    m_timelines.figure = buildTimelineFigure({RunView{&m_run, 1, QColor(0, 114, 178)}}, {});
    m_timelines.cursorStep = 2000;
    QString error;
    m_heads.grid = loadHeadGrid(m_run, 4000, {}, &error);
    QVERIFY2(m_heads.grid.isValid(), qPrintable(error));
    m_heads.layer = 2;
    m_heads.head = 3;
  }

  void svgIsXmlWithPaths() {
    ExportOptions o;
    const QString path = out(QStringLiteral("timeline.svg"));
    QCOMPARE(exportTimelineFigure(m_timelines, o, path), QString());
    QString error;
    const int paths = svgPaths(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(paths > 10, qPrintable(QString::number(paths)));
    // The physical size is the paper width.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("width=\"82.55mm\"")); // 3.25 in
    QVERIFY(QFile::exists(out(QStringLiteral("timeline.csv"))));

    const QString heads = out(QStringLiteral("heads.svg"));
    QCOMPARE(exportHeadGridFigure(m_heads, o, heads), QString());
    QVERIFY(svgPaths(heads, &error) > 0);
    QVERIFY(error.isEmpty());
  }

  void pdfHasAPage() {
    ExportOptions o;
    o.format = ExportFormat::Pdf;
    o.widthInches = kDoubleColumnInches;
    for (const QString& name : {QStringLiteral("timeline.pdf"), QStringLiteral("heads.pdf"),
                                QStringLiteral("both.pdf")}) {
      const QString path = out(name);
      const QString error = name.startsWith(QLatin1String("timeline"))
                                ? exportTimelineFigure(m_timelines, o, path)
                            : name.startsWith(QLatin1String("heads"))
                                ? exportHeadGridFigure(m_heads, o, path)
                                : exportCombinedFigure(m_timelines, m_heads, o, path);
      QCOMPARE(error, QString());
      QFile f(path);
      QVERIFY(f.open(QIODevice::ReadOnly));
      const QByteArray pdf = f.readAll();
      QVERIFY(pdf.startsWith("%PDF"));
      QVERIFY(pdf.contains("/Type /Page") || pdf.contains("/Type/Page"));
      QVERIFY(pdf.size() > 2000);
    }
    QVERIFY(QFile::exists(out(QStringLiteral("both-timeline.csv"))));
    QVERIFY(QFile::exists(out(QStringLiteral("both-heads.csv"))));
  }

  void pngHasTheRequestedSize() {
    ExportOptions o;
    o.format = ExportFormat::Png;
    o.widthInches = 3.25;
    o.heightInches = 4.0;
    o.dpi = 200;
    const QString path = out(QStringLiteral("timeline.png"));
    QCOMPARE(exportTimelineFigure(m_timelines, o, path), QString());
    const QImage image(path);
    QCOMPARE(image.size(), QSize(650, 800));
    QVERIFY2(distinctColours(image) > 8, qPrintable(QString::number(distinctColours(image))));
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 200);

    o.heightInches = 0;
    o.dpi = 150;
    const QString heads = out(QStringLiteral("heads.png"));
    QCOMPARE(exportHeadGridFigure(m_heads, o, heads), QString());
    const QImage h(heads);
    QCOMPARE(h.width(), qRound(3.25 * 150));
    QVERIFY(distinctColours(h) > 8);
  }

  void csvHoldsWhatWasPlotted() {
    ExportOptions o;
    o.format = ExportFormat::Png;
    o.dpi = 72;
    QCOMPARE(exportHeadGridFigure(m_heads, o, out(QStringLiteral("grid.png"))), QString());
    QFile f(out(QStringLiteral("grid.csv")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines =
        QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("layer,head,value"));
    QCOMPARE(lines.size(), 1 + 6 * 8);
    QCOMPARE(lines[1].split(QLatin1Char(',')).last().toDouble(), m_heads.grid.at(0, 0));
  }

  void figureWithArcsHasThreePanels() {
    const ArcScene arcs = sampleArcs();
    ExportOptions o;
    o.widthInches = kDoubleColumnInches;
    const QString svg = out(QStringLiteral("three.svg"));
    QCOMPARE(exportCombinedFigure(m_timelines, m_heads, o, svg, arcs), QString());
    const QString text = svgText(svg);
    for (const QString& w : arcs.words)
      QVERIFY2(text.contains(w), qPrintable(w));
    QVERIFY(text.contains(QStringLiteral("(c)")));
    // Issue 16 item 12: the arc colours have a key, and the room under the
    // head grid holds the onsets of (a) rather than staying empty.
    QVERIFY2(text.contains(QStringLiteral("head's arc, wrong")), qPrintable(text.left(400)));
    if (!m_timelines.figure.onsetCaption.isEmpty()) {
      QVERIFY(text.contains(QStringLiteral("Onsets in (a)")));
      // Its first word (the run's label; wrapping splits the rest into lines).
      const QString first = m_timelines.figure.onsetCaption.section(QLatin1Char(' '), 0, 0);
      QVERIFY2(text.count(first) >= 1, qPrintable(first));
    }
    QVERIFY(QFile::exists(out(QStringLiteral("three-arcs.csv"))));
    // Taller than the two-panel figure by the arcs row.
    const FigureDrawing two = combinedDrawing(m_timelines, m_heads, {}, o);
    const FigureDrawing three = combinedDrawing(m_timelines, m_heads, arcs, o);
    QVERIFY(three.sizePoints.height() > two.sizePoints.height() + 20);
    QCOMPARE(three.sizePoints.width(), kDoubleColumnInches * 72.0);

    o.format = ExportFormat::Pdf;
    QCOMPARE(exportCombinedFigure(m_timelines, m_heads, o, out(QStringLiteral("three.pdf")), arcs),
             QString());
    QVERIFY(isPdfWithAPage(out(QStringLiteral("three.pdf"))));
    o.format = ExportFormat::Png;
    o.dpi = 120;
    o.heightInches = 5.0;
    QCOMPARE(exportCombinedFigure(m_timelines, m_heads, o, out(QStringLiteral("three.png")), arcs),
             QString());
    const QImage png(out(QStringLiteral("three.png")));
    QCOMPARE(png.size(), QSize(qRound(6.75 * 120), 600));
    QVERIFY(distinctColours(png) > 8);
  }

  // Issue 16 item 12: at a single column's width the head grid is not
  // crushed beside the timelines: (b) goes under (a) at over half the width.
  void singleColumnFigureStacks() {
    ExportOptions o;
    o.widthInches = 3.3;
    const FigureDrawing d = combinedDrawing(m_timelines, m_heads, {}, o);
    QVERIFY(d.error.isEmpty());
    ExportOptions full = o, grid = o;
    grid.widthInches = 3.3 * 0.55;
    QVERIFY(d.sizePoints.height() >= timelineFigureSize(m_timelines.figure, full).height() +
                                         headGridFigureSize(m_heads.grid, grid).height());
    const QString svg = out(QStringLiteral("single.svg"));
    QCOMPARE(exportCombinedFigure(m_timelines, m_heads, o, svg), QString());
    if (!m_timelines.figure.onsetCaption.isEmpty())
      QVERIFY(svgText(svg).contains(QStringLiteral("Onsets in (a)")));
  }

  void arcsFitTheWidth() {
    ExportOptions o;
    o.format = ExportFormat::Png;
    o.widthInches = 2.0; // narrower than the diagram: scaled down
    o.dpi = 150;
    const QString path = out(QStringLiteral("arcs-narrow.png"));
    QCOMPARE(exportArcFigure(sampleArcs(), o, path, true), QString());
    QCOMPARE(QImage(path).width(), 300);
    o.widthInches = 12.0; // wider: centred at its natural size
    QCOMPARE(exportArcFigure(sampleArcs(), o, path, true), QString());
    QCOMPARE(QImage(path).width(), 1800);
    QVERIFY(distinctColours(QImage(path)) > 4);
    // The figure on its own says what it shows (sentence, head, step) and
    // keys its colours (issue 16 item 12).
    ExportOptions svg;
    const QString arcsSvg = out(QStringLiteral("arcs-titled.svg"));
    ArcScene titled = sampleArcs();
    titled.predictedLabel = QStringLiteral("s-1 \u00B7 head 2-3 \u00B7 step 2.4k");
    QCOMPARE(exportArcFigure(titled, svg, arcsSvg), QString());
    const QString text = svgText(arcsSvg);
    QVERIFY2(text.contains(QStringLiteral("step 2.4k")), qPrintable(text.left(300)));
    QVERIFY(text.contains(QStringLiteral("gold arc")) &&
            text.contains(QStringLiteral("head's arc, correct")));
  }

  void previewShowsTheFigure() {
    ExportDialog dialog(FigureKind::CombinedWithArcs);
    int calls = 0;
    dialog.setPreviewSource([&](const ExportRequest& r) {
      ++calls;
      return r.kind == FigureKind::Timeline
                 ? timelineDrawing(m_timelines, r.options)
                 : combinedDrawing(m_timelines, m_heads, sampleArcs(), r.options);
    });
    QVERIFY(calls >= 1);
    const QImage first = dialog.previewImage();
    QVERIFY(!first.isNull());
    QVERIFY(first.width() <= dialog.previewLabel()->width());
    QVERIFY2(distinctColours(first) > 8, qPrintable(QString::number(distinctColours(first))));
    QVERIFY(!dialog.previewLabel()->pixmap().isNull());
    // A larger font redraws it (after the pause), and differently.
    auto* font = dialog.findChildren<QDoubleSpinBox*>().last(); // the font size
    QCOMPARE(font->suffix(), QStringLiteral(" pt"));
    font->setValue(font->value() + 4);
    QTRY_VERIFY(dialog.previewImage() != first);
    // Another figure kind has other proportions.
    const QSize before = dialog.previewImage().size();
    dialog.findChildren<QComboBox*>().first()->setCurrentIndex(
        static_cast<int>(FigureKind::Timeline));
    QTRY_VERIFY(dialog.previewImage().size() != before);
  }

  void arcsNeedTheEngine() {
    QString error;
    ArcsRequest r;
    r.sentence = QStringLiteral("1");
    r.head = QStringLiteral("1-1");
    r.step = 0;
    r.probeSet = out(QStringLiteral("no-such-probe-set.h5"));
    QVERIFY(!loadArcScene(m_run, r, &error).hasPrediction());
    QVERIFY2(error.contains(QStringLiteral("no-such-probe-set")), qPrintable(error));
  }

  // `chrysalis --export arcs` and `--export figure --sentence` against the
  // tiny fixture model through the real engine.
  void headlessArcs() {
    const QString exe = QStringLiteral(CHRYSALIS_GUI_EXE);
    const QString cli = test::engineCli(CHRYSALIS_CLI);
    if (exe.isEmpty() || cli.isEmpty()) QSKIP("chrysalis or chrysalis-cli is not built");
    QTemporaryDir tmp;
    const QString series = test::importTinySeries(QStringLiteral(CHRYSALIS_FIXTURES), tmp.path());
    QVector<test::FixtureSentence> sentences = test::sampleSentences();
    for (auto& s : sentences)
      for (int i = 0; i < s.words.size(); ++i)
        s.words[i] = QStringLiteral("tok%1").arg(5 + i * 3);
    test::writeProbeSetFile(tmp.filePath(QStringLiteral("probe-set.h5")), sentences);
    auto run = [&](QStringList args, QString* err) {
      QProcess p;
      p.setWorkingDirectory(tmp.path());
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert(QStringLiteral("CHRYSALIS_CLI"), cli);
      p.setProcessEnvironment(env);
      p.start(exe, args << series);
      if (!p.waitForFinished(120000)) return -1;
      *err = QString::fromUtf8(p.readAllStandardError());
      return p.exitCode();
    };
    const QStringList base{QStringLiteral("--export"),   QStringLiteral("arcs"),
                           QStringLiteral("--sentence"), sentences[1].id,
                           QStringLiteral("--head"),     QStringLiteral("2-3"),
                           QStringLiteral("--step"),     QStringLiteral("200")};
    QString err;
    QCOMPARE(run(base + QStringList{QStringLiteral("--out"), QStringLiteral("arcs.svg")}, &err), 0);
    const QString text = svgText(tmp.filePath(QStringLiteral("arcs.svg")));
    for (const QString& w : sentences[1].words)
      QVERIFY2(text.contains(w), qPrintable(text));
    QVERIFY(QFile::exists(tmp.filePath(QStringLiteral("arcs.csv"))));
    QCOMPARE(run(base + QStringList{QStringLiteral("--out"), QStringLiteral("arcs.pdf")}, &err), 0);
    QVERIFY(isPdfWithAPage(tmp.filePath(QStringLiteral("arcs.pdf"))));
    QCOMPARE(run(base + QStringList{QStringLiteral("--out"), QStringLiteral("arcs.png"),
                                    QStringLiteral("--width-in"), QStringLiteral("3"),
                                    QStringLiteral("--dpi"), QStringLiteral("100")},
                 &err),
             0);
    QCOMPARE(QImage(tmp.filePath(QStringLiteral("arcs.png"))).width(), 300);

    // By number (from 1) too; errors are one line naming what is missing.
    QStringList byNumber = base;
    byNumber[3] = QStringLiteral("2");
    QCOMPARE(run(byNumber + QStringList{QStringLiteral("--out"), QStringLiteral("n.svg")}, &err),
             0);
    QStringList noWeights = base;
    noWeights[7] = QStringLiteral("150");
    QCOMPARE(run(noWeights + QStringList{QStringLiteral("--out"), QStringLiteral("x.svg")}, &err),
             1);
    QVERIFY2(err.contains(QStringLiteral("weights")), qPrintable(err));
    QStringList badHead = base;
    badHead[5] = QStringLiteral("9-1");
    QCOMPARE(run(badHead + QStringList{QStringLiteral("--out"), QStringLiteral("x.svg")}, &err), 1);
    QVERIFY2(err.contains(QStringLiteral("--head")), qPrintable(err));
    // Command-line mistakes are usage errors: exit 2 (issue 16, item 8).
    QCOMPARE(run({QStringLiteral("--export"), QStringLiteral("arcs"), QStringLiteral("--out"),
                  QStringLiteral("x.svg")},
                 &err),
             2);
    QVERIFY2(err.contains(QStringLiteral("--sentence")), qPrintable(err));
    QCOMPARE(run(base + QStringList{QStringLiteral("--bogus"), QStringLiteral("--out"),
                                    QStringLiteral("x.svg")},
                 &err),
             2);
    QVERIFY2(err.contains(QStringLiteral("bogus")), qPrintable(err));
  }

  // `chrysalis --export timeline` draws the onsets' bootstrap intervals as
  // the window does (seeded: the same bytes every time), puts them in the
  // CSV, and leaves them out with --no-intervals.
  void headlessIntervals() {
    const QString exe = QStringLiteral(CHRYSALIS_GUI_EXE);
    if (exe.isEmpty()) QSKIP("the chrysalis executable is not built");
    const QString demo = QStringLiteral(CHRYSALIS_SOURCE_DIR "/resources/demo/baseline");
    auto run = [&](const QString& name, const QStringList& extra) {
      QProcess p;
      p.start(exe, QStringList{QStringLiteral("--export"), QStringLiteral("timeline"),
                               QStringLiteral("--out"), out(name)}
                       << extra << demo);
      return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit &&
             p.exitCode() == 0;
    };
    QVERIFY(run(QStringLiteral("bands.svg"), {}));
    QVERIFY(run(QStringLiteral("bands-again.svg"), {}));
    QVERIFY(run(QStringLiteral("no-bands.svg"), {QStringLiteral("--no-intervals")}));

    const RunOnsets want = readRunIntervals(readRun(demo), {});
    QVERIFY(want.structure && want.structure->lowStep && want.structure->highStep);
    const QString label = QStringLiteral("%1 [%2, %3]")
                              .arg(formatStep(double(want.structure->step)),
                                   formatStep(double(*want.structure->lowStep)),
                                   formatStep(double(*want.structure->highStep)));
    const QString colour = runPalette()[0].name();
    QVERIFY2(svgText(out(QStringLiteral("bands.svg"))).contains(label), qPrintable(label));
    QVERIFY(intervalBands(out(QStringLiteral("bands.svg")), colour) > 0);
    QFile csv(out(QStringLiteral("bands.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QString table = QString::fromUtf8(csv.readAll());
    QVERIFY(table.contains(QStringLiteral("all,onset:structure,baseline,onset_low,%1,\n")
                               .arg(*want.structure->lowStep)));
    QVERIFY(table.contains(QStringLiteral("all,onset:structure,baseline,onset_high,%1,\n")
                               .arg(*want.structure->highStep)));

    QFile a(out(QStringLiteral("bands.svg"))), b(out(QStringLiteral("bands-again.svg")));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QVERIFY(a.readAll() == b.readAll());

    const QString none = svgText(out(QStringLiteral("no-bands.svg")));
    QVERIFY(!none.isEmpty());
    QVERIFY2(!none.contains(QLatin1Char('[')), qPrintable(none));
    QCOMPARE(intervalBands(out(QStringLiteral("no-bands.svg")), colour), 0);
    QFile noCsv(out(QStringLiteral("no-bands.csv")));
    QVERIFY(noCsv.open(QIODevice::ReadOnly));
    QVERIFY(!noCsv.readAll().contains("onset_low"));
  }

  void errorsAreOneLine() {
    ExportOptions o;
    QVERIFY(
        !exportTimelineFigure(m_timelines, o, out(QStringLiteral("no/such/dir/x.svg"))).isEmpty());
    QVERIFY(!exportHeadGridFigure(HeadGridExport{}, o, out(QStringLiteral("x.svg"))).isEmpty());
  }

  void headlessCommand_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("file");
    QTest::addRow("timeline svg")
        << QStringList{QStringLiteral("--export"),   QStringLiteral("timeline"),
                       QStringLiteral("--format"),   QStringLiteral("svg"),
                       QStringLiteral("--width-in"), QStringLiteral("3.25"),
                       QStringLiteral("--out"),      QStringLiteral("cli.svg")}
        << 0 << QStringLiteral("cli.svg");
    QTest::addRow("heads png at a step")
        << QStringList{QStringLiteral("--export"),   QStringLiteral("heads"),
                       QStringLiteral("--step"),     QStringLiteral("2000"),
                       QStringLiteral("--format"),   QStringLiteral("png"),
                       QStringLiteral("--width-in"), QStringLiteral("2"),
                       QStringLiteral("--dpi"),      QStringLiteral("100"),
                       QStringLiteral("--out"),      QStringLiteral("cli.png")}
        << 0 << QStringLiteral("cli.png");
    QTest::addRow("figure pdf") << QStringList{QStringLiteral("--export"),
                                               QStringLiteral("figure"),
                                               QStringLiteral("--out"),
                                               QStringLiteral("cli.pdf"),
                                               QStringLiteral("--width-in"),
                                               QStringLiteral("6.75")}
                                << 0 << QStringLiteral("cli.pdf");
    QTest::addRow("bad kind") << QStringList{QStringLiteral("--export"), QStringLiteral("movie"),
                                             QStringLiteral("--out"), QStringLiteral("x.svg")}
                              << 2 << QString(); // usage errors exit 2
    QTest::addRow("no out") << QStringList{QStringLiteral("--export"), QStringLiteral("timeline")}
                            << 2 << QString();
  }
  void headlessCommand() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, file);
    const QString exe = QStringLiteral(CHRYSALIS_GUI_EXE);
    if (exe.isEmpty()) QSKIP("the chrysalis executable is not built");
    QProcess p;
    p.setWorkingDirectory(m_tmp.path());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the command must pick offscreen itself
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    p.setProcessEnvironment(env);
    p.start(exe, args << m_series);
    QVERIFY(p.waitForFinished(30000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), code);
    if (code == 0) {
      QVERIFY(QFile::exists(m_tmp.filePath(file)));
      QVERIFY(QFile::exists(csvPathFor(m_tmp.filePath(file), file.endsWith(QLatin1String(".pdf"))
                                                                 ? QStringLiteral("timeline")
                                                                 : QString())));
      if (file.endsWith(QLatin1String(".png"))) QCOMPARE(QImage(m_tmp.filePath(file)).width(), 200);
    } else {
      QStringList lines;
      for (const QString& l : err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!l.startsWith(QLatin1String("QStandardPaths"))) lines << l;
      QCOMPARE(lines.size(), 1);
      QVERIFY(lines.first().startsWith(QStringLiteral("chrysalis: error: ")));
    }
  }
};

CHRYSALIS_QTEST_MAIN(TestUiExport)
#include "test_ui_export.moc"
