#include "timeline/timeline_figure.h"

#include "data/run_data.h"
#include "data/seed_mean.h"
#include "onset/smoothing.h"
#include "timeline/panel_metrics.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chrysalis::ui {
namespace {

Timeline trainLoss(const RunData& run) {
  Timeline t;
  for (const auto& c : run.checkpoints)
    if (!std::isnan(c.trainLoss)) {
      t.steps << c.step;
      t.values << c.trainLoss;
    }
  return t;
}

// A dense training log has a row per step (100,000 for a long run): drawn
// as the mean of consecutive rows in at most kDenseLogPoints buckets, each at
// its mean step, so the line stays cheap to draw and its noise readable.
constexpr int kDenseLogPoints = 2000;
Timeline bucketMeans(const Timeline& t) {
  const int n = static_cast<int>(t.steps.size());
  if (n <= kDenseLogPoints) return t;
  Timeline out;
  for (int b = 0; b < kDenseLogPoints; ++b) {
    const int lo = static_cast<int>(static_cast<qint64>(n) * b / kDenseLogPoints);
    const int hi = static_cast<int>(static_cast<qint64>(n) * (b + 1) / kDenseLogPoints);
    double sum = 0, steps = 0;
    int count = 0;
    for (int i = lo; i < hi; ++i)
      if (std::isfinite(t.values[i])) {
        sum += t.values[i];
        steps += static_cast<double>(t.steps[i]);
        ++count;
      }
    if (count == 0) continue;
    out.steps << static_cast<qint64>(std::llround(steps / count));
    out.values << sum / count;
  }
  return out;
}

// The curve as drawn: the measured points, or with smoothing a dense grid
// even in log-step units, where the bandwidth is measured.
QVector<QPointF> drawnPoints(const Timeline& t, double smoothing, bool* smoothed) {
  QVector<QPointF> measured;
  for (int i = 0; i < t.steps.size(); ++i)
    if (std::isfinite(t.values[i]))
      measured << QPointF(static_cast<double>(t.steps[i]), t.values[i]);
  *smoothed = smoothing > 0.0 && measured.size() >= 3;
  if (!*smoothed) return measured;
  onset::Curve curve(std::vector<int64_t>(t.steps.begin(), t.steps.end()),
                     std::vector<double>(t.values.begin(), t.values.end()));
  const double a = std::log1p(measured.first().x()), b = std::log1p(measured.last().x());
  constexpr int kDense = 240;
  std::vector<double> at;
  for (int i = 0; i < kDense; ++i)
    at.push_back(std::expm1(a + (b - a) * i / (kDense - 1)));
  const std::vector<double> v = onset::smoothAt(curve, at, {smoothing, onset::Axis::LogStep});
  QVector<QPointF> out;
  for (size_t i = 0; i < at.size(); ++i)
    if (!std::isnan(v[i])) out << QPointF(at[i], v[i]);
  return out;
}

PlotSeries makeSeries(const Timeline& t, const MetricSpec& m, const RunView& run,
                      double smoothing) {
  PlotSeries s;
  s.metric = m.scalar;
  s.name = m.name;
  if (!m.countScalar.isEmpty()) {
    const Timeline count = run.data->timeline(m.kind, m.countScalar);
    if (!count.values.isEmpty() && count.values.last() > 0)
      s.name +=
          QStringLiteral(" (%1 %2)").arg(static_cast<qint64>(count.values.last())).arg(m.countUnit);
  }
  if (m.kind == QLatin1String("ablation") && m.scalar == QLatin1String("ablation_loss_delta")) {
    // Which heads: a run may hold several ablation configurations.
    const auto config = run.data->configs.constFind(run.data->kindHash.value(m.kind));
    if (config != run.data->configs.constEnd()) {
      const QJsonObject c = QJsonDocument::fromJson(config->configJson.toUtf8()).object();
      s.name = QStringLiteral("heads %1 ablated (%2)")
                   .arg(c.value(QStringLiteral("heads")).toString(),
                        c.value(QStringLiteral("mode")).toString());
    }
  }
  s.runId = run.id;
  s.runLabel = run.data->label;
  s.runColour = run.colour;
  s.colour = m.rampIndex >= 0 ? rampColour(run.colour, m.rampIndex, m.rampSize) : run.colour;
  s.style = m.style;
  bool raw = false;
  for (qint64 step : t.nonFiniteSteps)
    s.nonFiniteSteps << static_cast<double>(step);
  s.points = drawnPoints(t, smoothing, &s.smoothed);
  if (s.smoothed) s.measured = drawnPoints(t, 0.0, &raw); // the dots under the smoothed curve
  // A seed group: the band is min–max across seeds at steps where every seed
  // has a value (seed_mean.h), smoothed like the mean so it stays around it.
  if (run.seeds.size() > 1 && !m.kind.isEmpty()) {
    const SeedBand band = seedBand(run.seeds, m.kind, m.scalar);
    s.bandLow = drawnPoints(band.low, smoothing, &raw);
    s.bandHigh = drawnPoints(band.high, smoothing, &raw);
  }
  return s;
}

void addMarker(TimelineFigure& f, const RunView& run, OnsetMarker::Kind kind,
               const std::optional<onset::Onset>& o, const std::optional<onset::Onset>& interval,
               const QString& description, const QString& noInterval) {
  if (!o) return;
  static const char* const symbols[] = {"\u25B2", "\u25CF", "\u25A0"};
  static const char* const names[] = {"structure", "capabilities", "plateau"};
  static const char* const what[] = {"Structure onset: UAS breakpoint",
                                     "Capabilities onset: BLiMP breakpoint",
                                     "UAS plateau: first step at 95% of its rise"};
  OnsetMarker m;
  m.kind = kind;
  m.step = o->step;
  m.runId = run.id;
  m.runLabel = run.data->label;
  m.colour = run.colour;
  m.symbol = QString::fromUtf8(symbols[kind]);
  m.text = QString::fromLatin1(names[kind]) + QLatin1Char(' ') +
           formatStep(static_cast<double>(o->step));
  m.tooltip = QStringLiteral("%1\n%2 at step %3\nDetector: %4")
                  .arg(run.data->label, QString::fromLatin1(what[kind]),
                       QLocale::c().toString(o->step), description);
  // Only an interval around this very step: the bootstrap reruns the detector
  // on the items' pooled mean, which is the stored scalar.
  if (interval && interval->step == o->step && interval->lowStep && interval->highStep) {
    m.lowStep = *interval->lowStep;
    m.highStep = *interval->highStep;
    m.text += QStringLiteral(" [%1, %2]")
                  .arg(formatStep(static_cast<double>(m.lowStep)),
                       formatStep(static_cast<double>(m.highStep)));
    m.tooltip += QStringLiteral("\n90% bootstrap interval over probe items: %1 \u2013 %2")
                     .arg(QLocale::c().toString(m.lowStep), QLocale::c().toString(m.highStep));
    if (interval->agreement)
      m.tooltip += QStringLiteral(" (%1% of resamples mark this step)")
                       .arg(qRound(*interval->agreement * 100));
  } else if (!noInterval.isEmpty()) {
    m.tooltip += QStringLiteral("\nNo bootstrap interval: ") + noInterval;
  }
  f.markers << m;
}

QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
      !s.contains(QLatin1Char('\n')))
    return s;
  QString q = s;
  q.replace(QLatin1Char('"'), QLatin1String("\"\""));
  return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

