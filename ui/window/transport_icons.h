#pragma once
// Playback icons drawn in the palette's text colour. The style's standard
// media icons are dark glyphs that vanish on the dark palette.
#include <QColor>
#include <QIcon>

namespace chrysalis::ui {

enum class TransportIcon { First, Previous, Play, Pause, Next, Last };

QIcon transportIcon(TransportIcon kind, const QColor& colour);

} // namespace chrysalis::ui
