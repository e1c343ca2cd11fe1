#pragma once
// The About box: version, what the app does, and the licenses of the data it
// bundles (shown in full so nobody has to hunt for attribution).
#include <QString>

class QWidget;

namespace chrysalis::ui {

/// Rich text of the About box.
QString aboutText();
void showAbout(QWidget* parent);

} // namespace chrysalis::ui
