#pragma once
// The probe set's sentences as a table: sent_id, length in words, text. One
// row per sentence, in probe-set order; the row is the sentence's index in
// the probe set (what the cursor context stores).
#include "sentences/probe_set_data.h"

#include <QAbstractTableModel>

namespace chrysalis::ui {

class SentenceModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { IdColumn, LengthColumn, TextColumn, ColumnCount };
  enum Role {
    IndexRole = Qt::UserRole + 1, ///< int: the sentence's index in the probe set
    RelationsRole,                ///< QStringList: the relations in its gold parse
  };

  explicit SentenceModel(QObject* parent = nullptr);

  void setProbeSet(const ProbeSetData& set);
  const ProbeSetData& probeSet() const { return m_set; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

private:
  ProbeSetData m_set;
};

} // namespace chrysalis::ui
