#include "main_window.h"

#include "data/best_head.h"
#include "widgets/label_box.h"

#include "arcs/arc_view.h"
#include "arcs/arcs_panel.h"
#include "arcs/attention_feed.h"
#include "arcs/attention_matrix_view.h"
#include "common/step_axis.h"
#include "export/arc_export.h"
#include "export/matrix_export.h"
#include "export/paper_figures.h"
#include "heads/ablation_dialog.h"
#include "heads/head_grid_panel.h"
#include "heads/head_grid_view.h"
#include "runs/runs_panel.h"
#include "runs/session.h"
#include "sentences/blimp_panel.h"
#include "sentences/blimp_source.h"
#include "sentences/sentence_panel.h"
#include "sentences/sentence_source.h"
#include "timeline/timeline_stack.h"
#include "timeline/zoom_stack.h"
#include "training/auto_probe.h"
#include "training/densify_dialog.h"
#include "training/import_dialog.h"
#include "training/import_job.h"
#include "training/probe_job.h"
#include "training/probe_status.h"
#include "training/train_dialog.h"
#include "training/training_panel.h"
#include "window/about.h"
#include "window/demo_locator.h"
#include "window/guide_locator.h"
#include "window/recent_runs.h"
#include "window/status_text.h"
#include "window/theme.h"
#include "window/transport_icons.h"
#include "worker/worker_client.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

#include <algorithm>

// Resources in a static library are only linked in when referenced.
static void initResources() {
  Q_INIT_RESOURCE(chrysalis);
}

namespace chrysalis::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  initResources();
  setWindowIcon(QIcon(QStringLiteral(":/chrysalis/chrysalis.svg")));
  setWindowTitle(QStringLiteral("Chrysalis"));
  setObjectName(QStringLiteral("chrysalis-main-window"));
  setAcceptDrops(true);
  // As large as a workstation wants, never larger than the screen (laptops).
  QSize size(1400, 900);
  if (const QScreen* screen = QGuiApplication::primaryScreen())
    size = size.boundedTo(screen->availableSize());
  resize(size);
  m_session = new Session(this);
  m_worker = new WorkerClient(this);
  m_sentences = new SentenceSource(*m_session, m_cursor, this);
  m_feed = new AttentionFeed(*m_session, m_cursor, *m_sentences, *m_worker, this);
  m_blimp = new BlimpSource(*m_session, m_cursor, this);
  m_timelines = new TimelineStack(*m_session, m_cursor);
  setCentralWidget(m_timelines);

  m_status = new QLabel;
  m_status->setObjectName(QStringLiteral("status-line"));
  // The line is long; it must not set the window's minimum width (laptops).
  m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_busy = new QProgressBar;
  m_busy->setRange(0, 0); // a throbber: loading has no meaningful percentage
  m_busy->setMaximumWidth(120);
  m_busy->hide();
  m_probeJob = new ProbeJob(this);
  m_probe = new ProbeStatus(*m_probeJob);
  statusBar()->addWidget(new LabelBox(m_status), 1); // its text follows the cursor
  statusBar()->addPermanentWidget(m_probe);
  statusBar()->addPermanentWidget(m_busy);
  connect(m_probeJob, &ProbeJob::finished, this,
          [this](const QString& summary) { statusBar()->showMessage(summary, 15000); });
  m_importJob = new ImportJob(this);
  connect(m_importJob, &ImportJob::checkpointImported, this, &MainWindow::onCheckpointImported);
  connect(m_importJob, &ImportJob::finished, this, [this](const QString& summary, bool ok) {
    if (m_importProgress) m_importProgress->deleteLater();
    m_importProgress = nullptr;
    m_stopFollowing->setEnabled(false);
    m_import->setEnabled(true);
    if (ok)
      statusBar()->showMessage(summary, 15000);
    else
      showError(QStringLiteral("Import failed"), summary);
  });
  m_autoProbe = new AutoProbe(*m_probeJob, m_cursor, this);
  connect(m_autoProbe, &AutoProbe::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 15000); });
  // The worker failing is news, not an error dialog: it restarts on the next request.
  connect(m_worker, &WorkerClient::workerStopped, this,
          [this](const QString& message) { statusBar()->showMessage(message, 15000); });
  // Show the throbber only for loads that take a noticeable time (house-style §8).
  m_busyDelay = new QTimer(this);
  m_busyDelay->setSingleShot(true);
  m_busyDelay->setInterval(300);
  connect(m_busyDelay, &QTimer::timeout, m_busy, &QWidget::show);
  connect(m_session, &Session::busyChanged, this, [this](bool busy) {
    if (busy)
      m_busyDelay->start();
    else {
      m_busyDelay->stop();
      m_busy->hide();
    }
  });
  m_player = new QTimer(this);
  m_player->setInterval(250);
  connect(m_player, &QTimer::timeout, this, &MainWindow::tick);

  createActions();
  createDocks();
  createMenus();

  connect(m_session, &Session::runAdded, this, &MainWindow::onRunAdded);
  connect(m_session, &Session::runRemoved, this, &MainWindow::onRunRemoved);
  connect(m_session, &Session::runChanged, this, &MainWindow::updateStatus);
  connect(m_session, &Session::openFailed, this,
          [this](const QString& dir, const QString& message) {
            showError(QStringLiteral("Cannot open series"),
                      QStringLiteral("%1\n\n%2").arg(dir, message));
          });
  m_cursor.addObserver(this);
  restoreSettings();
  updateStatus();
  // Arrow keys scrub from the first key press: the keyboard starts on the
  // charts, not in the smoothing box (which keeps ← and ↑ for itself), and
  // Esc in any text or number field hands it back (eventFilter).
  m_timelines->setFocusPolicy(Qt::StrongFocus);
  m_timelines->setFocus(Qt::OtherFocusReason);
  qApp->installEventFilter(this);
}

