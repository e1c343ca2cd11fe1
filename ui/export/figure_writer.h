#pragma once
// Writes a painted figure to SVG (QSvgGenerator), PDF (QPdfWriter, vector) or
// PNG (at a chosen DPI). The paint callback draws in figure units:
// `unitsPerPoint` units per typographic point, origin top left.
#include "export/export_options.h"

#include <QImage>
#include <QSizeF>

#include <functional>

class QPainter;

namespace chrysalis::ui {

/// Figure units per point used by every export (quarter points: integer pixel
/// font sizes then give font sizes in steps of 0.25 pt).
inline constexpr double kUnitsPerPoint = 4.0;

/// @param sizePoints the figure's physical size in points (1/72 inch).
/// @returns an empty string, or a one-line error naming the file.
QString writeFigure(const QString& path, ExportFormat format, const QSizeF& sizePoints, int dpi,
                    const std::function<void(QPainter&)>& paint);

/// A figure ready to draw: its size and the painting, so that the file and the
/// Export dialog's preview come from the same code.
struct FigureDrawing {
  QSizeF sizePoints;
  std::function<void(QPainter&)> paint; ///< in figure units, as writeFigure's
  QString error;                        ///< why there is nothing to draw, else empty
  bool isValid() const { return error.isEmpty() && paint && !sizePoints.isEmpty(); }
};

/// Writes a drawing in the format and DPI of `options`; its error when it has one.
QString writeDrawing(const QString& path, const FigureDrawing& drawing,
                     const ExportOptions& options);

/// Paints a figure onto white at `pixelsPerPoint` (PNG export and previews).
QImage renderFigureImage(const QSizeF& sizePoints, double pixelsPerPoint,
                         const std::function<void(QPainter&)>& paint);
/// The figure scaled to fit `box` (pixels), keeping its proportions; null when invalid.
QImage renderFigurePreview(const FigureDrawing& drawing, const QSize& box);

} // namespace chrysalis::ui