QString panelTitle(PanelId id) {
  switch (id) {
  case PanelId::Loss:
    return QStringLiteral("MLM loss");
  case PanelId::Uas:
    return QStringLiteral("UAS (syntactic attention structure)");
  case PanelId::Blimp:
    return QStringLiteral("BLiMP accuracy");
  case PanelId::TwoNN:
    return QStringLiteral("TwoNN intrinsic dimension");
  case PanelId::ContextWindow:
    return QStringLiteral("Context window (n-gram MLM accuracy)");
  case PanelId::AttentionDistance:
    return QStringLiteral("Attention distance, entropy and sink share");
  case PanelId::LossSlope:
    return QStringLiteral("Loss slope (\u2212d loss / d log step)");
  case PanelId::Ablation:
    return QStringLiteral("Head ablation: loss increase (ablated \u2212 intact)");
  case PanelId::Path:
    return QStringLiteral("Loss barrier on the line from the previous checkpoint");
  }
  return {};
}

TimelineFigure buildTimelineFigure(const QVector<RunView>& runs, const TimelineOptions& options) {
  TimelineFigure f;
  f.scale = options.scale;
  for (int p = 0; p < kPanelCount; ++p) {
    const auto id = static_cast<PanelId>(p);
    if (!options.panelVisible[p]) continue;
    PanelModel panel;
    panel.id = id;
    panel.title = panelTitle(id);
    panel.yLabel = panelYLabel(id);
    for (const RunView& run : runs) {
      bool any = false;
      for (const MetricSpec& m : panelMetrics(id)) {
        const Timeline t = run.data->timeline(m.kind, m.scalar);
        if (t.isEmpty()) continue;
        panel.series << makeSeries(t, m, run, options.smoothing);
        any = true;
      }
      // The dense training log: a thin line under the checkpoint probes, with
      // the panel's smoothing (its measured rows are too many to dot).
      if (id == PanelId::Loss && !run.data->trainLog.isEmpty()) {
        PlotSeries dense = makeSeries(
            bucketMeans(run.data->trainLog),
            MetricSpec{{}, QStringLiteral("train_loss_log"), QStringLiteral("training loss (log)")},
            run, options.smoothing);
        dense.widthScale = 0.45;
        dense.measured.clear();
        panel.series.prepend(dense);
        any = true;
      }
      // Without a held-out loss probe, the trainer's recent training loss is
      // the next best thing; its name says which it is.
      if (id == PanelId::Loss && !any) {
        const Timeline t = trainLoss(*run.data);
        if (!t.isEmpty())
          panel.series << makeSeries(
              t, MetricSpec{{}, QStringLiteral("train_loss"), QStringLiteral("training loss")}, run,
              options.smoothing);
      }
    }
    if (panel.series.isEmpty()) continue;
    // Only the trainer's own losses (no held-out probe yet): the axis says so,
    // as a single curve has no key to name it.
    if (id == PanelId::Loss &&
        std::all_of(panel.series.cbegin(), panel.series.cend(), [](const PlotSeries& s) {
          return s.metric.startsWith(QLatin1String("train_loss"));
        }))
      panel.yLabel = QStringLiteral("training loss");
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& s : panel.series)
      for (const auto* pts : {&s.points, &s.measured, &s.bandLow, &s.bandHigh})
        for (const QPointF& pt : *pts) {
          lo = std::min(lo, pt.y());
          hi = std::max(hi, pt.y());
        }
    const double pad = hi > lo ? 0.06 * (hi - lo) : 0.5;
    panel.yMin = lo - pad;
    panel.yMax = hi + pad;
    f.panels << panel;
  }
  // The step range over everything plotted.
  double first = std::numeric_limits<double>::infinity(), last = -first;
  for (const auto& panel : f.panels)
    for (const auto& s : panel.series)
      for (const auto* pts : {&s.points, &s.measured})
        for (const QPointF& pt : *pts) {
          first = std::min(first, pt.x());
          last = std::max(last, pt.x());
        }
  if (first <= last)
    f.fullRange = {first, last > first ? last : first + 1.0};
  else
    f.fullRange = {};

  QStringList caption;
  for (const RunView& run : runs) {
    const RunOnsets o = computeOnsets(*run.data, options.onsets);
    const RunOnsets none;
    const RunOnsets& ci = run.intervals ? *run.intervals : none;
    addMarker(f, run, OnsetMarker::Structure, o.structure, ci.structure, o.description, ci.problem);
    addMarker(f, run, OnsetMarker::Capabilities, o.capabilities, ci.capabilities, o.description,
              ci.problem);
    addMarker(f, run, OnsetMarker::Plateau, o.plateau, ci.plateau, o.description, ci.problem);
    QStringList parts;
    for (const auto& m : std::as_const(f.markers))
      if (m.runId == run.id) parts << m.symbol + QLatin1Char(' ') + m.text;
    // "No onset" is an answer, shown with its reason, never a silent gap.
    if (o.problem.isEmpty() && !o.structure)
      parts << QStringLiteral("no structure onset (%1)").arg(o.structureNone);
    if (o.problem.isEmpty() && !o.capabilities && o.structure)
      parts << QStringLiteral("no capabilities onset (%1)").arg(o.capabilitiesNone);
    const QString who = runs.size() > 1 ? run.data->label + QStringLiteral(": ") : QString();
    if (!o.problem.isEmpty())
      caption << who + QStringLiteral("onsets: ") + o.problem;
    else
      caption << who + (parts.isEmpty() ? QStringLiteral("no onset found")
                                        : parts.join(QStringLiteral("   ")));
    if (&run == &runs.last()) caption << QStringLiteral("Detector: ") + o.description;
  }
  f.onsetCaption = caption.join(QLatin1Char('\n'));
  return f;
}

