#pragma once
// Settings of a paper figure: format, physical size, resolution (PNG only),
// font. Widths are those of two-column paper templates.
#include <QString>

#include <optional>

namespace chrysalis::ui {

enum class ExportFormat { Svg, Pdf, Png };

inline constexpr double kSingleColumnInches = 3.25;
inline constexpr double kDoubleColumnInches = 6.75;

struct ExportOptions {
  ExportFormat format = ExportFormat::Svg;
  double widthInches = kSingleColumnInches;
  double heightInches = 0.0; ///< 0: chosen from the width and the content
  int dpi = 300;             ///< PNG only; SVG and PDF are vector
  QString fontFamily = QStringLiteral("DejaVu Sans");
  double fontPoints = 8.0;
  bool writeCsv = true; ///< the data plotted, beside the figure (same name, .csv)
};

/// "svg", "pdf", "png" (any case), or nullopt.
std::optional<ExportFormat> parseExportFormat(const QString& name);
/// The format a file name's suffix names, or nullopt.
std::optional<ExportFormat> exportFormatFromPath(const QString& path);
QString exportFormatSuffix(ExportFormat format);
/// Where the CSV of a figure goes: FIGURE with its suffix replaced by `tag`.csv.
QString csvPathFor(const QString& figurePath, const QString& tag = {});

} // namespace chrysalis::ui