QString MainWindow::shortcutList() const {
  // From the actions themselves, so the list cannot drift from what works.
  QStringList lines;
  for (const QAction* a : findChildren<QAction*>()) {
    if (a->shortcut().isEmpty()) continue;
    QString text = a->text();
    text.remove(QLatin1Char('&'));
    lines << a->shortcut().toString(QKeySequence::NativeText) + QLatin1Char('\t') + text;
  }
  lines.sort();
  lines.removeDuplicates();
  lines << QStringLiteral("Esc\tLeave a text or number field (the arrows scrub again)");
  return lines.join(QLatin1Char('\n'));
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::KeyPress &&
      static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape &&
      (qobject_cast<QLineEdit*>(watched) || qobject_cast<QAbstractSpinBox*>(watched))) {
    if (static_cast<QWidget*>(watched)->window() == this) {
      m_timelines->setFocus(Qt::ShortcutFocusReason);
      return true;
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

MainWindow::~MainWindow() {
  m_cursor.removeObserver(this);
  // The views observe m_cursor, a member that is destroyed before QWidget's
  // destructor would delete them: delete them while the context still lives.
  delete takeCentralWidget();
  qDeleteAll(findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly));
  // Observers of m_cursor that are not widgets: the panels using them are gone.
  delete m_feed;
  delete m_sentences;
  delete m_blimp;
}

void MainWindow::createActions() {
  m_open = new QAction(QIcon::fromTheme(QStringLiteral("document-open")),
                       QStringLiteral("&Open Series\u2026"), this);
  m_open->setShortcut(QKeySequence::Open);
  connect(m_open, &QAction::triggered, this, &MainWindow::chooseAndOpen);
  m_openDemo = new QAction(QStringLiteral("Open the &Demo Series"), this);
  m_openDemo->setToolTip(QStringLiteral(
      "The bundled baseline and SAS\u2212 runs of the demo preset, probed at every checkpoint"));
  connect(m_openDemo, &QAction::triggered, this, [this] {
    if (!openDemo())
      showError(QStringLiteral("No demo series"),
                QStringLiteral("The bundled demo series is not installed."));
  });
  m_exportTimeline = new QAction(QStringLiteral("Export &Timelines\u2026"), this);
  m_exportTimeline->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  connect(m_exportTimeline, &QAction::triggered, this, [this] { askExport(FigureKind::Timeline); });
  m_exportHeads = new QAction(QStringLiteral("Export &Head Grid\u2026"), this);
  connect(m_exportHeads, &QAction::triggered, this, [this] { askExport(FigureKind::Heads); });
  m_exportCombined = new QAction(QStringLiteral("Export Timelines + Head Grid\u2026"), this);
  connect(m_exportCombined, &QAction::triggered, this, [this] { askExport(FigureKind::Combined); });
  m_exportArcs = new QAction(QStringLiteral("Export Dependency &Arcs\u2026"), this);
  connect(m_exportArcs, &QAction::triggered, this, &MainWindow::askExportArcs);
  m_exportMatrix = new QAction(QStringLiteral("Export Attention &Matrix\u2026"), this);
  m_exportMatrix->setToolTip(
      QStringLiteral("The attention matrix of the Dependency Arcs dock, words or wordpieces"));
  connect(m_exportMatrix, &QAction::triggered, this, &MainWindow::askExportMatrix);
  m_chooseProbeSet = new QAction(QStringLiteral("Choose &Probe Set\u2026"), this);
  m_chooseProbeSet->setToolTip(QStringLiteral(
      "The probe set file whose sentences the Sentences list and the arc view show"));
  connect(m_chooseProbeSet, &QAction::triggered, this, &MainWindow::askProbeSet);
  m_import = new QAction(QStringLiteral("&Import Hugging Face Checkpoints\u2026"), this);
  m_import->setToolTip(QStringLiteral(
      "A Trainer output folder (checkpoint-N/) or checkpoint folders: safetensors or "
      "pytorch_model.bin, sharded or not"));
  connect(m_import, &QAction::triggered, this, &MainWindow::askImport);
  m_stopFollowing = new QAction(QStringLiteral("Stop &Following"), this);
  m_stopFollowing->setToolTip(QStringLiteral("Stop importing new checkpoints of the followed run"));
  m_stopFollowing->setEnabled(false);
  connect(m_stopFollowing, &QAction::triggered, this, [this] { m_importJob->cancel(); });
  m_train = new QAction(QStringLiteral("&Train New Run\u2026"), this);
  connect(m_train, &QAction::triggered, this, &MainWindow::askTrain);
  m_resumeTraining = new QAction(QStringLiteral("&Resume Training of Selected Run"), this);
  connect(m_resumeTraining, &QAction::triggered, this, &MainWindow::resumeSelected);
  m_densify = new QAction(QStringLiteral("&Densify Checkpoints\u2026"), this);
  m_densify->setToolTip(QStringLiteral(
      "Re-run a stretch of the selected run (the zoomed range) from a kept resume state with "
      "more checkpoints"));
  connect(m_densify, &QAction::triggered, this, [this] { askDensify(false); });
  m_densifyOnset = new QAction(QStringLiteral("Densify Around the &Structure Onset\u2026"), this);
  connect(m_densifyOnset, &QAction::triggered, this, [this] { askDensify(true); });
  m_probeMissing = new QAction(QStringLiteral("&Probe Missing Results"), this);
  m_probeMissing->setToolTip(
      QStringLiteral("chrysalis-cli probe: loss, UAS, attention and TwoNN for the checkpoints "
                     "of the selected run that have none yet"));
  connect(m_probeMissing, &QAction::triggered, this, &MainWindow::probeMissingResults);
  m_quit = new QAction(QStringLiteral("&Quit"), this);
  m_quit->setShortcut(QKeySequence::Quit);
  connect(m_quit, &QAction::triggered, this, &QWidget::close);

  auto nav = [this](const QString& text, QKeySequence key, const QString& tip) {
    auto* a = new QAction(text, this);
    a->setShortcut(key);
    a->setToolTip(tip);
    addAction(a); // active even when the menu bar is hidden
    return a;
  };
  m_prev = nav(QStringLiteral("&Previous Checkpoint"), QKeySequence(Qt::Key_Left),
               QStringLiteral("Previous checkpoint (\u2190)"));
  m_next = nav(QStringLiteral("&Next Checkpoint"), QKeySequence(Qt::Key_Right),
               QStringLiteral("Next checkpoint (\u2192)"));
  m_first = nav(QStringLiteral("&First Checkpoint"), QKeySequence(Qt::Key_Home),
                QStringLiteral("First checkpoint (Home)"));
  m_last = nav(QStringLiteral("&Last Checkpoint"), QKeySequence(Qt::Key_End),
               QStringLiteral("Last checkpoint (End)"));
  m_play = nav(QStringLiteral("&Play Through Training"), QKeySequence(Qt::Key_Space),
               QStringLiteral("Play through the checkpoints (Space)"));
  m_play->setCheckable(true);
  connect(m_prev, &QAction::triggered, this, [this] { stepBy(-1); });
  connect(m_next, &QAction::triggered, this, [this] { stepBy(1); });
  connect(m_first, &QAction::triggered, this, [this] { stepToEnd(false); });
  connect(m_last, &QAction::triggered, this, [this] { stepToEnd(true); });
  connect(m_play, &QAction::toggled, this, [this](bool on) {
    updateTransportIcons();
    m_play->setIconText(on ? QStringLiteral("Pause") : QStringLiteral("Play"));
    if (!on) {
      m_player->stop();
      return;
    }
    const QVector<qint64> steps = m_session->steps();
    if (!steps.isEmpty() && m_cursor.cursor().step >= steps.last()) stepToEnd(false);
    m_player->start();
  });
  m_dark = new QAction(QStringLiteral("&Dark Palette"), this);
  m_dark->setCheckable(true);
  connect(m_dark, &QAction::toggled, this, &MainWindow::setDark);
  m_about = new QAction(QStringLiteral("&About Chrysalis"), this);
  connect(m_about, &QAction::triggered, this, [this] { showAbout(this); });
}

void MainWindow::createDocks() {
  m_runs = new RunsPanel(*m_session, m_cursor);
  connect(m_runs, &RunsPanel::openRequested, this, &MainWindow::chooseAndOpen);
  connect(m_runs, &RunsPanel::closeRequested, m_session, &Session::close);
  auto* runsDock = new QDockWidget(QStringLiteral("Runs"), this);
  runsDock->setObjectName(QStringLiteral("runs-dock"));
  runsDock->setWidget(m_runs);
  addDockWidget(Qt::LeftDockWidgetArea, runsDock);

  m_heads = new HeadGridPanel(*m_session, m_cursor);
  // Emergence steps use the detector the Onsets list names.
  connect(m_timelines, &TimelineStack::figureChanged, m_heads,
          [this] { m_heads->setOnsetSettings(m_timelines->options().onsets); });
  connect(m_heads->view(), &HeadGridView::ablateRequested, this, &MainWindow::ablateAtCursor);
  connect(m_heads->view(), &HeadGridView::ablationTimelineRequested, this,
          [this](const QString& choice) { addAblationTimeline(choice); });
  auto* headsDock = new QDockWidget(QStringLiteral("Attention Heads"), this);
  headsDock->setObjectName(QStringLiteral("heads-dock"));
  headsDock->setWidget(m_heads);
  addDockWidget(Qt::RightDockWidgetArea, headsDock);

  m_sentencePanel = new SentencePanel(*m_sentences, m_cursor);
  connect(m_sentencePanel, &SentencePanel::chooseRequested, this, &MainWindow::askProbeSet);
  auto* sentencesDock = new QDockWidget(QStringLiteral("Sentences"), this);
  sentencesDock->setObjectName(QStringLiteral("sentences-dock"));
  // BLiMP pairs share the dock: both are lists of what the probes measure on.
  m_blimpPanel = new BlimpPanel(*m_blimp);
  connect(m_blimpPanel, &BlimpPanel::chooseRequested, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(
        this, QStringLiteral("Choose the BLiMP Folder (*.jsonl)"), m_blimp->dir());
    if (dir.isEmpty()) return;
    m_blimp->chooseDir(dir);
  });
  auto* sentenceTabs = new QTabWidget;
  sentenceTabs->setObjectName(QStringLiteral("sentence-tabs"));
  sentenceTabs->setDocumentMode(true);
  sentenceTabs->addTab(m_sentencePanel, QStringLiteral("Probe sentences"));
  sentenceTabs->addTab(m_blimpPanel, QStringLiteral("BLiMP pairs"));
  sentencesDock->setWidget(sentenceTabs);
  // Arcs need width, which the side docks do not have: the bottom, under the timelines.
  addDockWidget(Qt::BottomDockWidgetArea, sentencesDock);

  m_arcs = new ArcsPanel(*m_feed, m_cursor);
  connect(m_arcs, &ArcsPanel::exportRequested, this, &MainWindow::askExportArcs);
  connect(m_arcs, &ArcsPanel::matrixExportRequested, this, &MainWindow::askExportMatrix);
  connect(m_sentencePanel, &SentencePanel::nothingMatches, m_arcs, &ArcsPanel::setFilteredOut);
  auto* arcsDock = new QDockWidget(QStringLiteral("Dependency Arcs"), this);
  arcsDock->setObjectName(QStringLiteral("arcs-dock"));
  arcsDock->setWidget(m_arcs);
  splitDockWidget(sentencesDock, arcsDock, Qt::Horizontal);

  m_training = new TrainingPanel;
  connect(m_training, &TrainingPanel::seriesReady, this, &MainWindow::openSeries);
  // The engine's own events reload an open run at once (Session::open of an
  // open run reads only what is new); the folder watcher stays as the backstop.
  connect(m_training, &TrainingPanel::checkpointWritten, this, &MainWindow::reloadIfOpen);
  connect(m_probeJob, &ProbeJob::resultsWritten, this, &MainWindow::reloadIfOpen);
  // Probing policy, in AutoProbe: a run the Training dock is writing is left
  // to it (probing would slow training).
  // A densify's checkpoints are measured as they land (that is what it is for).
  m_autoProbe->setLeaveAlone([this](const QString& dir) {
    return m_training->isRunning() && !m_training->isDensify() &&
           QFileInfo(m_training->series()).canonicalFilePath() == dir;
  });
  connect(m_session, &Session::runChanged, this, [this](int id) {
    const OpenRun* run = m_session->find(id);
    if (run && m_training->isRunning() && m_training->isDensify() &&
        QFileInfo(m_training->series()).canonicalFilePath() == run->data.dir)
      m_autoProbe->probeMissing(run->data, m_sentences->pathFor(run->data.dir));
  });
  connect(m_training, &TrainingPanel::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 15000); });
  m_trainingDock = new QDockWidget(QStringLiteral("Training"), this);
  m_trainingDock->setObjectName(QStringLiteral("training-dock"));
  m_trainingDock->setWidget(m_training);
  addDockWidget(Qt::BottomDockWidgetArea, m_trainingDock);
  tabifyDockWidget(arcsDock, m_trainingDock);
  arcsDock->raise();
  headsDock->raise();
  // Dock sizes follow the window (which follows the screen), so a laptop
  // keeps four legible timeline panels: 300 px of arcs on a workstation,
  // less on a 1280 x 800 screen.
  resizeDocks({sentencesDock, arcsDock}, {380, 1000}, Qt::Horizontal);
  resizeDocks({arcsDock}, {std::clamp(height() * 27 / 100, 200, 300)}, Qt::Vertical);
  resizeDocks({runsDock, headsDock},
              {std::clamp(width() / 4, 230, 360), std::clamp(width() * 3 / 10, 300, 420)},
              Qt::Horizontal);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
  file->addAction(m_open);
  file->addAction(m_openDemo);
  QMenu* recent = file->addMenu(QStringLiteral("Open &Recent"));
  m_recent = new RecentRuns(recent, 10, this);
  connect(m_recent, &RecentRuns::openRequested, this, &MainWindow::openSeries);
  file->addAction(m_import);
  file->addAction(m_stopFollowing);
  file->addSeparator();
  file->addAction(m_chooseProbeSet);
  file->addSeparator();
  file->addAction(m_exportTimeline);
  file->addAction(m_exportHeads);
  file->addAction(m_exportCombined);
  file->addAction(m_exportArcs);
  file->addAction(m_exportMatrix);
  file->addSeparator();
  file->addAction(m_quit);

  QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
  view->addAction(m_timelines->logAxisAction());
  QMenu* panels = view->addMenu(QStringLiteral("&Timelines"));
  for (int p = 0; p < kPanelCount; ++p)
    panels->addAction(m_timelines->panelAction(static_cast<PanelId>(p)));
  view->addAction(m_timelines->groupBySeedAction());
  view->addAction(m_timelines->confidenceBandsAction());
  view->addAction(m_timelines->zoom().backAction());
  view->addAction(m_timelines->zoom().resetAction());
  view->addSeparator();
  for (QDockWidget* d : findChildren<QDockWidget*>())
    view->addAction(d->toggleViewAction());
  view->addSeparator();
  view->addAction(m_dark);

  QMenu* go = menuBar()->addMenu(QStringLiteral("&Go"));
  go->addActions({m_prev, m_next, m_first, m_last});
  go->addSeparator();
  go->addAction(m_play);

  QMenu* engine = menuBar()->addMenu(QStringLiteral("&Engine"));
  engine->addAction(m_train);
  engine->addAction(m_resumeTraining);
  engine->addAction(m_densify);
  engine->addAction(m_densifyOnset);
  engine->addSeparator();
  engine->addAction(m_probeMissing);
  engine->addAction(m_autoProbe->action());

  QMenu* help = menuBar()->addMenu(QStringLiteral("&Help"));
  auto* guide = help->addAction(QStringLiteral("&User Guide"));
  guide->setShortcut(QKeySequence::HelpContents);
  connect(guide, &QAction::triggered, this, [this] {
    const QString path = locateUserGuide();
    if (path.isEmpty() || !QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
      showError(QStringLiteral("User guide"),
                path.isEmpty() ? QStringLiteral("The user guide (guide.md) was not found next to "
                                                "the app, under share/doc/chrysalis.")
                               : QStringLiteral("No program opens %1.").arg(path));
  });
  auto* keys = help->addAction(QStringLiteral("&Keyboard Shortcuts"));
  connect(keys, &QAction::triggered, this, [this] {
    QMessageBox box(QMessageBox::NoIcon, QStringLiteral("Keyboard Shortcuts"), shortcutList(),
                    QMessageBox::Close, this);
    box.setTextFormat(Qt::PlainText);
    box.exec();
  });
  help->addSeparator();
  help->addAction(m_about);

  QToolBar* bar = addToolBar(QStringLiteral("Main"));
  bar->setObjectName(QStringLiteral("main-toolbar"));
  bar->setMovable(false);
  bar->addAction(m_open);
  bar->addAction(m_exportTimeline);
  bar->addSeparator();
  bar->addAction(m_first);
  bar->addAction(m_prev);
  bar->addAction(m_play);
  bar->addAction(m_next);
  bar->addAction(m_last);
  bar->addSeparator();
  bar->addAction(m_timelines->zoom().backAction());
  bar->addAction(m_timelines->zoom().resetAction());
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  // Standard style icons: present on every platform, no icon theme needed.
  const QStyle* st = style();
  m_open->setIcon(st->standardIcon(QStyle::SP_DialogOpenButton));
  m_exportTimeline->setIcon(st->standardIcon(QStyle::SP_DialogSaveButton));
  updateTransportIcons();
  m_open->setIconText(QStringLiteral("Open"));
  m_exportTimeline->setIconText(QStringLiteral("Export"));
  m_play->setIconText(QStringLiteral("Play"));
  for (QAction* a : {m_first, m_prev, m_next, m_last})
    if (auto* b = qobject_cast<QToolButton*>(bar->widgetForAction(a)))
      b->setToolButtonStyle(Qt::ToolButtonIconOnly);
  for (QWidget* w : bar->findChildren<QWidget*>())
    w->setFocusPolicy(Qt::NoFocus);
}

