#include "export/figure_writer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {

QString writeFigure(const QString& path, ExportFormat format, const QSizeF& sizePoints, int dpi,
                    const std::function<void(QPainter&)>& paint) {
  if (sizePoints.width() <= 0 || sizePoints.height() <= 0)
    return QStringLiteral("%1: empty figure size").arg(path);
  const QFileInfo info(path);
  if (!info.absoluteDir().exists())
    return QStringLiteral("%1: no such folder").arg(info.absolutePath());
  // Remove an old copy first, so "the file exists" below means "we wrote it".
  if (info.exists() && !QFile::remove(path))
    return QStringLiteral("%1: cannot replace the existing file").arg(path);
  QPainter p;
  switch (format) {
  case ExportFormat::Svg: {
    QSvgGenerator svg;
    svg.setFileName(path);
    // 72 "pixels" per inch: the SVG's width and height come out in points.
    svg.setResolution(72);
    svg.setSize(QSize(qRound(sizePoints.width()), qRound(sizePoints.height())));
    svg.setViewBox(QRectF(QPointF(0, 0), sizePoints));
    svg.setTitle(QStringLiteral("Chrysalis figure"));
    if (!p.begin(&svg)) return QStringLiteral("%1: cannot write").arg(path);
    p.scale(1.0 / kUnitsPerPoint, 1.0 / kUnitsPerPoint);
    paint(p);
    p.end();
    break;
  }
  case ExportFormat::Pdf: {
    QPdfWriter pdf(path);
    constexpr int kResolution = 1200;
    pdf.setResolution(kResolution);
    pdf.setPageSize(
        QPageSize(sizePoints / 72.0, QPageSize::Inch, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setCreator(QStringLiteral("Chrysalis"));
    if (!p.begin(&pdf)) return QStringLiteral("%1: cannot write").arg(path);
    p.scale(kResolution / 72.0 / kUnitsPerPoint, kResolution / 72.0 / kUnitsPerPoint);
    paint(p);
    p.end();
    break;
  }
  case ExportFormat::Png: {
    if (dpi < 36 || dpi > 2400)
      return QStringLiteral("%1: DPI %2 is outside 36..2400").arg(path).arg(dpi);
    QImage image = renderFigureImage(sizePoints, dpi / 72.0, paint);
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    if (!image.save(path, "PNG")) return QStringLiteral("%1: cannot write").arg(path);
    break;
  }
  }
  if (!QFileInfo::exists(path)) return QStringLiteral("%1: cannot write").arg(path);
  return {};
}

QImage renderFigureImage(const QSizeF& sizePoints, double pixelsPerPoint,
                         const std::function<void(QPainter&)>& paint) {
  const QSize px(qRound(sizePoints.width() * pixelsPerPoint),
                 qRound(sizePoints.height() * pixelsPerPoint));
  QImage image(px, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter p(&image);
  p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                   QPainter::SmoothPixmapTransform);
  p.scale(pixelsPerPoint / kUnitsPerPoint, pixelsPerPoint / kUnitsPerPoint);
  paint(p);
  return image;
}

QString writeDrawing(const QString& path, const FigureDrawing& d, const ExportOptions& o) {
  if (!d.isValid()) return d.error.isEmpty() ? QStringLiteral("nothing to draw") : d.error;
  return writeFigure(path, o.format, d.sizePoints, o.dpi, d.paint);
}

QImage renderFigurePreview(const FigureDrawing& drawing, const QSize& box) {
  if (!drawing.isValid() || box.isEmpty()) return {};
  const double scale = std::min(box.width() / drawing.sizePoints.width(),
                                box.height() / drawing.sizePoints.height());
  return renderFigureImage(drawing.sizePoints, scale, drawing.paint);
}

} // namespace chrysalis::ui
