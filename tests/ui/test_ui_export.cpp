// Paper export: SVG parses as XML and has paths, PDF starts with %PDF and has
// a page, PNG has the requested pixel size and several colours, the CSV holds
// what was plotted, and `chrysalis --export` works headless with a one-line
// error and exit code 1 on bad input.
#include "data/run_reader.h"
#include "export/figure_writer.h"
#include "export/paper_figures.h"
#include "heads/head_grid_source.h"
#include "synthetic_series.h"
#include "ui_test_main.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QXmlStreamReader>

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
  if (xml.hasError()) *error = xml.errorString();
  else if (!svgRoot) *error = QStringLiteral("no <svg> element");
  return paths;
}

int distinctColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 3)
    for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
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
    for (const QString& name : {QStringLiteral("timeline.pdf"), QStringLiteral("heads.pdf"), QStringLiteral("both.pdf")}) {
      const QString path = out(name);
      const QString error = name.startsWith(QLatin1String("timeline")) ? exportTimelineFigure(m_timelines, o, path)
                            : name.startsWith(QLatin1String("heads"))  ? exportHeadGridFigure(m_heads, o, path)
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
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("layer,head,value"));
    QCOMPARE(lines.size(), 1 + 6 * 8);
    QCOMPARE(lines[1].split(QLatin1Char(',')).last().toDouble(), m_heads.grid.at(0, 0));
  }

  void errorsAreOneLine() {
    ExportOptions o;
    QVERIFY(!exportTimelineFigure(m_timelines, o, out(QStringLiteral("no/such/dir/x.svg"))).isEmpty());
    QVERIFY(!exportHeadGridFigure(HeadGridExport{}, o, out(QStringLiteral("x.svg"))).isEmpty());
  }

  void headlessCommand_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("file");
    QTest::addRow("timeline svg") << QStringList{QStringLiteral("--export"), QStringLiteral("timeline"), QStringLiteral("--format"),
                                                 QStringLiteral("svg"), QStringLiteral("--width-in"), QStringLiteral("3.25"),
                                                 QStringLiteral("--out"), QStringLiteral("cli.svg")}
                                  << 0 << QStringLiteral("cli.svg");
    QTest::addRow("heads png at a step")
        << QStringList{QStringLiteral("--export"), QStringLiteral("heads"), QStringLiteral("--step"), QStringLiteral("2000"),
                       QStringLiteral("--format"), QStringLiteral("png"), QStringLiteral("--width-in"), QStringLiteral("2"),
                       QStringLiteral("--dpi"), QStringLiteral("100"), QStringLiteral("--out"), QStringLiteral("cli.png")}
        << 0 << QStringLiteral("cli.png");
    QTest::addRow("figure pdf") << QStringList{QStringLiteral("--export"), QStringLiteral("figure"), QStringLiteral("--out"),
                                               QStringLiteral("cli.pdf"), QStringLiteral("--width-in"), QStringLiteral("6.75")}
                                << 0 << QStringLiteral("cli.pdf");
    QTest::addRow("bad kind") << QStringList{QStringLiteral("--export"), QStringLiteral("movie"), QStringLiteral("--out"),
                                             QStringLiteral("x.svg")}
                              << 1 << QString();
    QTest::addRow("no out") << QStringList{QStringLiteral("--export"), QStringLiteral("timeline")} << 1 << QString();
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
      QVERIFY(QFile::exists(csvPathFor(m_tmp.filePath(file), file.endsWith(QLatin1String(".pdf")) ? QStringLiteral("timeline") : QString())));
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
