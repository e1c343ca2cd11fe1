#pragma once
// Light and dark palettes for the whole app (Fusion style, so the palette is
// honoured on every desktop), and the matching chart and head-grid styles.
#include "heads/head_grid_painter.h"
#include "timeline/chart_style.h"

namespace chrysalis::ui {

/// Sets the application style and palette.
void applyTheme(bool dark);
ChartStyle chartStyleFor(bool dark);
HeadGridStyle headGridStyleFor(bool dark);

} // namespace chrysalis::ui
