#pragma once
// Colour maps for head grids: a perceptually uniform sequential map (viridis)
// for one quantity, and a diverging blue-white-red map centred on zero for
// differences, so "no change" reads as white whatever the range.
#include <QColor>

namespace chrysalis::ui {

enum class ColorMapKind { Sequential, Diverging };

/// @param t position in [0, 1] (clamped); for Diverging, 0.5 is zero.
/// @returns the colour; NaN gives a neutral grey (undefined value).
QColor mapColor(ColorMapKind kind, double t);

/// Position of `value` in [lo, hi] for mapColor(); Diverging maps symmetrically
/// around zero using max(|lo|, |hi|).
double colorPosition(ColorMapKind kind, double value, double lo, double hi);

} // namespace chrysalis::ui
