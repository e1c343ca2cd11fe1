#pragma once
// The main window: wires the session (open runs), the cursor context and the
// views (timelines, head grid, runs and checkpoints, sentences, dependency
// arcs, training log) together, and owns the actions: open, export,
// checkpoint navigation and playback, view toggles, training and probing
// through the engine. Views talk to each other only through the cursor context.
#include "cursor/cursor_context.h"
#include "export/export_dialog.h"

#include "worker/ablation_result.h"

#include <QMainWindow>

#include <functional>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QProgressDialog;
class QTimer;

namespace chrysalis::ui {

class AblationDialog;
class ArcsPanel;
class AttentionFeed;
class AutoProbe;
class BlimpPanel;
class BlimpSource;
class HeadGridPanel;
class ProbeStatus;
class ProbeJob;
class ImportJob;
class RecentRuns;
class RunsPanel;
class SentencePanel;
class SentenceSource;
class Session;
class TimelineStack;
class TrainingPanel;
class WorkerClient;
struct OpenRun;

class MainWindow : public QMainWindow, public ICursorObserver {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a series folder in the background; errors appear in a message box.
  void openSeries(const QString& dir);
  /// Opens the bundled demo series (baseline and SAS-); false when none is installed.
  bool openDemo();
  /// True when the app has never opened a series (no recent runs).
  bool isFirstStart() const;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  Session& session() const { return *m_session; }
  CursorContext& cursorContext() { return m_cursor; }
  TimelineStack* timelines() const { return m_timelines; }
  HeadGridPanel* heads() const { return m_heads; }
  RunsPanel* runsPanel() const { return m_runs; }
  ArcsPanel* arcs() const { return m_arcs; }
  SentencePanel* sentencePanel() const { return m_sentencePanel; }
  SentenceSource& sentences() const { return *m_sentences; }
  BlimpPanel* blimpPanel() const { return m_blimpPanel; }
  BlimpSource& blimp() const { return *m_blimp; }
  AttentionFeed& attentionFeed() const { return *m_feed; }
  WorkerClient& worker() const { return *m_worker; }
  TrainingPanel* training() const { return m_training; }
  ProbeStatus* probeStatus() const { return m_probe; }
  ProbeJob* probeJob() const { return m_probeJob; }
  ImportJob* importJob() const { return m_importJob; }
  /// Imports Hugging Face checkpoints as a new series through the engine
  /// (progress and cancel; `follow` keeps importing while the run trains) and
  /// opens it when its first checkpoint is in.
  void importCheckpoints(const QString& source, const QString& series, bool follow);
  AutoProbe& autoProbe() const { return *m_autoProbe; }
  QString statusLine() const;
  QAction* playAction() const { return m_play; }
  QAction* darkAction() const { return m_dark; }

  /// Moves the cursor `delta` checkpoints (of all open runs) along.
  void stepBy(int delta);
  void stepToEnd(bool last);
  void setDark(bool dark);
  /// Writes a figure now. @returns an empty string or the error.
  QString exportFigure(const ExportRequest& request);
  /// The figure a request would write, for the Export dialog's preview.
  FigureDrawing figureDrawing(const ExportRequest& request) const;
  /// Uses this probe set file for the selected run.
  void chooseProbeSet(const QString& path);
  /// Runs `chrysalis-cli probe` for the selected run, the cursor's checkpoint
  /// first (status bar progress).
  void probeMissingResults();
  /// "Ablate at Cursor": these heads ((layer, head), 0-based) of the selected
  /// run at the newest checkpoint with weights at or before the cursor.
  void ablateAtCursor(const QVector<QPoint>& heads);
  /// Probes every checkpoint of the selected run with `choice` ablated
  /// ("4-1,3-2", "top:3") in the background and shows the ablation timeline.
  void addAblationTimeline(const QString& choice, const QString& mode = QStringLiteral("zero"));
  AblationDialog* ablationDialog() const { return m_ablation; }
  /// "Densify Checkpoints…": the stretch proposed for the selected run (the
  /// zoomed range, or around its structure onset with `aroundOnset`, else the
  /// whole run) as {from, to}; {-1, -1} when there is no run.
  QPair<qint64, qint64> proposedDensifyRange(bool aroundOnset) const;
  /// Re-runs from..to of the selected run with a checkpoint every `every`
  /// steps in the Training dock; the new checkpoints are probed as they land.
  bool densifySelected(qint64 from, qint64 to, qint64 every);

