#include "runs/run_colours.h"

namespace chrysalis::ui {

const QVector<QColor>& runPalette() {
  // Okabe-Ito, ordered so that each colour is far from those before it: the
  // close pairs (vermillion/orange, blue/sky blue) are 5 places apart.
  static const QVector<QColor> palette = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00),
                                          QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
                                          QColor(0x59, 0x59, 0x59), QColor(0xE6, 0x9F, 0x00),
                                          QColor(0x56, 0xB4, 0xE9)};
  Q_ASSERT(palette.size() == kRunColours);
  return palette;
}

} // namespace chrysalis::ui
