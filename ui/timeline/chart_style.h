#pragma once
// Colours, font and line widths of the timeline charts, for the screen (light
// or dark) and for paper figures. Fonts are set by pixel size in the chart's
// own units, so a figure laid out in points renders at the same physical size
// on every paint device (SVG, PDF, PNG at any DPI).
#include <QColor>
#include <QFont>

namespace chrysalis::ui {

struct ChartStyle {
  QColor background;
  QColor plotBackground;
  QColor text;
  QColor grid;
  QColor axis;
  QColor cursor;
  QFont font;              ///< pixel size set; labels use it, titles are bold
  double lineWidth = 1.6;  ///< curves
  double markerSize = 4.0; ///< measured dots when smoothing is on
  bool paper = false;      ///< figure export: no cursor readout, thinner lines

  static ChartStyle light();
  static ChartStyle dark();
  /// Black on white for print, with the given font family and size in points.
  /// @param unitsPerPoint chart units per typographic point in the figure
  ///        (pixel font sizes are integers, so 4 gives quarter-point sizes).
  static ChartStyle forPaper(const QString& family, double pointSize, double unitsPerPoint);
};

} // namespace chrysalis::ui
