#pragma once
// The interactive arc diagram (arc_painter.h): sized to its content so a
// QScrollArea scrolls long sentences sideways; hovering a word highlights its
// arcs and tells its gold and predicted parents. While a newer result is
// pending the old one stays, dimmed, with "loading…" over it.
#include "arcs/arc_layout.h"
#include "arcs/arc_painter.h"

#include <QPixmap>
#include <QWidget>

namespace chrysalis::ui {

class ArcView : public QWidget {
  Q_OBJECT
public:
  explicit ArcView(QWidget* parent = nullptr);

  void setScene(const ArcScene& scene);
  const ArcScene& scene() const { return m_scene; }
  const ArcLayout& arcLayout() const { return m_layout; }
  /// Shows the diagram dimmed, with `note` (e.g. "loading…") over it.
  void setPending(bool pending, const QString& note = QStringLiteral("loading\u2026"));
  bool isPending() const { return m_pending; }
  /// Shown instead of a diagram while there is no sentence.
  void setMessage(const QString& message);
  void setArcStyle(const ArcStyle& style);
  const ArcStyle& arcStyle() const { return m_style; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void changeEvent(QEvent* event) override;

private:
  void relayout();
  QPointF origin() const; // where the diagram's top-left goes (centred when it fits)
  // The gold arcs, labels and words, drawn once per sentence: a cursor move
  // changes only the predicted arcs below them.
  const QPixmap& sentenceLayer();
  // For sentences too wide for that layer: the same for the part `shown`
  // (layout coordinates), kept while the sentence and the scroll position
  // stay (a scrub at 512 pieces redraws only the predicted arcs).
  const QPixmap& shownLayer(const QRect& shown);
  // The gold labels' places, kept while the sentence stays (for sentences too
  // wide for the layer, drawn at each paint).
  const QVector<QRectF>& labelBoxes();
  QString wordTip(int word) const;

  ArcScene m_scene;
  ArcLayout m_layout;
  ArcStyle m_style;
  bool m_pending = false;
  QString m_note;
  QString m_message;
  int m_hovered = -1;
  QStringList m_laidOutWords, m_laidOutRelations; // what m_layout was computed for
  QVector<int> m_laidOutGold;
  ArcStyle m_laidOutStyle;
  quint64 m_sentence = 0; // counts the layouts computed anew (a new sentence or style)
  // The two per-sentence caches, and the m_sentence they were made for.
  QPixmap m_sentenceLayer;
  quint64 m_layerSentence = ~quint64(0);
  QVector<QRectF> m_labelBoxes;
  quint64 m_labelSentence = ~quint64(0);
  QPixmap m_shownLayer;
  QRect m_shownRect;
  quint64 m_shownSentence = ~quint64(0);
};

} // namespace chrysalis::ui
