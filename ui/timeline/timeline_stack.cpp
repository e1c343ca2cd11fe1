#include "timeline/timeline_stack.h"

#include "data/onset_intervals.h"
#include "data/seed_mean.h"
#include "runs/run_colours.h"
#include "runs/seed_groups.h"
#include "runs/session.h"
#include "timeline/panel_chart.h"
#include "timeline/panel_view.h"
#include "timeline/zoom_stack.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace chrysalis::ui {

qint64 nearestStep(const QVector<qint64>& steps, double step) {
  if (steps.isEmpty()) return static_cast<qint64>(std::llround(step));
  auto it = std::lower_bound(steps.cbegin(), steps.cend(), step,
                             [](qint64 s, double v) { return static_cast<double>(s) < v; });
  if (it == steps.cend()) return steps.last();
  if (it != steps.cbegin() &&
      step - static_cast<double>(*(it - 1)) < static_cast<double>(*it) - step)
    --it;
  return *it;
}

TimelineStack::TimelineStack(Session& session, CursorContext& cursor, QWidget* parent)
    : QWidget(parent), m_session(session), m_cursor(cursor), m_style(ChartStyle::light()) {
  m_zoom = new ZoomStack(this);
  m_rebuildTimer = new QTimer(this);
  m_rebuildTimer->setSingleShot(true);
  // Coalesce: a growing run or several runs opening at once replot once.
  m_rebuildTimer->setInterval(30);
  connect(m_rebuildTimer, &QTimer::timeout, this, &TimelineStack::rebuild);

  m_logAxis = new QAction(QStringLiteral("&Log Step Axis"), this);
  m_logAxis->setCheckable(true);
  m_logAxis->setShortcut(QKeySequence(Qt::Key_L));
  m_logAxis->setToolTip(
      QStringLiteral("Logarithmic step axis: log10(1 + step), so step 0 stays visible (L)"));
  connect(m_logAxis, &QAction::toggled, this, [this](bool on) {
    m_options.scale = on ? StepScale::Log : StepScale::Linear;
    scheduleRebuild();
  });
  m_groupSeeds = new QAction(QStringLiteral("&Group Runs by Seed"), this);
  m_groupSeeds->setCheckable(true);
  m_groupSeeds->setToolTip(
      QStringLiteral("Draw runs that differ only by seed as their mean with a min\u2013max band"));
  connect(m_groupSeeds, &QAction::toggled, this, &TimelineStack::scheduleRebuild);
  m_confidenceBands = new QAction(QStringLiteral("&Confidence Bands"), this);
  m_confidenceBands->setCheckable(true);
  m_confidenceBands->setChecked(true);
  m_confidenceBands->setToolTip(QStringLiteral("Mark each onset's 90% bootstrap interval over "
                                               "probe sentences and BLiMP pairs (%1 resamples)")
                                    .arg(BootstrapSettings{}.resamples));
  connect(m_confidenceBands, &QAction::toggled, this, &TimelineStack::scheduleRebuild);
  m_intervals = new OnsetIntervals(session.items(), session.queue(), {}, this);
  connect(m_intervals, &OnsetIntervals::updated, this, &TimelineStack::scheduleRebuild);
  connect(&session, &Session::runAboutToBeRemoved, this,
          [this](int index) { m_intervals->forget(m_session.at(index).data.dir); });
  for (int p = 0; p < kPanelCount; ++p) {
    const auto id = static_cast<PanelId>(p);
    static const char* const names[] = {
        "Loss",       "UAS",           "BLiMP",    "TwoNN", "Context Window", "Attention Distance",
        "Loss Slope", "Head Ablation", "Loss Path"};
    static_assert(std::size(names) == kPanelCount, "one menu name per panel");
    auto* a = new QAction(QString::fromLatin1(names[p]), this);
    a->setCheckable(true);
    a->setChecked(panelShownByDefault(id));
    a->setToolTip(QStringLiteral("Show the %1 panel").arg(panelTitle(id)));
    connect(a, &QAction::toggled, this, [this, p](bool on) {
      m_options.panelVisible[p] = on;
      scheduleRebuild();
    });
    m_panelActions[p] = a;
  }

  auto* charts = new QWidget;
  auto* chartLayout = new QVBoxLayout(charts);
  chartLayout->setContentsMargins(0, 0, 0, 0);
  chartLayout->setSpacing(0);
  for (int p = 0; p < kPanelCount; ++p) {
    auto* view = new PanelView(new PanelChart);
    // A click on a chart takes the keyboard, so arrows scrub from there.
    view->setFocusPolicy(Qt::StrongFocus);
    view->setObjectName(QStringLiteral("timeline-") + m_panelActions[p]->text().toLower().replace(
                                                          QLatin1Char(' '), QLatin1Char('-')));
    chartLayout->addWidget(view, 1);
    connect(view, &PanelView::cursorRequested, this, &TimelineStack::requestCursor);
    connect(view, &PanelView::rangeRequested, m_zoom, &ZoomStack::zoomTo);
    connect(view, &PanelView::resetRequested, m_zoom, &ZoomStack::reset);
    connect(view, &PanelView::hovered, this, &TimelineStack::showReadout);
    m_views[p] = view;
  }
  m_views[static_cast<int>(PanelId::Path)]->setForegroundPainter([this](QPainter& painter,
                                                                        const QRectF& plot) {
    if (m_pathCurves.isEmpty() || plot.width() < 160 || plot.height() < 70) return;
    const QSizeF size(std::max(150.0, plot.width() * 0.45), std::max(66.0, plot.height() * 0.8));
    const QRectF box(plot.right() - size.width() - 4, plot.top() + 4, size.width(), size.height());
    const ChartStyle& style = m_views[static_cast<int>(PanelId::Path)]->panelChart()->chartStyle();
    paintPathInset(painter, box, m_pathCurves, style.font, style.text, style.plotBackground);
  });
  m_caption = new QLabel;
  m_caption->setObjectName(QStringLiteral("onset-caption"));
  m_caption->setWordWrap(true);
  m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_caption->setContentsMargins(8, 4, 8, 4);
  // Several runs make a long caption: it scrolls within three lines
  // rather than pushing the charts or the window past a laptop screen.
  m_captionScroll = new QScrollArea;
  m_captionScroll->setObjectName(QStringLiteral("onset-caption-scroll"));
  m_captionScroll->setWidget(m_caption);
  m_captionScroll->setWidgetResizable(true);
  m_captionScroll->setFrameShape(QFrame::NoFrame);
  m_captionScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_captionScroll->setMaximumHeight(fontMetrics().lineSpacing() * 3 + 10);
  m_captionScroll->setMinimumHeight(fontMetrics().lineSpacing() * 2 + 10);
  // On a small screen the panels scroll rather than shrink past legibility
  // or push the window off the screen; at 1280 x 800 they fit (guide-laptop.png).
  auto* chartScroll = new QScrollArea;
  chartScroll->setObjectName(QStringLiteral("timeline-scroll"));
  chartScroll->setWidget(charts);
  chartScroll->setWidgetResizable(true);
  chartScroll->setFrameShape(QFrame::NoFrame);
  chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* page = new QWidget;
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 0, 0, 0);
  pageLayout->setSpacing(0);
  pageLayout->addWidget(chartScroll, 1);
  pageLayout->addWidget(m_captionScroll);

  auto* empty = new QLabel(QStringLiteral(
      "<p style='font-size:large'>No series open</p>"
      "<p>Open a series folder with <b>File \u25B8 Open Series\u2026</b> (Ctrl+O),<br>"
      "drop it here, or pass it on the command line.</p>"));
  empty->setAlignment(Qt::AlignCenter);
  empty->setTextFormat(Qt::RichText);
  m_pages = new QStackedWidget;
  m_pages->addWidget(empty);
  m_pages->addWidget(page);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(makeControls());
  layout->addWidget(m_pages, 1);

  connect(m_zoom, &ZoomStack::changed, this, &TimelineStack::applyRange);
  connect(&session, &Session::runAdded, this, &TimelineStack::scheduleRebuild);
  connect(&session, &Session::runChanged, this, &TimelineStack::scheduleRebuild);
  connect(&session, &Session::runRemoved, this, &TimelineStack::scheduleRebuild);
  m_cursor.addObserver(this);
  rebuild();
}

