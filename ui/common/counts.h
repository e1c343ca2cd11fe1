#pragma once
// Short counts for labels and status lines: "950", "12.6k", "3.0M", "1.20B".
// One of the helpers below both GUI libraries (with step_axis.h).
#include <QString>

namespace chrysalis::ui {

QString formatCount(qint64 n);

} // namespace chrysalis::ui
