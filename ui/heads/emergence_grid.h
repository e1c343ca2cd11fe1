#pragma once
// The head grid of emergence steps: each head's own breakpoint on its
// best-relation accuracy over training, coloured along the step axis (log
// spaced when the steps span more than two decades), heads that never emerge
// crossed out on grey; and the difference of two runs' steps.
#include "data/emergence_table.h"
#include "heads/head_grid.h"

namespace chrysalis::ui {

/// The grid of one run; invalid when the result is.
HeadGrid emergenceGrid(const HeadEmergenceResult& result);

/// A's steps minus B's on the diverging map; heads that never emerge in
/// either run are left out (grey, crossed out). Invalid unless shapes match.
HeadGrid emergenceDifference(const HeadEmergenceResult& a, const HeadEmergenceResult& b,
                             const QString& labelA, const QString& labelB, const QString& title);

/// True when the steps span two decades or more (last >= 100 x first positive step):
/// then most heads emerge in the dense early steps, which a linear scale crowds together.
bool spansDecades(const HeadEmergenceResult& result);

} // namespace chrysalis::ui
