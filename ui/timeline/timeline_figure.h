#pragma once
// What the timelines plot, as plain data: panels of series (already smoothed
// when smoothing is on) and onset markers. The interactive charts, the paper
// export and its CSV are all drawn from one TimelineFigure, so the CSV holds
// exactly what was plotted.
#include "common/step_axis.h"
#include "data/run_onsets.h"

#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>

class QIODevice;

namespace chrysalis::ui {

struct RunData;

enum class PanelId {
  Loss,
  Uas,
  Blimp,
  TwoNN,
  ContextWindow,
  AttentionDistance,
  LossSlope,
  Ablation,
  Path
};
inline constexpr int kPanelCount = 9;
/// The paper's four panels are shown until hidden; the others on demand.
inline constexpr bool panelShownByDefault(PanelId id) {
  return static_cast<int>(id) < 4;
}

struct PlotSeries {
  QString metric; ///< scalar name in the probe store, e.g. "uas_all_words"
  QString name;   ///< legend text, e.g. "all words"
  int runId = 0;
  QString runLabel;
  QColor colour;    ///< the curve's colour
  QColor runColour; ///< the run's colour (differs from colour on a ramp)
  Qt::PenStyle style = Qt::SolidLine;
  double widthScale = 1.0;   ///< of the style's line width: the dense training log is thin
  QVector<QPointF> points;   ///< (step, value) as drawn: smoothed when smoothing is on
  QVector<QPointF> measured; ///< (step, value) measured points, drawn as dots when smoothed
  bool smoothed = false;
  /// Steps whose stored value is NaN or infinite: no point, a mark at the
  /// panel's foot and "NaN" in the read-out (never a made-up number).
  QVector<double> nonFiniteSteps;
  /// A seed group's band: min and max across seeds (smoothed like points),
  /// drawn shaded around the mean; empty for a single run.
  QVector<QPointF> bandLow, bandHigh;
};

struct OnsetMarker {
  enum Kind { Structure, Capabilities, Plateau };
  Kind kind = Structure;
  qint64 step = 0;
  int runId = 0;
  QString runLabel;
  QColor colour;
  QString symbol; ///< "▲", "●", "■"
  QString text;   ///< "structure 1k", with the interval: "structure 240 [200, 300]"
  QString tooltip;
  /// Bootstrap interval over probe items (onset_intervals.h), -1 when none.
  qint64 lowStep = -1, highStep = -1;
  bool hasInterval() const { return lowStep >= 0 && highStep >= 0; }
};

struct PanelModel {
  PanelId id = PanelId::Loss;
  QString title;
  QString yLabel;
  QVector<PlotSeries> series;
  double yMin = 0.0, yMax = 1.0; ///< padded data range
};

struct TimelineOptions {
  StepScale scale = StepScale::Linear;
  /// Smoothing bandwidth in log-step units (onset::Axis::LogStep), 0 = off.
  double smoothing = 0.0;
  bool panelVisible[kPanelCount] = {true, true, true, true, false, false, false, false, false};
  OnsetSettings onsets;
};

/// One run to plot, or a seed group.
struct RunView {
  const RunData* data = nullptr; ///< a seed group: the seeds' mean (seed_mean.h)
  int id = 0;
  QColor colour;
  /// A seed group's runs, for its min–max band; empty for a single run.
  QVector<const RunData*> seeds = {};
  /// Onsets with bootstrap intervals (same detector settings), or nullptr.
  const RunOnsets* intervals = nullptr;
};

struct TimelineFigure {
  QVector<PanelModel> panels; ///< visible panels with data, top to bottom
  QVector<OnsetMarker> markers;
  StepScale scale = StepScale::Linear;
  StepRange fullRange;  ///< every plotted step
  QString onsetCaption; ///< detector description and the onsets, one line per run
};

QString panelTitle(PanelId id);

/// Builds the figure; pure (no widgets), used by the charts and the exports.
TimelineFigure buildTimelineFigure(const QVector<RunView>& runs, const TimelineOptions& options);

/// Writes exactly what the figure plots, long format:
/// panel,series,run,kind,step,value with kind = measured | smoothed |
/// band_min | band_max (seed groups) | onset | onset_low | onset_high
/// (bootstrap interval).
void writeTimelineCsv(const TimelineFigure& figure, QIODevice& out);

} // namespace chrysalis::ui
