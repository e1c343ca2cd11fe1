#include "window/status_text.h"

#include "common/counts.h"
#include "runs/session.h"

#include <QLocale>

namespace chrysalis::ui {

QString statusText(const Session& session, const Cursor& cursor) {
  const OpenRun* run = session.find(cursor.run);
  if (!run && session.count() > 0) run = &session.at(0);
  if (!run || cursor.step < 0) return QStringLiteral("No series open");
  const RunData& d = run->data;
  QStringList parts;
  if (session.count() > 1) parts << d.label;
  parts << QStringLiteral("step ") + QLocale::c().toString(cursor.step);
  if (const CheckpointRow* c = d.checkpoint(cursor.step)) {
    parts << formatCount(c->tokensSeen) + QStringLiteral(" tokens");
    parts << QStringLiteral("weights: ") +
                 (c->hasWeights ? QStringLiteral("yes") : QStringLiteral("no"));
  } else {
    parts << QStringLiteral("no checkpoint file");
  }
  const QStringList kinds = d.kindsAt(cursor.step);
  parts << QStringLiteral("results: ") +
               (kinds.isEmpty() ? QStringLiteral("none") : kinds.join(QStringLiteral(", ")));
  if (cursor.hasHead())
    parts << QStringLiteral("head %1-%2").arg(cursor.layer + 1).arg(cursor.head + 1);
  return parts.join(QStringLiteral(" \u00B7 "));
}

} // namespace chrysalis::ui