TimelineStack::~TimelineStack() {
  m_cursor.removeObserver(this);
}

QWidget* TimelineStack::makeControls() {
  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(6, 3, 6, 3);
  auto addButton = [&](QAction* a) {
    auto* b = new QToolButton;
    b->setDefaultAction(a);
    b->setFocusPolicy(Qt::NoFocus);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    row->addWidget(b);
  };
  addButton(m_logAxis);
  row->addSpacing(12);
  row->addWidget(new QLabel(QStringLiteral("Smoothing \u03C3")));
  m_smoothing = new QDoubleSpinBox;
  m_smoothing->setRange(0.0, 1.0);
  m_smoothing->setSingleStep(0.05);
  m_smoothing->setDecimals(2);
  m_smoothing->setSpecialValueText(QStringLiteral("off"));
  m_smoothing->setSuffix(QStringLiteral(" ln-step"));
  m_smoothing->setToolTip(QStringLiteral(
      "Gaussian smoothing of the drawn curves (onset::smoothAt), bandwidth in log-step units "
      "(0.1 \u2248 \u00B110% of the step). Measured points stay visible as dots. "
      "Onsets use the detector's own settings."));
  connect(m_smoothing, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    m_options.smoothing = v;
    scheduleRebuild();
  });
  row->addWidget(m_smoothing);
  row->addSpacing(12);
  row->addWidget(new QLabel(QStringLiteral("Onsets")));
  m_detector = new QComboBox;
  for (auto d : {OnsetDetector::Default, OnsetDetector::SecondDerivative,
                 OnsetDetector::LogStepSmoothed, OnsetDetector::ThreeSegmentFit})
    m_detector->addItem(detectorName(d), static_cast<int>(d));
  m_detector->setToolTip(QStringLiteral(
      "Onset detector. The default fits a logistic rise and marks its turn only when "
      "it is significant against checkpoint noise, otherwise it says \"no onset\" "
      "and why (docs/probes.md has each detector's measured accuracy); its full "
      "description is under the charts"));
  m_detector->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_detector->setMinimumContentsLength(10); // the full name is in the list
  connect(m_detector, &QComboBox::currentIndexChanged, this, [this] {
    m_options.onsets.detector = static_cast<OnsetDetector>(m_detector->currentData().toInt());
    scheduleRebuild();
  });
  row->addWidget(m_detector);
  row->addSpacing(12);
  for (int p = 0; p < kPanelCount; ++p) // the on-demand panels live in View ▸ Timelines
    if (panelShownByDefault(static_cast<PanelId>(p))) addButton(m_panelActions[p]);
  row->addStretch(1);
  return bar; // zoom back/reset live in the main toolbar and the View menu
}

