#include "arcs/arcs_panel.h"

#include "arcs/arc_scene.h"
#include "arcs/arc_view.h"
#include "arcs/attention_feed.h"
#include "arcs/attention_matrix_view.h"
#include "common/step_axis.h"
#include "sentences/probe_set_data.h"
#include "widgets/label_box.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPalette>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace chrysalis::ui {

ArcsPanel::ArcsPanel(AttentionFeed& feed, CursorContext& cursor, QWidget* parent)
    : QWidget(parent), m_feed(feed), m_cursor(cursor) {
  m_title = new QLabel;
  m_title->setObjectName(QStringLiteral("arcs-title"));
  m_title->setTextFormat(Qt::RichText);
  m_title->setWordWrap(true);
  // Long sentence ids must not widen the window past a laptop screen: the
  // title wraps or clips, and its tooltip has it whole.
  m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_step = new QLabel;
  m_step->setObjectName(QStringLiteral("arcs-step"));
  m_step->setTextFormat(Qt::PlainText);
  m_step->setToolTip(QStringLiteral("The step of the weights the arcs show: the newest checkpoint "
                                    "with weights at or before the cursor's step"));
  m_scoreCorrect = new QLabel;
  m_scoreCorrect->setObjectName(QStringLiteral("arcs-score"));
  m_scoreCorrect->setTextFormat(Qt::PlainText);
  QPalette correct = m_scoreCorrect->palette();
  correct.setColor(QPalette::WindowText, QColor(0x00, 0x72, 0xB2)); // the right arcs' colour
  m_scoreCorrect->setPalette(correct);
  m_scoreOf = new QLabel;
  m_scoreOf->setTextFormat(Qt::PlainText);
  m_directionBox = new QComboBox;
  m_directionBox->addItem(QStringLiteral("dep\u2192head"));
  m_directionBox->addItem(QStringLiteral("head\u2190dep"));
  m_directionBox->setToolTip(QStringLiteral("Predicted parent of word i: dep\u2192head, the word i "
                                            "attends to most (row i); head\u2190dep, the word "
                                            "that attends most to i (column i). [CLS]/[SEP] "
                                            "dropped, diagonal zeroed, first index on ties."));
  m_directionBox->setFocusPolicy(Qt::ClickFocus);
  auto* exportButton = new QToolButton;
  exportButton->setObjectName(QStringLiteral("arcs-export"));
  exportButton->setText(QStringLiteral("Export\u2026"));
  exportButton->setToolTip(QStringLiteral("Save the arc diagram as SVG, PDF or PNG"));

  m_arcs = new ArcView;
  m_scroll = new QScrollArea;
  m_scroll->setWidget(m_arcs);
  m_scroll->setWidgetResizable(true); // fills the dock when it fits, scrolls when it does not
  m_scroll->setFrameShape(QFrame::NoFrame);
  m_matrix = new AttentionMatrixView;

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(m_scroll);
  splitter->addWidget(m_matrix);
  // The matrix gets room enough for token labels and its colour bar.
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setChildrenCollapsible(false);

  auto* top = new QHBoxLayout;
  top->addWidget(new LabelBox(m_title), 1); // their text follows the cursor
  // The step and the score keep their widest size, so the title beside
  // them keeps its width (and its text layout) while the cursor moves.
  top->addWidget(new LabelBox(m_step, nullptr, LabelBox::Sizing::Widest));
  auto* score = new QHBoxLayout; // "✓ 12 / 40 words" as one phrase
  score->setSpacing(0);
  score->addWidget(new LabelBox(m_scoreCorrect, nullptr, LabelBox::Sizing::Widest));
  score->addWidget(new LabelBox(m_scoreOf, nullptr, LabelBox::Sizing::Widest));
  top->addLayout(score);
  top->addWidget(m_directionBox);
  top->addWidget(exportButton);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 4, 6, 6);
  layout->addLayout(top);
  layout->addWidget(splitter, 1);

  connect(m_directionBox, &QComboBox::currentIndexChanged, this, [this](int i) {
    setDirection(i == 0 ? ArcDirection::DepToHead : ArcDirection::HeadFromDep);
  });
  connect(exportButton, &QToolButton::clicked, this, &ArcsPanel::exportRequested);
  connect(m_matrix, &AttentionMatrixView::exportRequested, this, &ArcsPanel::matrixExportRequested);
  connect(m_matrix, &AttentionMatrixView::levelChanged, this, [this](MatrixLevel level) {
    m_feed.setPieces(level == MatrixLevel::Pieces);
    refresh(); // at once: the word-level matrix may be shown while the pieces load
  });
  connect(&feed, &AttentionFeed::changed, this, &ArcsPanel::refresh);
  m_cursor.addObserver(this);
  refresh();
}

void ArcsPanel::setDirection(ArcDirection direction) {
  m_direction = direction;
  const QSignalBlocker block(m_directionBox);
  m_directionBox->setCurrentIndex(direction == ArcDirection::DepToHead ? 0 : 1);
  refresh();
}

ArcsPanel::~ArcsPanel() {
  m_cursor.removeObserver(this);
}

void ArcsPanel::cursorChanged(const Cursor&, CursorFields changed) {
  // A step between the same two checkpoints keeps the result, so the feed
  // says nothing; only the "(cursor …)" part of the step label changes.
  if (changed & CursorField::Step) showStep();
}

