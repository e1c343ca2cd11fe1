#include "export/headless_export.h"

#include "data/onset_intervals.h"
#include "data/run_reader.h"
#include "export/arc_export.h"
#include "export/headless_arcs.h"
#include "export/paper_figures.h"
#include "heads/head_grid_source.h"
#include "runs/run_colours.h"
#include "runs/session.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

#include <cstring>
#include <vector>

namespace chrysalis::ui {
namespace {

struct Failure {
  QString message;
  bool usage = false; ///< a command-line mistake: exit 2, as the docs say
};

double number(const QCommandLineParser& p, const QString& name, double fallback) {
  if (!p.isSet(name)) return fallback;
  bool ok = false;
  const double v = p.value(name).toDouble(&ok);
  if (!ok) throw Failure{QStringLiteral("--%1 needs a number, not '%2'").arg(name, p.value(name))};
  return v;
}

HeadQuantity quantityFromName(const QString& name) {
  if (name == QLatin1String("best")) return HeadQuantity::BestRelation;
  if (name == QLatin1String("relation")) return HeadQuantity::Relation;
  if (name == QLatin1String("entropy")) return HeadQuantity::Entropy;
  if (name == QLatin1String("distance")) return HeadQuantity::Distance;
  if (name == QLatin1String("sink")) return HeadQuantity::SinkShare;
  if (name == QLatin1String("entropy-full")) return HeadQuantity::EntropyFull;
  if (name == QLatin1String("emergence")) return HeadQuantity::Emergence;
  throw Failure{QStringLiteral("--quantity must be best, relation, entropy, distance, sink, "
                               "entropy-full or emergence, not '%1'")
                    .arg(name)};
}

int run(const QStringList& arguments) {
  QCommandLineParser p;
  p.addOptions({
      {QStringLiteral("export"),
       QStringLiteral("timeline, heads, figure (both, and arcs with --sentence) or arcs."),
       QStringLiteral("what")},
      {QStringLiteral("sentence"),
       QStringLiteral("Arcs: the probe sentence's id, or its number from 1."),
       QStringLiteral("ID")},
      {QStringLiteral("head"), QStringLiteral("Arcs: the head, L-H from 1 (e.g. 4-2)."),
       QStringLiteral("L-H")},
      {QStringLiteral("probe-set"),
       QStringLiteral("Arcs: the probe set file (default: found beside the series)."),
       QStringLiteral("FILE")},
      {QStringLiteral("step"), QStringLiteral("Cursor step (default: the last)."),
       QStringLiteral("S")},
      {QStringLiteral("format"), QStringLiteral("svg, pdf or png (default: from --out)."),
       QStringLiteral("F")},
      {QStringLiteral("width-in"),
       QStringLiteral("Width in inches (3.25 single, 6.75 double column)."), QStringLiteral("W")},
      {QStringLiteral("height-in"), QStringLiteral("Height in inches (default: from the content)."),
       QStringLiteral("H")},
      {QStringLiteral("dpi"), QStringLiteral("PNG resolution (default 300)."), QStringLiteral("D")},
      {QStringLiteral("font"), QStringLiteral("Font family."), QStringLiteral("family")},
      {QStringLiteral("font-size"), QStringLiteral("Font size in points (default 8)."),
       QStringLiteral("pt")},
      {QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE")},
      {QStringLiteral("log"), QStringLiteral("Logarithmic step axis.")},
      {QStringLiteral("smoothing"), QStringLiteral("Smoothing bandwidth in log-step units."),
       QStringLiteral("sigma")},
      {QStringLiteral("quantity"),
       QStringLiteral(
           "Head grid: best, relation, entropy, distance, sink, entropy-full, emergence."),
       QStringLiteral("q")},
      {QStringLiteral("relation"), QStringLiteral("Head grid relation (with --quantity relation)."),
       QStringLiteral("rel")},
      {QStringLiteral("direction"), QStringLiteral("0 = dep->head, 1 = head<-dep."),
       QStringLiteral("d")},
      {QStringLiteral("no-csv"), QStringLiteral("Do not write the CSV beside the figure.")},
      {QStringLiteral("no-intervals"),
       QStringLiteral("Timelines: no bootstrap intervals of the onsets (drawn by default when the "
                      "results hold per-item arrays).")},
  });
  if (!p.parse(arguments)) throw Failure{p.errorText(), true};
  const QString what = p.value(QStringLiteral("export"));
  if (what != QLatin1String("timeline") && what != QLatin1String("heads") &&
      what != QLatin1String("figure") && what != QLatin1String("arcs"))
    throw Failure{
        QStringLiteral("--export must be timeline, heads, figure or arcs, not '%1'").arg(what),
        true};
  const bool arcs = what == QLatin1String("arcs") || p.isSet(QStringLiteral("sentence"));
  if (arcs && (!p.isSet(QStringLiteral("sentence")) || !p.isSet(QStringLiteral("head"))))
    throw Failure{QStringLiteral("the arcs need --sentence ID and --head L-H"), true};
  const QString out = p.value(QStringLiteral("out"));
  if (out.isEmpty()) throw Failure{QStringLiteral("--out FILE is required"), true};
  const QStringList series = p.positionalArguments();
  if (series.isEmpty()) throw Failure{QStringLiteral("give at least one series folder"), true};

  ExportOptions o;
  std::optional<ExportFormat> format = p.isSet(QStringLiteral("format"))
                                           ? parseExportFormat(p.value(QStringLiteral("format")))
                                           : exportFormatFromPath(out);
  if (!format) throw Failure{QStringLiteral("choose --format svg, pdf or png"), true};
  o.format = *format;
  o.widthInches = number(p, QStringLiteral("width-in"), o.widthInches);
  o.heightInches = number(p, QStringLiteral("height-in"), 0.0);
  o.dpi = static_cast<int>(number(p, QStringLiteral("dpi"), o.dpi));
  o.fontPoints = number(p, QStringLiteral("font-size"), o.fontPoints);
  if (p.isSet(QStringLiteral("font"))) o.fontFamily = p.value(QStringLiteral("font"));
  o.writeCsv = !p.isSet(QStringLiteral("no-csv"));
  if (o.widthInches < 0.5 || o.widthInches > 40)
    throw Failure{QStringLiteral("--width-in must be 0.5 to 40")};
  if (o.fontPoints < 2 || o.fontPoints > 72)
    throw Failure{QStringLiteral("--font-size must be 2 to 72")};

  // Reading on this thread is fine: nothing else runs in a headless export.
  Session session;
  session.setWatching(false);
  for (const QString& dir : series) {
    try {
      session.openNow(dir);
    } catch (const std::exception& e) {
      throw Failure{QString::fromStdString(e.what())};
    }
  }
  const QVector<qint64> steps = session.steps();
  qint64 step = steps.isEmpty() ? 0 : steps.last();
  if (arcs &&
      !steps.isEmpty()) { // the arcs need weights: default to the newest checkpoint with them
    for (const CheckpointRow& c : session.at(0).data.checkpoints)
      if (c.hasWeights) step = c.step;
  }
  if (p.isSet(QStringLiteral("step")))
    step = static_cast<qint64>(number(p, QStringLiteral("step"), 0));

  ArcScene scene;
  if (arcs) {
    ArcsRequest r;
    r.sentence = p.value(QStringLiteral("sentence"));
    r.head = p.value(QStringLiteral("head"));
    r.step = step;
    r.probeSet = p.value(QStringLiteral("probe-set"));
    r.direction = number(p, QStringLiteral("direction"), 0) == 1 ? ArcDirection::HeadFromDep
                                                                 : ArcDirection::DepToHead;
    QString error;
    scene = loadArcScene(session.at(0).data, r, &error);
    if (!scene.hasPrediction()) throw Failure{error};
  }
  if (what == QLatin1String("arcs")) {
    // Natural size unless a width is asked for: then scaled down to it.
    const QString error = exportArcFigure(scene, o, out, p.isSet(QStringLiteral("width-in")));
    if (!error.isEmpty()) throw Failure{error};
    return 0;
  }

  TimelineExport timelines;
  if (what != QLatin1String("heads")) {
    TimelineOptions to;
    to.scale = p.isSet(QStringLiteral("log")) ? StepScale::Log : StepScale::Linear;
    to.smoothing = number(p, QStringLiteral("smoothing"), 0.0);
    // The window's bootstrap (fixed seed): the same command draws the same bands.
    const bool intervals = !p.isSet(QStringLiteral("no-intervals"));
    std::vector<RunOnsets> bands(static_cast<size_t>(session.count()));
    QVector<RunView> runs;
    for (int i = 0; i < session.count(); ++i) {
      runs << RunView{&session.at(i).data, session.at(i).id, runColour(session.at(i))};
      if (!intervals) continue;
      bands[size_t(i)] = readRunIntervals(session.at(i).data, to.onsets);
      runs.last().intervals = &bands[size_t(i)];
    }
    timelines.figure = buildTimelineFigure(runs, to);
    if (p.isSet(QStringLiteral("step"))) timelines.cursorStep = static_cast<double>(step);
  }
  HeadGridExport heads;
  if (what != QLatin1String("timeline")) {
    HeadQuery q;
    q.quantity = quantityFromName(p.value(QStringLiteral("quantity")).isEmpty()
                                      ? QStringLiteral("best")
                                      : p.value(QStringLiteral("quantity")));
    q.relation = p.value(QStringLiteral("relation"));
    q.direction = static_cast<int>(number(p, QStringLiteral("direction"), 0));
    QString error;
    heads.grid = loadHeadGrid(session.at(0).data, step, q, &error);
    if (!heads.grid.isValid()) throw Failure{error};
    if (arcs) { // outline the head whose arcs are shown
      const QStringList lh = p.value(QStringLiteral("head")).split(QLatin1Char('-'));
      heads.layer = lh.value(0).toInt() - 1;
      heads.head = lh.value(1).toInt() - 1;
    }
  }
  QString error;
  if (what == QLatin1String("timeline"))
    error = exportTimelineFigure(timelines, o, out);
  else if (what == QLatin1String("heads"))
    error = exportHeadGridFigure(heads, o, out);
  else
    error = exportCombinedFigure(timelines, heads, o, out, scene);
  if (!error.isEmpty()) throw Failure{error};
  return 0;
}

} // namespace

bool isHeadlessExport(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--export") == 0 || std::strncmp(argv[i], "--export=", 9) == 0)
      return true;
  return false;
}

int runHeadlessExport(const QStringList& arguments, QTextStream& err) {
  try {
    return run(arguments);
  } catch (const Failure& f) {
    err << "chrysalis: error: " << f.message << Qt::endl;
    return f.usage ? 2 : 1;
  } catch (const std::exception& e) {
    err << "chrysalis: error: " << e.what() << Qt::endl;
  }
  return 1;
}

} // namespace chrysalis::ui
