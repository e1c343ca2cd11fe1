#include "worker/json_number.h"

#include <cmath>
#include <limits>

namespace chrysalis::ui {

double jsonNumber(const QJsonValue& value) {
  return value.isDouble() ? value.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

QString numberText(double value, int decimals) {
  if (std::isnan(value)) return QStringLiteral("NaN");
  if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
  return QString::number(value, 'f', decimals);
}

QString nonFiniteToolTip() {
  return QStringLiteral("Not a finite number: the engine computed NaN or an infinity (diverged "
                        "training, or NaN weights in the checkpoint). See its warnings.");
}

} // namespace chrysalis::ui
