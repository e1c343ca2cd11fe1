#pragma once
// The selected head's attention as a heatmap: rows attend to columns (row i
// is what word i attends to; dep→head reads rows), [CLS] and [SEP] included
// because much attention parks there. At word level the gold parents are
// outlined, so "does the head look at the parent?" reads at a glance; at
// wordpiece level (the switch in the corner) the model's own T x T attention
// shows, with thin gaps between words. The colour scale runs from 0 to the
// map's largest value (stated after the title and on the colour bar). The
// wheel zooms around the pointer (labels appear for every token once cells
// are a line tall), a drag pans, a double-click fits it again. Right-click
// to export.
#include "arcs/attention_matrix.h"
#include "arcs/matrix_label_layer.h"
#include "arcs/matrix_painter.h"

#include <QFont>
#include <QRect>
#include <QStringList>
#include <QWidget>

class QComboBox;

namespace chrysalis::ui {

class AttentionMatrixView : public QWidget {
  Q_OBJECT
public:
  explicit AttentionMatrixView(QWidget* parent = nullptr);

  /// Shows `matrix` (an invalid one clears the view).
  void setMatrix(const AttentionMatrix& matrix);
  void setPending(bool pending);
  void setMessage(const QString& message);
  const AttentionMatrix& matrix() const { return m_matrix; }
  int size() const { return m_matrix.size(); }

  /// Words or wordpieces: what the switch in the corner asks for.
  MatrixLevel level() const { return m_level; }
  void setLevel(MatrixLevel level);
  QComboBox* levelBox() const { return m_levelBox; }

  /// The cell rectangle of (row, column) in widget coordinates (for tests).
  QRectF cellRect(int row, int column) const;
  /// Where the colour bar is drawn, in widget coordinates.
  QRectF colourBarRect() const;
  /// What hovering the cell at `pos` shows ("from → to: value"), empty outside.
  QString toolTipAt(const QPointF& pos) const;

  QSize sizeHint() const override { return {320, 300}; }
  QSize minimumSizeHint() const override { return {160, 140}; }

  double zoom() const { return m_zoom; }
  /// Zooms by `factor` keeping the point `at` (widget coordinates) in place.
  void zoomAt(const QPointF& at, double factor);

Q_SIGNALS:
  void levelChanged(chrysalis::ui::MatrixLevel level);
  /// "Export Matrix…" from the context menu.
  void exportRequested();

protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
  MatrixGeometry geometry() const;

  // The layout depends on the labels, not the values: kept while the cursor
  // moves (fitting measures every label: 512 at piece level).
  struct GeometryKey {
    QStringList labels;
    QSize size;
    double zoom = 0;
    QPointF pan;
    QFont font;
    QRect levelBox;
    bool operator==(const GeometryKey& o) const {
      return size == o.size && zoom == o.zoom && pan == o.pan && font == o.font &&
             levelBox == o.levelBox && labels == o.labels;
    }
  };
  mutable GeometryKey m_geometryKey;
  mutable MatrixGeometry m_geometry;
  mutable bool m_haveGeometry = false;
  MatrixLabelLayer m_labelLayer;

  AttentionMatrix m_matrix;
  QString m_message;
  bool m_pending = false;
  double m_zoom = 1.0;
  QPointF m_pan;     ///< the viewport's offset into the zoomed cells
  QPointF m_pressAt; ///< where the pan drag started
  bool m_dragging = false;
  QPointF m_panAtPress;
  MatrixLevel m_level = MatrixLevel::Words;
  QComboBox* m_levelBox;
};

} // namespace chrysalis::ui
