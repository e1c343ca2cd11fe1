#pragma once
// What the timelines plot, as plain data: panels of series (already smoothed
// when smoothing is on) and onset markers. The interactive charts, the paper
// export and its CSV are all drawn from one TimelineFigure, so the CSV holds
// exactly what was plotted.
#include "data/run_onsets.h"
#include "timeline/step_axis.h"

#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>

class QIODevice;

namespace chrysalis::ui {

struct RunData;

enum class PanelId { Loss, Uas, Blimp, TwoNN };
inline constexpr int kPanelCount = 4;

struct PlotSeries {
  QString metric; ///< scalar name in the probe store, e.g. "uas_all_words"
  QString name;   ///< legend text, e.g. "all words"
  int runId = 0;
  QString runLabel;
  QColor colour;
  Qt::PenStyle style = Qt::SolidLine;
  QVector<QPointF> points;   ///< (step, value) as drawn: smoothed when smoothing is on
  QVector<QPointF> measured; ///< (step, value) measured points, drawn as dots when smoothed
  bool smoothed = false;
};

struct OnsetMarker {
  enum Kind { Structure, Capabilities, Plateau };
  Kind kind = Structure;
  qint64 step = 0;
  int runId = 0;
  QString runLabel;
  QColor colour;
  QString symbol; ///< "▲", "●", "■"
  QString text;   ///< "structure 1k"
  QString tooltip;
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
  bool panelVisible[kPanelCount] = {true, true, true, true};
  OnsetSettings onsets;
};

/// One run to plot.
struct RunView {
  const RunData* data = nullptr;
  int id = 0;
  QColor colour;
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
/// panel,series,run,kind,step,value with kind = measured | smoothed | onset.
void writeTimelineCsv(const TimelineFigure& figure, QIODevice& out);

} // namespace chrysalis::ui