void TimelineStack::setOptions(const TimelineOptions& options) {
  m_options = options;
  syncControls();
  scheduleRebuild();
}

void TimelineStack::syncControls() {
  // Programmatic changes must not echo back through the controls' signals.
  const QSignalBlocker b1(m_logAxis), b2(m_smoothing), b3(m_detector);
  m_logAxis->setChecked(m_options.scale == StepScale::Log);
  m_smoothing->setValue(m_options.smoothing);
  m_detector->setCurrentIndex(m_detector->findData(static_cast<int>(m_options.onsets.detector)));
  for (int p = 0; p < kPanelCount; ++p) {
    const QSignalBlocker b(m_panelActions[p]);
    m_panelActions[p]->setChecked(m_options.panelVisible[p]);
  }
}

StepRange TimelineStack::visibleRange() const {
  return m_zoom->current();
}

void TimelineStack::setChartStyle(const ChartStyle& style) {
  m_style = style;
  for (auto* v : m_views) {
    v->panelChart()->setChartStyle(style);
    v->setBackgroundBrush(style.background);
  }
  scheduleRebuild();
}

void TimelineStack::scheduleRebuild() {
  m_rebuildTimer->start();
}

void TimelineStack::rebuildNow() {
  m_rebuildTimer->stop();
  rebuild();
}

