#pragma once
// The arc diagram as a paper figure (SVG, PDF or PNG through the export
// figure writer), at its natural size for the chosen font: a long sentence
// makes a wide figure rather than a squashed one. Its CSV lists each word's
// gold and predicted parent.
#include "arcs/arc_parse.h"
#include "export/export_options.h"

namespace chrysalis::ui {

/// @returns an empty string, or a one-line error naming the file.
QString exportArcFigure(const ArcScene& scene, const ExportOptions& options, const QString& path);

} // namespace chrysalis::ui
