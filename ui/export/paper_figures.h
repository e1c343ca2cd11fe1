#pragma once
// Paper figures: the stacked timelines, the head grid, or both side by side
// (optionally over a selected head's dependency arcs), at a physical width
// with a chosen font, each with the CSV of exactly what it plots written
// beside it. Each figure is first a FigureDrawing, which the file writer and
// the Export dialog's preview both render.
#include "arcs/arc_parse.h"
#include "common/step_axis.h"
#include "export/export_options.h"
#include "export/figure_writer.h"
#include "heads/head_grid.h"
#include "timeline/timeline_figure.h"

#include <QRectF>
#include <QSizeF>

#include <cmath>

class QPainter;

namespace chrysalis::ui {

struct TimelineExport {
  TimelineFigure figure;
  StepRange range;                  ///< steps shown (the full range when invalid)
  double cursorStep = std::nan(""); ///< a cursor line at this step, or none
};

struct HeadGridExport {
  HeadGrid grid;
  int layer = -1; ///< selected head to outline, -1 for none
  int head = -1;
};

/// @returns the figure's size in points for these options.
QSizeF timelineFigureSize(const TimelineFigure& figure, const ExportOptions& options);
QSizeF headGridFigureSize(const HeadGrid& grid, const ExportOptions& options);

/// Paint into `area` (figure units, see figure_writer.h).
void paintTimelines(QPainter& painter, const QRectF& area, const TimelineExport& what,
                    const ExportOptions& options);
void paintHeads(QPainter& painter, const QRectF& area, const HeadGridExport& what,
                const ExportOptions& options);

/// The figures as drawings (the data is copied in: a drawing outlives its sources).
FigureDrawing timelineDrawing(const TimelineExport& what, const ExportOptions& options);
FigureDrawing headGridDrawing(const HeadGridExport& what, const ExportOptions& options);
/// Timelines (a) left, head grid (b) right, and when `arcs` has words, the
/// arcs (c) across the bottom, scaled down to the width if they need to be.
FigureDrawing combinedDrawing(const TimelineExport& timelines, const HeadGridExport& heads,
                              const ArcScene& arcs, const ExportOptions& options);

/// Each writes the figure and, when options.writeCsv, its CSV beside it
/// (csvPathFor). @returns an empty string, or a one-line error.
QString exportTimelineFigure(const TimelineExport& what, const ExportOptions& options,
                             const QString& path);
QString exportHeadGridFigure(const HeadGridExport& what, const ExportOptions& options,
                             const QString& path);
/// combinedDrawing(); CSVs FIGURE-timeline.csv, FIGURE-heads.csv and, with arcs, FIGURE-arcs.csv.
QString exportCombinedFigure(const TimelineExport& timelines, const HeadGridExport& heads,
                             const ExportOptions& options, const QString& path,
                             const ArcScene& arcs = {});

} // namespace chrysalis::ui