void writeTimelineCsv(const TimelineFigure& figure, QIODevice& out) {
  QTextStream s(&out);
  s << "panel,series,run,kind,step,value\n";
  auto num = [](double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); };
  for (const auto& panel : figure.panels)
    for (const auto& series : panel.series) {
      const QString head = csvField(panelTitle(panel.id)) + QLatin1Char(',') +
                           csvField(series.metric) + QLatin1Char(',') + csvField(series.runLabel) +
                           QLatin1Char(',');
      for (const QPointF& p : series.points)
        s << head << (series.smoothed ? "smoothed" : "measured") << ',' << num(p.x()) << ','
          << num(p.y()) << '\n';
      for (const QPointF& p : series.measured)
        s << head << "measured," << num(p.x()) << ',' << num(p.y()) << '\n';
      for (const QPointF& p : series.bandLow)
        s << head << "band_min," << num(p.x()) << ',' << num(p.y()) << '\n';
      for (const QPointF& p : series.bandHigh)
        s << head << "band_max," << num(p.x()) << ',' << num(p.y()) << '\n';
    }
  static const char* const kinds[] = {"onset:structure", "onset:capabilities", "onset:plateau"};
  for (const auto& m : figure.markers) {
    const QString head = QStringLiteral("all,") + QLatin1String(kinds[m.kind]) + QLatin1Char(',') +
                         csvField(m.runLabel);
    s << head << ",onset," << m.step << ",\n";
    if (m.hasInterval())
      s << head << ",onset_low," << m.lowStep << ",\n"
        << head << ",onset_high," << m.highStep << ",\n";
  }
}

} // namespace chrysalis::ui
