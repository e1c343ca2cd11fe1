#pragma once
// A chart key drawn as one graphics item: line samples (colour and dash
// style) or symbols, each with its text, flowing left to right and wrapping.
// QtCharts' own legend repeats "run · series" for every combination; a paper
// figure wants the run colours once, the line styles once and the onset
// symbols once.
#include <QFont>
#include <QGraphicsItem>
#include <QPen>
#include <QVector>

namespace chrysalis::ui {

struct KeyEntry {
  QPen pen;       ///< line sample (ignored when symbol is set)
  QString symbol; ///< e.g. "▲", drawn in pen's colour instead of a line
  QString text;
};

class ChartKey : public QGraphicsItem {
public:
  explicit ChartKey(QGraphicsItem* parent = nullptr);
  void setEntries(const QVector<KeyEntry>& entries, const QFont& font, const QColor& text);
  /// Lays the entries out in rows no wider than `width`. @returns the height.
  double layoutFor(double width);
  bool isEmpty() const { return m_entries.isEmpty(); }

  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
  QVector<KeyEntry> m_entries;
  QVector<QPointF> m_positions; // top left of each entry
  QFont m_font;
  QColor m_text;
  QRectF m_bounds;
};

} // namespace chrysalis::ui