void MainWindow::openSeries(const QString& dir) {
  m_session->open(dir);
}

bool MainWindow::openDemo() {
  const QStringList series = demoSeries();
  for (const QString& dir : series)
    openSeries(dir);
  return !series.isEmpty();
}

bool MainWindow::isFirstStart() const {
  return m_recent->dirs().isEmpty();
}

void MainWindow::chooseAndOpen() {
  // Start beside the run opened last (the recent list, however it was
  // opened): series usually sit side by side.
  const QString recent = m_recent->dirs().value(0);
  const QString dir = QFileDialog::getExistingDirectory(
      this, QStringLiteral("Open Series Folder"),
      recent.isEmpty() ? recent : QFileInfo(recent).absolutePath());
  if (!dir.isEmpty()) openSeries(dir);
}

void MainWindow::onRunAdded(int id) {
  const OpenRun* run = m_session->find(id);
  if (!run) return;
  m_recent->add(run->data.dir);
  Cursor c = m_cursor.cursor();
  if (!m_session->find(c.run)) c.run = id;
  if (c.step < 0) {
    const QVector<qint64> steps = run->data.allSteps();
    c.step = steps.isEmpty() ? 0 : steps.last();
  }
  m_cursor.set(c);
  // First look: the most syntactic head, so no view starts empty.
  if (!c.hasHead() && c.run == id) selectBestHeadLater(id, {});
  // After the cursor is set: its checkpoint is probed first.
  m_autoProbe->runOpened(run->data, m_sentences->pathFor(run->data.dir));
  if (!run->data.problems.isEmpty())
    statusBar()->showMessage(QStringLiteral("%1: %2 unreadable file(s), e.g. %3")
                                 .arg(run->data.label)
                                 .arg(run->data.problems.size())
                                 .arg(run->data.problems.first()),
                             10000);
  updateStatus();
}

