#include "common/counts.h"

namespace chrysalis::ui {

QString formatCount(qint64 n) {
  const double v = static_cast<double>(n);
  if (v >= 1e9) return QString::number(v / 1e9, 'f', 2) + QLatin1Char('B');
  if (v >= 1e6) return QString::number(v / 1e6, 'f', 1) + QLatin1Char('M');
  if (v >= 1e3) return QString::number(v / 1e3, 'f', 1) + QLatin1Char('k');
  return QString::number(n);
}

} // namespace chrysalis::ui
