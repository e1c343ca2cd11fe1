#include "timeline/chart_style.h"

#include <QApplication>

#include <algorithm>

namespace chrysalis::ui {
namespace {
QFont screenFont() {
  QFont f = QApplication::font();
  // Pixel size, not point size: see the header.
  const double px = f.pointSizeF() > 0 ? f.pointSizeF() * 96.0 / 72.0 : 13.0;
  f.setPixelSize(qRound(std::max(11.0, px * 0.92)));
  return f;
}
} // namespace

ChartStyle ChartStyle::light() {
  ChartStyle s;
  s.background = QColor(0xFF, 0xFF, 0xFF);
  s.plotBackground = QColor(0xFC, 0xFC, 0xFD);
  s.text = QColor(0x22, 0x22, 0x22);
  s.grid = QColor(0xE3, 0xE5, 0xE8);
  s.axis = QColor(0x8A, 0x8F, 0x96);
  s.cursor = QColor(0x20, 0x20, 0x20);
  s.font = screenFont();
  return s;
}

ChartStyle ChartStyle::dark() {
  ChartStyle s;
  s.background = QColor(0x23, 0x25, 0x29);
  s.plotBackground = QColor(0x1C, 0x1E, 0x22);
  s.text = QColor(0xE4, 0xE6, 0xEA);
  s.grid = QColor(0x38, 0x3B, 0x41);
  s.axis = QColor(0x76, 0x7B, 0x84);
  s.cursor = QColor(0xF2, 0xF2, 0xF2);
  s.font = screenFont();
  return s;
}

ChartStyle ChartStyle::forPaper(const QString& family, double pointSize, double unitsPerPoint) {
  ChartStyle s;
  s.background = Qt::white;
  s.plotBackground = Qt::white;
  s.text = Qt::black;
  s.grid = QColor(0xE0, 0xE0, 0xE0);
  s.axis = QColor(0x55, 0x55, 0x55);
  s.cursor = QColor(0x55, 0x55, 0x55);
  s.font = QFont(family);
  s.font.setPixelSize(std::max(1, qRound(pointSize * unitsPerPoint)));
  s.lineWidth = std::max(0.6, pointSize / 8.0) * unitsPerPoint;
  s.markerSize = std::max(1.5, pointSize / 3.0) * unitsPerPoint;
  s.paper = true;
  return s;
}

} // namespace chrysalis::ui