void MainWindow::onRunRemoved(int id) {
  Cursor c = m_cursor.cursor();
  if (c.run == id) c.run = m_session->count() > 0 ? m_session->at(0).id : -1;
  if (m_session->count() == 0) c.step = -1;
  m_cursor.set(c);
  updateStatus();
}

void MainWindow::stepBy(int delta) {
  const QVector<qint64> steps = m_session->steps();
  if (steps.isEmpty()) return;
  const qint64 now = m_cursor.cursor().step;
  auto it = std::lower_bound(steps.cbegin(), steps.cend(), now);
  int i = static_cast<int>(it - steps.cbegin());
  // Off-grid cursor: "next" is the first step after it, "previous" the last before.
  if (it == steps.cend() || *it != now) i = delta > 0 ? i - 1 : i;
  i = std::clamp(i + delta, 0, static_cast<int>(steps.size()) - 1);
  m_cursor.setStep(steps[i]);
}

void MainWindow::stepToEnd(bool last) {
  const QVector<qint64> steps = m_session->steps();
  if (!steps.isEmpty()) m_cursor.setStep(last ? steps.last() : steps.first());
}

void MainWindow::tick() {
  const QVector<qint64> steps = m_session->steps();
  if (steps.isEmpty() || m_cursor.cursor().step >= steps.last()) {
    m_play->setChecked(false);
    return;
  }
  stepBy(1);
}

