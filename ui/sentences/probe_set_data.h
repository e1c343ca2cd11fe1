#pragma once
// The probe set's sentences as the GUI needs them: words with their gold
// parse (core/probes/probe_set.h holds the engine's copy, which the GUI
// cannot link). Plain values, read on the I/O thread and copied to the GUI.
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace chrysalis::ui {

struct ProbeSentence {
  QString id; ///< the treebank's sent_id
  QStringList words;
  QVector<int> heads;    ///< gold parent of each word, 1-based, 0 = root
  QStringList relations; ///< UD relation of each word (subtypes kept)
  int size() const { return static_cast<int>(words.size()); }
  QString text() const { return words.join(QLatin1Char(' ')); }
};

struct ProbeSetData {
  QString path; ///< absolute path of the file read
  QString hash; ///< its content hash (names it in probe results)
  QVector<ProbeSentence> sentences;
  bool isEmpty() const { return sentences.isEmpty(); }
  /// Every relation that occurs, sorted.
  QStringList relations() const;
};

} // namespace chrysalis::ui

Q_DECLARE_METATYPE(chrysalis::ui::ProbeSetData)
