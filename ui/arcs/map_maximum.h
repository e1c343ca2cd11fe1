#pragma once
// The largest value of an attention map's stretch, read at every cursor move
// (the matrix's colour scale; each word's predicted parent), so it runs four
// lanes at a time: a 512-piece map is 262,144 values.
#include <QtGlobal>

namespace chrysalis::ui {

/// The largest of 0 and values[0 .. n). NaN never wins; infinities do.
float maximumFromZero(const float* values, qsizetype n);

} // namespace chrysalis::ui
