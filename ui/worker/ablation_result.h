#pragma once
// What the engine worker's "ablate" request asks and answers (the ablation
// probe at one checkpoint; core/format/worker_protocol.h, docs/probes.md).
// Plain values, cheap to copy across signals.
#include <QMap>
#include <QMetaType>
#include <QPoint>
#include <QString>
#include <QVector>

namespace chrysalis::ui {

struct AblationKey {
  QString series; ///< the run's folder
  qint64 step = -1;
  QString probeSet; ///< the probe set file
  QString heads;    ///< "4-1,3-2", "top:3" or "random:3" (probes/head_choice.h)
  QString mode = QStringLiteral("zero"); ///< zero | mean
  qint64 minRelationCount = 100;         ///< as the run's UAS results were computed
  bool isValid() const {
    return !series.isEmpty() && step >= 0 && !probeSet.isEmpty() && !heads.isEmpty();
  }
};

struct AblationResult {
  AblationKey key;
  QString configHash;            ///< the probe store configuration it is stored under
  bool cached = false;           ///< the store already had it
  QMap<QString, double> scalars; ///< the probe's scalars; NaN where undefined
  QVector<QPoint> heads;         ///< (layer, head), 0-based, masked
  QVector<QPoint> controlHeads;  ///< the random control's heads
  double value(const QString& name) const { return scalars.value(name, qQNaN()); }
  bool isValid() const {
    return !heads.isEmpty() && scalars.contains(QStringLiteral("ablation_loss"));
  }
};

/// "4-1, 3-2": heads as the grid labels them (counted from 1).
QString headListText(const QVector<QPoint>& heads);
/// The same as a head choice the engine reads ("4-1,3-2").
QString headChoiceText(const QVector<QPoint>& heads);

} // namespace chrysalis::ui

Q_DECLARE_METATYPE(chrysalis::ui::AblationResult)
