#include "runs/seed_groups.h"

#include "data/seed_group_key.h"

namespace chrysalis::ui {

QVector<QVector<const OpenRun*>> groupBySeed(const QVector<const OpenRun*>& runs) {
  QVector<QVector<const OpenRun*>> groups;
  for (const OpenRun* run : runs) {
    const QString& key = run->data.seedGroupKey;
    auto same = std::find_if(groups.begin(), groups.end(), [&](const QVector<const OpenRun*>& g) {
      return !key.isEmpty() && g.first()->data.seedGroupKey == key;
    });
    if (same == groups.end())
      groups.append({run});
    else
      same->append(run);
  }
  return groups;
}

QString seedGroupLabel(const QVector<const OpenRun*>& group) {
  if (group.isEmpty()) return {};
  if (group.size() == 1) return group.first()->data.label;
  return QStringLiteral("%1 (%2 seeds)")
      .arg(labelWithoutSeed(group.first()->data.label))
      .arg(group.size());
}

} // namespace chrysalis::ui
