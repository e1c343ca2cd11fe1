#pragma once
// Narrows the sentence list: by text (words or sent_id, case-insensitive) and
// by a relation the gold parse must contain, e.g. all sentences with an
// `nsubj:pass` to see how a passive-subject head develops.
#include <QSortFilterProxyModel>

namespace chrysalis::ui {

class SentenceFilter : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit SentenceFilter(QObject* parent = nullptr);

  /// Words or id must contain `text`; empty accepts all.
  void setText(const QString& text);
  /// The gold parse must contain `relation`; empty accepts all.
  void setRelation(const QString& relation);
  QString text() const { return m_text; }
  QString relation() const { return m_relation; }

protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
  QString m_text;
  QString m_relation;
};

} // namespace chrysalis::ui
