#pragma once
// One probe result's arrays and string lists at one step (e.g. uas/accuracy
// [L,H,2,R] with uas/relations). Loaded on demand: a run's arrays can be many
// megabytes (blimp/pll_* alone is ~1 MB per step), so opening a run never
// reads them.
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace chrysalis::ui {

struct ArrayValue {
  QVector<qint64> shape;
  QVector<double> values; ///< row-major; NaN = undefined
  qint64 size() const { return values.size(); }
};

struct StepArrays {
  qint64 step = 0;
  QMap<QString, ArrayValue> arrays;
  QMap<QString, QStringList> strings;
};

/// Identifies one probe result file: run folder, configuration hash, step.
struct ArrayKey {
  QString dir;
  QString hash;
  qint64 step = -1;
  bool isValid() const { return !dir.isEmpty() && !hash.isEmpty() && step >= 0; }
  friend bool operator==(const ArrayKey& a, const ArrayKey& b) {
    return a.step == b.step && a.hash == b.hash && a.dir == b.dir;
  }
  friend bool operator!=(const ArrayKey& a, const ArrayKey& b) { return !(a == b); }
};

inline size_t qHash(const ArrayKey& k, size_t seed = 0) {
  return ::qHash(k.dir, seed) ^ ::qHash(k.hash, seed) ^ ::qHash(k.step, seed);
}

} // namespace chrysalis::ui

Q_DECLARE_METATYPE(chrysalis::ui::ArrayKey)
