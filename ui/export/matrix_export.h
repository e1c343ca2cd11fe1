#pragma once
// The attention matrix as a paper figure (SVG, PDF or PNG through the export
// figure writer) at its natural size for the chosen font, words or
// wordpieces alike, with a CSV of every cell beside it.
#include "arcs/attention_matrix.h"
#include "export/export_options.h"
#include "export/figure_writer.h"

namespace chrysalis::ui {

FigureDrawing matrixFigureDrawing(const AttentionMatrix& matrix, const ExportOptions& options);

/// One row per cell: from,to,from_label,to_label,value (indices from 0, [CLS]
/// at 0), and at piece level from_word,to_word (the word row of each piece).
QString exportMatrixCsv(const AttentionMatrix& matrix, const QString& csvPath);

/// Writes the figure and, when options.writeCsv, the CSV beside it.
/// @returns an empty string, or a one-line error naming the file.
QString exportMatrixFigure(const AttentionMatrix& matrix, const ExportOptions& options,
                           const QString& path);

} // namespace chrysalis::ui
