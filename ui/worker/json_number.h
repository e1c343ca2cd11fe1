#pragma once
// Numbers from the engine's JSON. JSON has no NaN or infinity: the engine
// writes a non-finite value as null, and Qt reads null as 0.0, a value that
// looks real. Here null (or anything not a number) reads as NaN, and NaN is
// shown as a visible mark, never as 0.
#include <QJsonValue>
#include <QString>

namespace chrysalis::ui {

/// The number in `value`, or NaN when it is null or not a number.
double jsonNumber(const QJsonValue& value);

/// `value` with `decimals` decimals, or "NaN" / "inf" / "-inf".
QString numberText(double value, int decimals);

/// The tooltip for a number shown as "NaN" or "inf".
QString nonFiniteToolTip();

} // namespace chrysalis::ui
