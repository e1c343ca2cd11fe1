#pragma once
// The interactive head grid: paints with QPainter on a QOpenGLWidget (or on a
// plain widget where no OpenGL context can be made: offscreen test runs,
// remote X), shows each head's value on hover, and reports clicks.
#include "heads/head_grid.h"
#include "heads/head_grid_painter.h"

#include <QPoint>
#include <QVector>
#include <QWidget>

namespace chrysalis::ui {

class HeadGridView : public QWidget {
  Q_OBJECT
public:
  explicit HeadGridView(QWidget* parent = nullptr);

  void setGrid(const HeadGrid& grid, const QString& message = {});
  const HeadGrid& grid() const { return m_grid; }
  void setSelection(int layer, int head);
  int selectedLayer() const { return m_layer; }
  int selectedHead() const { return m_head; }
  void setGridStyle(const HeadGridStyle& style);
  /// Heads marked for ablation (Ctrl+click toggles one), drawn with a dashed
  /// outline; (layer, head), 0-based.
  const QVector<QPoint>& ablationSelection() const { return m_marked; }
  void setAblationSelection(const QVector<QPoint>& heads);
  /// What a right-click on (layer, head) ablates: the marked heads when it is
  /// one of them, else that head alone.
  QVector<QPoint> headsToAblate(int layer, int head) const;
  /// Where cells are now (for tests and tooltips).
  HeadGridLayout currentLayout() const;
  /// Whether the grid is drawn through OpenGL.
  bool usesOpenGL() const { return m_gl; }

  /// Paints onto the surface; called by the surface widget.
  void paintOn(QPainter& painter, const QRectF& area) const;

  /// True when an OpenGL context can be created here (checked once).
  static bool openGLAvailable();

Q_SIGNALS:
  void headClicked(int layer, int head);
  /// "Ablate at Cursor" from the context menu.
  void ablateRequested(const QVector<QPoint>& heads);
  /// "Add Ablation Timeline": `choice` as the engine reads it ("4-1,3-2", "top:3").
  void ablationTimelineRequested(const QString& choice);

protected:
  void mousePressEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

private:
  QWidget* m_surface = nullptr;
  bool m_gl = false;
  HeadGrid m_grid;
  QString m_message;
  HeadGridStyle m_style;
  int m_layer = -1;
  int m_head = -1;
  QVector<QPoint> m_marked;
};

} // namespace chrysalis::ui
