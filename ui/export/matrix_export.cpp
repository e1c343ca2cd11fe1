#include "export/matrix_export.h"

#include "arcs/matrix_painter.h"
#include "export/arc_export.h"

#include <QFile>
#include <QPainter>
#include <QTextStream>

namespace chrysalis::ui {

FigureDrawing matrixFigureDrawing(const AttentionMatrix& matrix, const ExportOptions& options) {
  FigureDrawing d;
  if (!matrix.isValid()) {
    d.error = QStringLiteral("there is no attention matrix to export");
    return d;
  }
  const MatrixStyle style =
      MatrixStyle::forPaper(options.fontFamily, options.fontPoints, kUnitsPerPoint);
  const MatrixGeometry g = MatrixGeometry::natural(matrix, style.font);
  const QSizeF units = g.extent();
  d.sizePoints = units / kUnitsPerPoint;
  d.paint = [matrix, style, g, units](QPainter& p) {
    p.fillRect(QRectF(QPointF(0, 0), units), style.background);
    paintMatrix(p, matrix, g, style);
  };
  return d;
}

QString exportMatrixCsv(const AttentionMatrix& m, const QString& csv) {
  QFile f(csv);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
    return QStringLiteral("%1: %2").arg(csv, f.errorString());
  const bool pieces = !m.wordOf.isEmpty();
  QTextStream out(&f);
  out << "from,to,from_label,to_label,value" << (pieces ? ",from_word,to_word" : "") << '\n';
  for (int r = 0; r < m.size(); ++r)
    for (int c = 0; c < m.size(); ++c) {
      out << r << ',' << c << ',' << csvField(m.labels[r]) << ',' << csvField(m.labels[c]) << ','
          << QString::number(static_cast<double>(m.value(r, c)), 'g', 7);
      if (pieces) out << ',' << m.wordOf[r] << ',' << m.wordOf[c];
      out << '\n';
    }
  return {};
}

QString exportMatrixFigure(const AttentionMatrix& matrix, const ExportOptions& options,
                           const QString& path) {
  const QString error = writeDrawing(path, matrixFigureDrawing(matrix, options), options);
  if (!error.isEmpty() || !options.writeCsv) return error;
  return exportMatrixCsv(matrix, csvPathFor(path));
}

} // namespace chrysalis::ui
