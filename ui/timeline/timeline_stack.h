#pragma once
// The stacked timelines: loss, UAS, BLiMP and TwoNN on one shared step axis
// (linear or log), one cursor through all of them, shared zoom, optional
// smoothing, and the onset markers with the detector's description.
#include "cursor/cursor_context.h"
#include "timeline/chart_style.h"
#include "timeline/path_inset.h"
#include "timeline/timeline_figure.h"

#include <QWidget>

#include <vector>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QScrollArea;
class QSettings;
class QStackedWidget;
class QTimer;

namespace chrysalis::ui {

class OnsetIntervals;
class PanelView;
class Session;
class ZoomStack;

class TimelineStack : public QWidget, public ICursorObserver {
  Q_OBJECT
public:
  TimelineStack(Session& session, CursorContext& cursor, QWidget* parent = nullptr);
  ~TimelineStack() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  const TimelineFigure& figure() const { return m_figure; }
  /// The curves the Loss Path panel's inset shows now (tests).
  const QVector<PathCurve>& pathCurves() const { return m_pathCurves; }
  const TimelineOptions& options() const { return m_options; }
  void setOptions(const TimelineOptions& options);
  StepRange visibleRange() const;
  ZoomStack& zoom() const { return *m_zoom; }
  QAction* logAxisAction() const { return m_logAxis; }
  QAction* panelAction(PanelId id) const { return m_panelActions[static_cast<int>(id)]; }
  /// View ▸ Group Runs by Seed: seed groups drawn as mean ± min–max band.
  QAction* groupBySeedAction() const { return m_groupSeeds; }
  /// View ▸ Confidence Bands: bootstrap intervals of the onsets.
  QAction* confidenceBandsAction() const { return m_confidenceBands; }
  OnsetIntervals& onsetIntervals() const { return *m_intervals; }
  /// The view of a panel (hidden when the panel is off or has no data).
  PanelView* view(PanelId id) const { return m_views[static_cast<int>(id)]; }
  void setChartStyle(const ChartStyle& style);
  /// Rebuilds the figure now instead of at the next event-loop turn.
  void rebuildNow();

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

Q_SIGNALS:
  void figureChanged();

private:
  QWidget* makeControls();
  void scheduleRebuild();
  void rebuild();
  void applyRange(const StepRange& range);
  void requestCursor(double step);
  void showReadout(double step);
  void syncControls();
  QVector<RunView> runViews();

  Session& m_session;
  CursorContext& m_cursor;
  TimelineOptions m_options;
  TimelineFigure m_figure;
  /// The path probe's curves at the cursor, drawn over the Loss Path panel.
  QVector<PathCurve> m_pathCurves;
  void updatePathInset();
  ChartStyle m_style;
  ZoomStack* m_zoom;
  QTimer* m_rebuildTimer;
  QStackedWidget* m_pages;
  PanelView* m_views[kPanelCount] = {};
  QAction* m_logAxis;
  QAction* m_panelActions[kPanelCount] = {};
  QAction* m_groupSeeds;
  QAction* m_confidenceBands;
  OnsetIntervals* m_intervals;
  std::vector<RunData> m_groupMeans; // the seed groups' mean runs the figure was built from
  QDoubleSpinBox* m_smoothing = nullptr;
  QComboBox* m_detector = nullptr;
  QLabel* m_caption = nullptr;
  QScrollArea* m_captionScroll = nullptr;
};

/// The step of `steps` (ascending) nearest to `step`; `step` itself when empty.
qint64 nearestStep(const QVector<qint64>& steps, double step);

} // namespace chrysalis::ui