void MainWindow::cursorChanged(const Cursor& cursor, CursorFields changed) {
  if (changed & CursorField::Run) keepHeadInModel(cursor);
  updateStatus();
}

// A head chosen in a larger model does not exist in a smaller one: never use
// it silently. The run's most syntactic head replaces it, and the status bar
// says so.
void MainWindow::keepHeadInModel(const Cursor& cursor) {
  const OpenRun* run = m_session->find(cursor.run);
  if (!run || !cursor.hasHead() || run->data.layers <= 0 || run->data.heads <= 0) return;
  if (cursor.layer < run->data.layers && cursor.head < run->data.heads) return;
  const QString missing =
      QStringLiteral("Head %1-%2 does not exist in %3 (%4 layers \u00D7 %5 heads)")
          .arg(cursor.layer + 1)
          .arg(cursor.head + 1)
          .arg(run->data.label)
          .arg(run->data.layers)
          .arg(run->data.heads);
  statusBar()->showMessage(missing, 15000);
  m_cursor.setHead(-1, -1);
  selectBestHeadLater(run->id, missing);
}

// The run's most syntactic head, read on the I/O lane (the UI thread never
// reads HDF5), selected when it arrives unless the user chose a head meanwhile.
void MainWindow::selectBestHeadLater(int runId, const QString& why) {
  const OpenRun* run = m_session->find(runId);
  if (!run) return;
  const RunData data = run->data; // implicitly shared: a cheap copy
  m_session->queue().post(
      QStringLiteral("best-head"), this,
      [data](const std::function<bool()>&) { return bestSyntacticHead(data); },
      [this, runId, why](const std::optional<std::pair<int, int>>& best) {
        const Cursor c = m_cursor.cursor();
        if (c.run != runId || c.hasHead()) return;
        if (!best) {
          if (!why.isEmpty())
            statusBar()->showMessage(why + QStringLiteral(": click a head in the grid"), 15000);
          return;
        }
        if (!why.isEmpty())
          statusBar()->showMessage(why + QStringLiteral(": showing head %1-%2, its most syntactic")
                                             .arg(best->first + 1)
                                             .arg(best->second + 1),
                                   15000);
        m_cursor.setHead(best->first, best->second);
      },
      [](const QString&) {}); // unreadable: the user picks a head in the grid
}

