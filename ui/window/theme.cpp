#include "window/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace chrysalis::ui {

void applyTheme(bool dark) {
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  if (!dark) {
    QApplication::setPalette(QApplication::style()->standardPalette());
    return;
  }
  QPalette p;
  const QColor window(0x2B, 0x2D, 0x31), base(0x1E, 0x20, 0x23), text(0xE4, 0xE6, 0xEA);
  const QColor disabled(0x80, 0x84, 0x8A), highlight(0x3D, 0x8B, 0xD6);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, disabled);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::white);
  p.setColor(QPalette::Link, highlight.lighter(130));
  p.setColor(QPalette::Highlight, highlight);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Mid, QColor(0x44, 0x47, 0x4D));
  p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1B));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, disabled);
  QApplication::setPalette(p);
}

ChartStyle chartStyleFor(bool dark) {
  return dark ? ChartStyle::dark() : ChartStyle::light();
}

HeadGridStyle headGridStyleFor(bool dark) {
  HeadGridStyle s;
  const ChartStyle c = chartStyleFor(dark);
  s.background = c.background;
  s.text = c.text;
  s.selection = dark ? QColor(0xFF, 0xFF, 0xFF) : QColor(0xE0, 0x10, 0x10);
  s.font = c.font;
  return s;
}

} // namespace chrysalis::ui