QString ArcsPanel::headline() const {
  // The title's first line, the step, then the title's message line if any.
  QString line = m_title->text();
  if (m_step->text().isEmpty()) return line;
  const qsizetype br = line.indexOf(QStringLiteral("<br>"));
  return line.insert(br < 0 ? line.size() : br, QStringLiteral(" \u00B7 ") + m_step->text());
}

qint64 ArcsPanel::shownStep() const {
  return m_arcs->scene().hasPrediction() && m_feed.result().isValid() ? m_feed.result().key.step
                                                                      : -1;
}

void ArcsPanel::setFilteredOut(bool filteredOut) {
  if (filteredOut == m_filteredOut) return;
  m_filteredOut = filteredOut;
  refresh();
}

void ArcsPanel::clearStepAndScore() {
  m_step->clear();
  m_scoreCorrect->clear();
  m_scoreOf->clear();
}

void ArcsPanel::showStep() {
  const ProbeSentence* s = m_feed.sentence();
  const AttentionResult& r = m_feed.result();
  const qint64 cursorStep = m_cursor.cursor().step;
  QString step;
  if (!m_filteredOut && s && r.isValid() && r.key.words == s->words) {
    step = QStringLiteral("step %1").arg(formatStep(static_cast<double>(r.key.step)));
    if (r.key.step != cursorStep) // between checkpoints: the newest weights at or before it
      step += QStringLiteral(" (cursor %1)").arg(formatStep(static_cast<double>(cursorStep)));
  }
  m_step->setText(step);
}

void ArcsPanel::refresh() {
  const ProbeSentence* s = m_feed.sentence();
  const Cursor& c = m_cursor.cursor();
  const AttentionResult& r = m_feed.result();
  if (m_filteredOut) {
    const QString message =
        QStringLiteral("No sentence matches the filter in the Sentences list: change or clear it.");
    m_title->setText(QStringLiteral("<i>%1</i>").arg(message.toHtmlEscaped()));
    m_title->setToolTip({});
    clearStepAndScore();
    m_arcs->setMessage(message);
    m_matrix->setMessage({});
    return;
  }
  if (!s) {
    const QString head = c.hasHead()
                             ? QStringLiteral("head %1-%2 \u00B7 ").arg(c.layer + 1).arg(c.head + 1)
                             : QString();
    m_title->setText(head + QStringLiteral("<i>%1</i>").arg(m_feed.message().toHtmlEscaped()));
    clearStepAndScore();
    m_arcs->setMessage(m_feed.message());
    m_matrix->setMessage({});
    return;
  }
  const bool haveResult = r.isValid() && r.key.words == s->words;
  const ArcScene scene = buildArcScene(*s, haveResult ? &r : nullptr, c.layer, c.head, m_direction);
  m_arcs->setScene(scene);

  QString title = QStringLiteral("<b>%1</b>").arg(s->id.toHtmlEscaped());
  if (!c.hasHead())
    title += QStringLiteral(" \u00B7 <i>click a head in the head grid to see its arcs</i>");
  else
    title += QStringLiteral(" \u00B7 head %1-%2").arg(c.layer + 1).arg(c.head + 1);
  if (!m_feed.message().isEmpty())
    title += QStringLiteral("<br><span style='color:#D55E00'>%1</span>")
                 .arg(m_feed.message().toHtmlEscaped());
  m_title->setText(title); // the same text at most moves: QLabel then does nothing
  m_title->setToolTip(title);
  showStep();
  // While a reply is pending, the previous result stays, dimmed.
  m_arcs->setPending(m_feed.isPending());
  if (scene.hasPrediction()) {
    int scored = 0;
    for (int g : scene.gold)
      scored += g != 0 ? 1 : 0;
    m_scoreCorrect->setText(QStringLiteral("\u2713 %1").arg(scene.correctCount()));
    m_scoreOf->setText(QStringLiteral(" / %1 words").arg(scored));
  } else {
    m_scoreCorrect->clear();
    m_scoreOf->clear();
  }

  refreshMatrix(*s);
}

void ArcsPanel::refreshMatrix(const ProbeSentence& s) {
  const Cursor& c = m_cursor.cursor();
  const AttentionResult& r = m_feed.result();
  const AttentionMatrix matrix = m_matrix->level() == MatrixLevel::Pieces
                                     ? pieceAttentionMatrix(r, c.layer, c.head)
                                     : wordAttentionMatrix(s, r, c.layer, c.head);
  if (!matrix.isValid() || r.key.words != s.words) {
    m_matrix->setMessage(m_feed.isPending() ? QStringLiteral("loading\u2026") : QString());
    return;
  }
  m_matrix->setMatrix(matrix);
  m_matrix->setPending(m_feed.isPending());
}

ArcScene ArcsPanel::sceneForExport() const {
  // The figure says what it shows: sentence, head and the step of the weights.
  ArcScene scene = m_arcs->scene();
  const Cursor& c = m_cursor.cursor();
  if (const ProbeSentence* s = m_feed.sentence(); s && shownStep() >= 0 && c.hasHead())
    scene.predictedLabel = QStringLiteral("%1 \u00B7 head %2-%3 \u00B7 step %4")
                               .arg(s->id)
                               .arg(c.layer + 1)
                               .arg(c.head + 1)
                               .arg(formatStep(static_cast<double>(shownStep())));
  return scene;
}

} // namespace chrysalis::ui