QString MainWindow::statusLine() const {
  return m_status->text();
}

void MainWindow::updateStatus() {
  m_status->setText(statusText(*m_session, m_cursor.cursor()));
  m_status->setToolTip(m_status->text());
  const OpenRun* run = m_session->find(m_cursor.cursor().run);
  setWindowTitle(run ? run->data.label + QStringLiteral(" \u2014 Chrysalis")
                     : QStringLiteral("Chrysalis"));
}

void MainWindow::setDark(bool dark) {
  if (m_dark->isChecked() != dark) {
    m_dark->setChecked(dark); // comes back here through toggled()
    return;
  }
  applyTheme(dark);
  updateTransportIcons(); // drawn in the new palette's text colour
  m_timelines->setChartStyle(chartStyleFor(dark));
  m_heads->view()->setGridStyle(headGridStyleFor(dark));
}

void MainWindow::reloadIfOpen(const QString& dir) {
  const QString canonical = QFileInfo(dir).canonicalFilePath();
  for (int i = 0; i < m_session->count(); ++i)
    if (m_session->at(i).data.dir == canonical) m_session->open(canonical);
}

void MainWindow::updateTransportIcons() {
  const QColor c = QApplication::palette().color(QPalette::ButtonText);
  m_first->setIcon(transportIcon(TransportIcon::First, c));
  m_prev->setIcon(transportIcon(TransportIcon::Previous, c));
  m_play->setIcon(
      transportIcon(m_play->isChecked() ? TransportIcon::Pause : TransportIcon::Play, c));
  m_next->setIcon(transportIcon(TransportIcon::Next, c));
  m_last->setIcon(transportIcon(TransportIcon::Last, c));
}

void MainWindow::showError(const QString& title, const QString& text) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open(); // window-modal, but never blocks the event loop
}

void MainWindow::askExport(FigureKind kind) {
  auto* dialog = new ExportDialog(kind, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setPreviewSource([this](const ExportRequest& r) { return figureDrawing(r); });
  connect(dialog, &QDialog::accepted, this, [this, dialog] {
    const ExportRequest r = dialog->request();
    const QString error = exportFigure(r);
    if (!error.isEmpty())
      showError(QStringLiteral("Export failed"), error);
    else
      statusBar()->showMessage(
          QStringLiteral("Wrote %1%2")
              .arg(r.path, r.options.writeCsv ? QStringLiteral(" and its CSV") : QString()),
          8000);
  });
  dialog->open();
}

// What the window shows, as figure parts: the arc scene is the arc view's,
// labelled for a caption.
namespace {
struct WindowFigure {
  TimelineExport timelines;
  HeadGridExport heads;
  ArcScene arcs;
};
} // namespace

static WindowFigure windowFigure(TimelineStack* timelines, HeadGridPanel* heads, ArcsPanel* arcs,
                                 const SentenceSource& sentences, const Cursor& c) {
  WindowFigure f;
  f.timelines.figure = timelines->figure();
  f.timelines.range = timelines->visibleRange();
  f.heads.grid = heads->grid();
  f.heads.layer = c.layer;
  f.heads.head = c.head;
  f.arcs = arcs->arcView()->scene();
  if (const ProbeSentence* s = sentences.current(); s && f.arcs.hasPrediction())
    f.arcs.predictedLabel = QStringLiteral("%1 \u00B7 head %2-%3 \u00B7 step %4")
                                .arg(s->id)
                                .arg(c.layer + 1)
                                .arg(c.head + 1)
                                .arg(formatStep(static_cast<double>(arcs->shownStep())));
  return f;
}

FigureDrawing MainWindow::figureDrawing(const ExportRequest& r) const {
  const WindowFigure f =
      windowFigure(m_timelines, m_heads, m_arcs, *m_sentences, m_cursor.cursor());
  switch (r.kind) {
  case FigureKind::Timeline:
    return timelineDrawing(f.timelines, r.options);
  case FigureKind::Heads:
    return headGridDrawing(f.heads, r.options);
  case FigureKind::Combined:
    return combinedDrawing(f.timelines, f.heads, {}, r.options);
  case FigureKind::CombinedWithArcs:
    if (!f.arcs.hasPrediction())
      return {{}, {}, QStringLiteral("no arcs to show: select a sentence and a head first")};
    return combinedDrawing(f.timelines, f.heads, f.arcs, r.options);
  }
  return {};
}

QString MainWindow::exportFigure(const ExportRequest& r) {
  const WindowFigure f =
      windowFigure(m_timelines, m_heads, m_arcs, *m_sentences, m_cursor.cursor());
  const TimelineExport& t = f.timelines;
  const HeadGridExport& h = f.heads;
  try {
    switch (r.kind) {
    case FigureKind::Timeline:
      return exportTimelineFigure(t, r.options, r.path);
    case FigureKind::Heads:
      return exportHeadGridFigure(h, r.options, r.path);
    case FigureKind::Combined:
      return exportCombinedFigure(t, h, r.options, r.path);
    case FigureKind::CombinedWithArcs:
      if (!f.arcs.hasPrediction())
        return QStringLiteral("no arcs to show: select a sentence and a head first");
      return exportCombinedFigure(t, h, r.options, r.path, f.arcs);
    }
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

const OpenRun* MainWindow::selectedRun() const {
  if (const OpenRun* r = m_session->find(m_cursor.cursor().run)) return r;
  return m_session->count() > 0 ? &m_session->at(0) : nullptr;
}

void MainWindow::askExportArcs() {
  askExportFile(QStringLiteral("Export Dependency Arcs"), QStringLiteral("arcs.svg"),
                [this](const QString& path, const ExportOptions& options) {
                  return exportArcFigure(m_arcs->sceneForExport(), options, path);
                });
}

void MainWindow::askExportMatrix() {
  askExportFile(QStringLiteral("Export Attention Matrix"), QStringLiteral("attention-matrix.svg"),
                [this](const QString& path, const ExportOptions& options) {
                  return exportMatrixFigure(m_arcs->matrixView()->matrix(), options, path);
                });
}

void MainWindow::askExportFile(
    const QString& title, const QString& defaultName,
    const std::function<QString(const QString&, const ExportOptions&)>& write) {
  QString selected;
  // The folder of the last figure exported, here or in the Export dialog
  // (which keeps its whole path under the same key).
  QSettings settings;
  const QString last = settings.value(QStringLiteral("export/path")).toString();
  const QString start = last.isEmpty() ? defaultName : QFileInfo(last).dir().filePath(defaultName);
  const QString path = QFileDialog::getSaveFileName(
      this, title, start, QStringLiteral("SVG (*.svg);;PDF (*.pdf);;PNG (*.png)"), &selected);
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("export/path"), path);
  ExportOptions options;
  options.format = exportFormatFromPath(path).value_or(
      selected.startsWith(QLatin1String("PNG"))
          ? ExportFormat::Png
          : (selected.startsWith(QLatin1String("PDF")) ? ExportFormat::Pdf : ExportFormat::Svg));
  const QString error = write(path, options);
  if (!error.isEmpty())
    showError(QStringLiteral("Export failed"), error);
  else
    statusBar()->showMessage(QStringLiteral("Wrote %1 and its CSV").arg(path), 8000);
}

void MainWindow::askProbeSet() {
  const QString path =
      QFileDialog::getOpenFileName(this, QStringLiteral("Choose Probe Set"), m_sentences->path(),
                                   QStringLiteral("Probe sets (*.h5);;All files (*)"));
  if (!path.isEmpty()) chooseProbeSet(path);
}

void MainWindow::chooseProbeSet(const QString& path) {
  m_sentences->choose(path);
}

void MainWindow::askTrain() {
  auto* dialog = new TrainDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] {
    if (m_training->startTraining(dialog->options())) {
      m_trainingDock->show();
      m_trainingDock->raise();
    }
  });
  dialog->open();
}

