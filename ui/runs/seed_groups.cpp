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
  // The label series.json gives: the shown one may carry the folder when two
  // seeds share a label, which the group's caption does not need.
  const OpenRun* first = group.first();
  const QString label = first->seriesLabel.isEmpty() ? first->data.label : first->seriesLabel;
  return QStringLiteral("%1 (%2 seeds)").arg(labelWithoutSeed(label)).arg(group.size());
}

} // namespace chrysalis::ui