QVector<RunView> TimelineStack::runViews() {
  QVector<QVector<const OpenRun*>> groups;
  if (m_groupSeeds->isChecked())
    groups = groupBySeed(m_session.visibleRuns());
  else
    for (const OpenRun* r : m_session.visibleRuns())
      groups.append({r});
  m_groupMeans.clear();
  m_groupMeans.reserve(static_cast<size_t>(groups.size())); // RunViews point into it
  QVector<RunView> runs;
  for (const auto& group : std::as_const(groups)) {
    const OpenRun* first = group.first();
    if (group.size() > 1) {
      QVector<const RunData*> seeds;
      for (const OpenRun* r : group)
        seeds << &r->data;
      m_groupMeans.push_back(seedMeanRun(seeds, seedGroupLabel(group)));
      RunView mean{&m_groupMeans.back(), first->id, runColour(*first), seeds};
      if (m_confidenceBands->isChecked()) {
        m_intervals->requestGroup(seeds, m_options.onsets);
        mean.intervals = m_intervals->groupResult(seeds, m_options.onsets);
      }
      runs << mean;
      continue;
    }
    RunView run{&first->data, first->id, runColour(*first)};
    if (m_confidenceBands->isChecked()) {
      m_intervals->request(first->data, m_options.onsets); // updated() rebuilds when it is done
      run.intervals = m_intervals->result(first->data.dir, m_options.onsets);
    }
    runs << run;
  }
  return runs;
}

void TimelineStack::rebuild() {
  m_figure = buildTimelineFigure(runViews(), m_options);
  m_pages->setCurrentIndex(m_session.count() == 0 ? 0 : 1);

  int top = -1, bottom = -1;
  for (int i = 0; i < m_figure.panels.size(); ++i) {
    if (top < 0) top = static_cast<int>(m_figure.panels[i].id);
    bottom = static_cast<int>(m_figure.panels[i].id);
  }
  for (int p = 0; p < kPanelCount; ++p) {
    const PanelModel* panel = nullptr;
    for (const auto& candidate : std::as_const(m_figure.panels))
      if (static_cast<int>(candidate.id) == p) panel = &candidate;
    m_views[p]->setVisible(panel != nullptr);
    if (!panel) continue;
    PanelChart* chart = m_views[p]->panelChart();
    chart->setContent(*panel, m_figure.markers, m_figure.scale, p == top, p == bottom);
    m_views[p]->fitMinimumHeight();
    chart->setCursorStep(m_cursor.cursor().step >= 0 ? static_cast<double>(m_cursor.cursor().step)
                                                     : std::nan(""));
  }
  m_zoom->setFullRange(m_figure.fullRange);
  applyRange(m_zoom->current());
  m_caption->setText(m_figure.onsetCaption.isEmpty()
                         ? QString()
                         : m_figure.onsetCaption +
                               QStringLiteral("\nUAS picks each relation's best head on the probe "
                                              "sentences themselves, as in the paper."));
  m_captionScroll->setVisible(!m_figure.panels.isEmpty());
  Q_EMIT figureChanged();
  updatePathInset(); // after the panels are shown or hidden
}

void TimelineStack::applyRange(const StepRange& range) {
  if (!range.isValid()) return;
  for (auto* v : m_views)
    v->panelChart()->setStepRange(range);
}