void MainWindow::askImport() {
  const QString recent = m_recent->dirs().value(0);
  auto* dialog =
      new ImportDialog(recent.isEmpty() ? QString() : QFileInfo(recent).absolutePath(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] {
    importCheckpoints(dialog->source(), dialog->series(), dialog->follow());
  });
  dialog->open();
}

void MainWindow::importCheckpoints(const QString& source, const QString& series, bool follow) {
  if (!m_importJob->start(source, series, follow)) {
    statusBar()->showMessage(m_importJob->isRunning()
                                 ? QStringLiteral("An import is already running.")
                                 : QStringLiteral("The engine (chrysalis-cli) was not found."),
                             10000);
    return;
  }
  m_import->setEnabled(false);
  if (follow) {
    m_stopFollowing->setEnabled(true);
    statusBar()->showMessage(
        QStringLiteral("Following %1: each finished checkpoint is imported into %2")
            .arg(QDir::toNativeSeparators(source), QDir::toNativeSeparators(series)),
        15000);
    return;
  }
  m_importProgress =
      new QProgressDialog(QStringLiteral("Importing %1\u2026").arg(QFileInfo(source).fileName()),
                          QStringLiteral("Cancel"), 0, 0, this);
  m_importProgress->setWindowTitle(QStringLiteral("Import"));
  m_importProgress->setMinimumDuration(300);
  connect(m_importProgress, &QProgressDialog::canceled, m_importJob, &ImportJob::cancel);
}

void MainWindow::onCheckpointImported(const QString& series, qint64 step, qint64 done,
                                      qint64 total) {
  if (m_importProgress && total > 0) {
    m_importProgress->setMaximum(static_cast<int>(total));
    m_importProgress->setValue(static_cast<int>(done));
    m_importProgress->setLabelText(QStringLiteral("Imported step %1 (%2 of %3)")
                                       .arg(QLocale().toString(step))
                                       .arg(done)
                                       .arg(total));
  }
  const QString canonical = QFileInfo(series).canonicalFilePath();
  for (int i = 0; i < m_session->count(); ++i)
    if (m_session->at(i).data.dir == canonical) {
      m_session->open(canonical); // reload: the new checkpoint shows at once
      return;
    }
  openSeries(series); // the first checkpoint made the series
}

void MainWindow::resumeSelected() {
  const OpenRun* run = selectedRun();
  if (!run) {
    statusBar()->showMessage(QStringLiteral("Open or select the run to resume first."), 8000);
    return;
  }
  if (m_training->resume(run->data.dir)) {
    m_trainingDock->show();
    m_trainingDock->raise();
  }
}

void MainWindow::probeMissingResults() {
  const OpenRun* run = selectedRun();
  if (!run) {
    statusBar()->showMessage(QStringLiteral("Open or select a run to probe first."), 8000);
    return;
  }
  const QString probeSet = m_sentences->path();
  if (probeSet.isEmpty()) {
    showError(
        QStringLiteral("No probe set"),
        QStringLiteral(
            "Probing needs the probe set file (chrysalis-cli probe-set build). Choose it with "
            "File \u25B8 Choose Probe Set\u2026 first."));
    return;
  }
  if (!m_probeJob->start(run->data.dir, probeSet, m_cursor.cursor().step))
    statusBar()->showMessage(QStringLiteral("A probe job is already running."), 8000);
}

