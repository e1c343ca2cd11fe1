#pragma once
// The selected head's word-level attention as a heatmap: rows attend to
// columns (row i is what word i attends to; dep→head reads rows), [CLS] and
// [SEP] included because much attention parks there. Gold parents are
// outlined, so "does the head look at the parent?" reads at a glance. The
// colour scale runs from 0 to the map's largest value (stated in the corner).
#include <QStringList>
#include <QVector>
#include <QWidget>

namespace chrysalis::ui {

class AttentionMatrixView : public QWidget {
  Q_OBJECT
public:
  explicit AttentionMatrixView(QWidget* parent = nullptr);

  /// @param labels W labels ([CLS], the words, [SEP]).
  /// @param values W x W, row-major; empty clears the view.
  /// @param gold   1-based gold parent of each word (W - 2 entries), or empty.
  void setMatrix(const QStringList& labels, const QVector<float>& values, const QVector<int>& gold,
                 const QString& title);
  void setPending(bool pending);
  void setMessage(const QString& message);
  int size() const { return static_cast<int>(m_labels.size()); }

  /// The cell rectangle of (row, column) in widget coordinates (for tests).
  QRectF cellRect(int row, int column) const;

  QSize sizeHint() const override { return {300, 300}; }
  QSize minimumSizeHint() const override { return {140, 140}; }

protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

private:
  struct Geometry {
    QRectF cells;
    double cell = 0;
    bool labels = false;
    QRectF cellRect(int row, int column) const;
  };
  Geometry geometry() const;

  QStringList m_labels;
  QVector<float> m_values;
  QVector<int> m_gold;
  QString m_title;
  QString m_message;
  float m_max = 0.0f;
  bool m_pending = false;
};

} // namespace chrysalis::ui
