#include "export/export_options.h"

#include <QFileInfo>

namespace chrysalis::ui {

std::optional<ExportFormat> parseExportFormat(const QString& name) {
  const QString n = name.toLower();
  if (n == QLatin1String("svg")) return ExportFormat::Svg;
  if (n == QLatin1String("pdf")) return ExportFormat::Pdf;
  if (n == QLatin1String("png")) return ExportFormat::Png;
  return std::nullopt;
}

std::optional<ExportFormat> exportFormatFromPath(const QString& path) {
  return parseExportFormat(QFileInfo(path).suffix());
}

QString exportFormatSuffix(ExportFormat format) {
  switch (format) {
  case ExportFormat::Svg:
    return QStringLiteral("svg");
  case ExportFormat::Pdf:
    return QStringLiteral("pdf");
  case ExportFormat::Png:
    return QStringLiteral("png");
  }
  return {};
}

QString csvPathFor(const QString& figurePath, const QString& tag) {
  const QFileInfo fi(figurePath);
  const QString base = fi.suffix().isEmpty()
                           ? figurePath
                           : figurePath.left(figurePath.size() - fi.suffix().size() - 1);
  return base + (tag.isEmpty() ? QString() : QLatin1Char('-') + tag) + QStringLiteral(".csv");
}

} // namespace chrysalis::ui