AblationKey MainWindow::ablationKey(const QString& choice, const QString& mode,
                                    QString* why) const {
  const OpenRun* run = selectedRun();
  if (!run) {
    *why = QStringLiteral("Open a run first.");
    return {};
  }
  AblationKey key;
  key.series = run->data.dir;
  key.heads = choice;
  key.mode = mode;
  // The checkpoint with weights the attention views show at the cursor.
  key.step =
      AttentionFeed::weightsStepAtOrBefore(run->data, std::max<qint64>(0, m_cursor.cursor().step));
  if (key.step < 0) {
    *why = QStringLiteral("%1 has no checkpoint with weights to ablate.").arg(run->data.label);
    return {};
  }
  key.probeSet = m_sentences->pathFor(run->data.dir);
  if (key.probeSet.isEmpty()) {
    *why = QStringLiteral("Ablation is measured on the probe set: choose it with File ▸ "
                          "Choose Probe Set… first.");
    return {};
  }
  // The minimum relation count the shown UAS used, so top:K ranks heads as the grid does.
  const auto uas = run->data.configs.constFind(run->data.kindHash.value(QStringLiteral("uas")));
  if (uas != run->data.configs.constEnd()) {
    const QJsonObject config = QJsonDocument::fromJson(uas->configJson.toUtf8()).object();
    key.minRelationCount =
        config.value(QStringLiteral("min_relation_count")).toInteger(key.minRelationCount);
  }
  return key;
}

void MainWindow::ablateAtCursor(const QVector<QPoint>& heads) {
  QString why;
  const AblationKey key = ablationKey(headChoiceText(heads), QStringLiteral("zero"), &why);
  if (!key.isValid()) {
    statusBar()->showMessage(why, 8000);
    return;
  }
  if (!m_ablation) {
    m_ablation = new AblationDialog(*m_worker, this);
    connect(m_ablation, &AblationDialog::timelineRequested, this,
            [this](const AblationKey& k) { addAblationTimeline(k.heads, k.mode); });
  }
  m_ablation->ablate(key);
  m_ablation->show();
  m_ablation->raise();
}

void MainWindow::addAblationTimeline(const QString& choice, const QString& mode) {
  QString why;
  const AblationKey key = ablationKey(choice, mode, &why);
  if (!key.isValid()) {
    statusBar()->showMessage(why, 8000);
    return;
  }
  if (!m_probeJob->startWith(key.series, ablationProbeArguments(key, m_cursor.cursor().step))) {
    statusBar()->showMessage(
        QStringLiteral("A probe job is already running; add the ablation timeline when it ends."),
        8000);
    return;
  }
  m_timelines->panelAction(PanelId::Ablation)->setChecked(true);
  statusBar()->showMessage(
      QStringLiteral("Probing every checkpoint with heads %1 ablated (%2)…").arg(choice, mode),
      8000);
}

QPair<qint64, qint64> MainWindow::proposedDensifyRange(bool aroundOnset) const {
  const OpenRun* run = selectedRun();
  if (!run || run->data.checkpoints.isEmpty()) return {-1, -1};
  QVector<qint64> steps;
  for (const CheckpointRow& c : run->data.checkpoints)
    steps << c.step;
  // The checkpoints either side of [lo, hi]: the stretch that is re-run.
  auto around = [&](double lo, double hi) {
    qint64 from = steps.first(), to = steps.last();
    for (qint64 s : steps) {
      if (s <= lo) from = s;
      if (s >= hi) {
        to = s;
        break;
      }
    }
    return QPair<qint64, qint64>(from, std::max(to, from));
  };
  if (aroundOnset) {
    for (const OnsetMarker& m : m_timelines->figure().markers)
      if (m.kind == OnsetMarker::Structure && m.runId == run->id)
        return m.hasInterval()
                   ? around(static_cast<double>(m.lowStep), static_cast<double>(m.highStep))
                   : around(static_cast<double>(m.step) - 1, static_cast<double>(m.step) + 1);
    return {-1, -1};
  }
  if (m_timelines->zoom().isZoomed()) {
    const StepRange r = m_timelines->zoom().current();
    return around(r.first, r.last);
  }
  return {steps.first(), steps.last()};
}

void MainWindow::askDensify(bool aroundOnset) {
  const OpenRun* run = selectedRun();
  if (!run) {
    statusBar()->showMessage(QStringLiteral("Open or select a run to densify first."), 8000);
    return;
  }
  const auto range = proposedDensifyRange(aroundOnset);
  if (aroundOnset && range.first < 0) {
    statusBar()->showMessage(
        QStringLiteral("%1 has no structure onset to densify around.").arg(run->data.label), 8000);
    return;
  }
  QVector<qint64> steps;
  for (const CheckpointRow& c : run->data.checkpoints)
    steps << c.step;
  DensifyDialog dialog(run->data.dir, steps, this);
  if (range.first >= 0) dialog.setRange(range.first, range.second);
  if (dialog.exec() != QDialog::Accepted) return;
  densifySelected(dialog.from(), dialog.to(), dialog.every());
}

bool MainWindow::densifySelected(qint64 from, qint64 to, qint64 every) {
  const OpenRun* run = selectedRun();
  if (!run || !m_training->densify(run->data.dir, from, to, every)) return false;
  m_trainingDock->show();
  m_trainingDock->raise();
  return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (m_training->isRunning()) {
    const auto answer = QMessageBox::question(
        this, QStringLiteral("Training is running"),
        QStringLiteral(
            "Stop the training and quit? The engine saves a checkpoint and a resume state first; "
            "Engine \u25B8 Resume Training continues it later."));
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
  }
  saveSettings();
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!event->mimeData()->hasUrls()) return;
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) {
      event->acceptProposedAction();
      return;
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) openSeries(url.toLocalFile());
  event->acceptProposedAction();
}

void MainWindow::restoreSettings() {
  QSettings s;
  restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(s.value(QStringLiteral("window/state")).toByteArray());
  m_timelines->restoreSettings(s);
  setDark(s.value(QStringLiteral("view/dark"), false).toBool());
}

void MainWindow::saveSettings() const {
  QSettings s;
  s.setValue(QStringLiteral("window/geometry"), saveGeometry());
  s.setValue(QStringLiteral("window/state"), saveState());
  s.setValue(QStringLiteral("view/dark"), m_dark->isChecked());
  m_timelines->saveSettings(s);
}

} // namespace chrysalis::ui