void TimelineStack::requestCursor(double step) {
  const qint64 snapped = nearestStep(m_session.steps(), std::max(0.0, step));
  // This view already shows the change; the others hear it from the context.
  for (auto* v : m_views)
    v->panelChart()->setCursorStep(static_cast<double>(snapped));
  m_cursor.setStep(snapped, this);
}

void TimelineStack::showReadout(double step) {
  for (auto* v : m_views)
    v->panelChart()->setReadout(std::isnan(step) ? QString() : v->panelChart()->readoutAt(step),
                                step);
}

void TimelineStack::cursorChanged(const Cursor& cursor, CursorFields changed) {
  if (!(changed & CursorField::Step)) return;
  for (auto* v : m_views)
    v->panelChart()->setCursorStep(cursor.step >= 0 ? static_cast<double>(cursor.step)
                                                    : std::nan(""));
  updatePathInset();
}

void TimelineStack::updatePathInset() {
  QVector<PathCurve> curves;
  PanelView* view = m_views[static_cast<int>(PanelId::Path)];
  const qint64 step = m_cursor.cursor().step;
  if (view->isVisible() && step >= 0)
    for (const OpenRun* run : m_session.visibleRuns()) {
      PathCurve c = pathCurveAt(run->data, step);
      if (c.loss.isEmpty()) continue;
      c.colour = runColour(*run);
      curves << c;
    }
  m_pathCurves = curves;
  view->viewport()->update();
}

void TimelineStack::saveSettings(QSettings& s) const {
  s.setValue(QStringLiteral("timeline/log"), m_options.scale == StepScale::Log);
  s.setValue(QStringLiteral("timeline/smoothing"), m_options.smoothing);
  s.setValue(QStringLiteral("timeline/onset-detector"),
             static_cast<int>(m_options.onsets.detector));
  QStringList hidden;
  for (int p = 0; p < kPanelCount; ++p)
    if (!m_options.panelVisible[p]) hidden << QString::number(p);
  s.setValue(QStringLiteral("timeline/hidden"), hidden);
  QStringList shown; // on-demand panels the user showed
  for (int p = 0; p < kPanelCount; ++p)
    if (!panelShownByDefault(static_cast<PanelId>(p)) && m_options.panelVisible[p])
      shown << QString::number(p);
  s.setValue(QStringLiteral("timeline/shown"), shown);
  s.setValue(QStringLiteral("timeline/group-seeds"), m_groupSeeds->isChecked());
  s.setValue(QStringLiteral("timeline/confidence-bands"), m_confidenceBands->isChecked());
}

void TimelineStack::restoreSettings(const QSettings& s) {
  TimelineOptions o = m_options;
  o.scale =
      s.value(QStringLiteral("timeline/log"), false).toBool() ? StepScale::Log : StepScale::Linear;
  o.smoothing = s.value(QStringLiteral("timeline/smoothing"), 0.0).toDouble();
  // The key changed when the detectors did (a new default, the paper's one
  // inserted): an index saved under the old key named another detector.
  o.onsets.detector = static_cast<OnsetDetector>(
      std::clamp(s.value(QStringLiteral("timeline/onset-detector"), 0).toInt(), 0,
                 static_cast<int>(OnsetDetector::ThreeSegmentFit)));
  const QStringList hidden = s.value(QStringLiteral("timeline/hidden")).toStringList();
  const QStringList shown = s.value(QStringLiteral("timeline/shown")).toStringList();
  for (int p = 0; p < kPanelCount; ++p)
    o.panelVisible[p] = panelShownByDefault(static_cast<PanelId>(p))
                            ? !hidden.contains(QString::number(p))
                            : shown.contains(QString::number(p));
  m_groupSeeds->setChecked(s.value(QStringLiteral("timeline/group-seeds"), false).toBool());
  m_confidenceBands->setChecked(
      s.value(QStringLiteral("timeline/confidence-bands"), true).toBool());
  setOptions(o);
}

} // namespace chrysalis::ui