  /// Every shortcut of the window, one "keys<TAB>what" line each (Help menu).
  QString shortcutList() const;

protected:
  void closeEvent(QCloseEvent* event) override;
  /// Esc in a text or number field of this window gives the keyboard back to the charts.
  bool eventFilter(QObject* watched, QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void createActions();
  void createDocks();
  void createMenus();
  void restoreSettings();
  void saveSettings() const;
  void onRunAdded(int id);
  void onRunRemoved(int id);
  void updateStatus();
  void keepHeadInModel(const Cursor& cursor);
  void selectBestHeadLater(int runId, const QString& why);
  void updateTransportIcons();
  void reloadIfOpen(const QString& dir);
  void showError(const QString& title, const QString& text);
  void chooseAndOpen();
  void askExport(FigureKind kind);
  void askExportArcs();
  void askExportMatrix();
  /// Asks for an SVG/PDF/PNG file name and writes it (and its CSV) with `write`.
  void askExportFile(const QString& title, const QString& defaultName,
                     const std::function<QString(const QString&, const ExportOptions&)>& write);
  void askProbeSet();
  void askTrain();
  void askImport();
  void onCheckpointImported(const QString& series, qint64 step, qint64 done, qint64 total);
  void resumeSelected();
  void askDensify(bool aroundOnset);
  const OpenRun* selectedRun() const;
  /// The request for `choice` on the selected run at the cursor; invalid, with
  /// the reason in *why, when there is no run, checkpoint or probe set.
  AblationKey ablationKey(const QString& choice, const QString& mode, QString* why) const;
  void tick();

  Session* m_session;
  CursorContext m_cursor;
  TimelineStack* m_timelines;
  HeadGridPanel* m_heads = nullptr;
  RunsPanel* m_runs = nullptr;
  WorkerClient* m_worker = nullptr;
  SentenceSource* m_sentences = nullptr;
  AttentionFeed* m_feed = nullptr;
  ArcsPanel* m_arcs = nullptr;
  SentencePanel* m_sentencePanel = nullptr;
  BlimpSource* m_blimp = nullptr;
  BlimpPanel* m_blimpPanel = nullptr;
  TrainingPanel* m_training = nullptr;
  QDockWidget* m_trainingDock = nullptr;
  ProbeJob* m_probeJob = nullptr;
  AblationDialog* m_ablation = nullptr;
  ImportJob* m_importJob = nullptr;
  QProgressDialog* m_importProgress = nullptr;
  QAction* m_import = nullptr;
  QAction* m_stopFollowing = nullptr;
  ProbeStatus* m_probe = nullptr;
  AutoProbe* m_autoProbe = nullptr;
  RecentRuns* m_recent = nullptr;
  QLabel* m_status;
  QProgressBar* m_busy;
  QTimer* m_busyDelay;
  QTimer* m_player;

  QAction* m_openDemo = nullptr;
  QAction* m_open = nullptr;
  QAction* m_exportTimeline = nullptr;
  QAction* m_exportHeads = nullptr;
  QAction* m_exportCombined = nullptr;
  QAction* m_exportArcs = nullptr;
  QAction* m_exportMatrix = nullptr;
  QAction* m_chooseProbeSet = nullptr;
  QAction* m_train = nullptr;
  QAction* m_resumeTraining = nullptr;
  QAction* m_densify = nullptr;
  QAction* m_densifyOnset = nullptr;
  QAction* m_probeMissing = nullptr;
  QAction* m_quit = nullptr;
  QAction* m_prev = nullptr;
  QAction* m_next = nullptr;
  QAction* m_first = nullptr;
  QAction* m_last = nullptr;
  QAction* m_play = nullptr;
  QAction* m_dark = nullptr;
  QAction* m_about = nullptr;
};

} // namespace chrysalis::ui
