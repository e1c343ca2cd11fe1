#pragma once
// What the screenshot tests share: a "not blank" measure and where pictures go
// (docs/images with CHRYSALIS_UPDATE_SCREENSHOTS=1, else a temporary folder).
#include <QDir>
#include <QImage>
#include <QSet>
#include <QString>

namespace chrysalis::test {

// Distinct colours on a grid of every `stride`-th pixel: a blank or
// single-colour picture has a handful, a drawn window hundreds.
inline int distinctColours(const QImage& image, int stride = 4) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += stride)
    for (int x = 0; x < image.width(); x += stride)
      colours.insert(image.pixel(x, y));
  return static_cast<int>(colours.size());
}

inline QString screenshotFolder(const QString& temporary) {
  const bool update = qEnvironmentVariableIntValue("CHRYSALIS_UPDATE_SCREENSHOTS") == 1;
  const QString dir = update ? QStringLiteral(CHRYSALIS_SOURCE_DIR "/docs/images") : temporary;
  QDir().mkpath(dir);
  return dir;
}

} // namespace chrysalis::test
