#pragma once
// Writes a painted figure to SVG (QSvgGenerator), PDF (QPdfWriter, vector) or
// PNG (at a chosen DPI). The paint callback draws in figure units:
// `unitsPerPoint` units per typographic point, origin top left.
#include "export/export_options.h"

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

} // namespace chrysalis::ui
