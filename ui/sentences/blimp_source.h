#pragma once
// The BLiMP results of the selected run around the cursor: per-pair scores of
// the newest blimp result at or before the cursor step and of the blimp
// result before that (for flips), and the pairs' texts. Arrays load through
// the session's ArrayCache (tags "blimp:cur"/"blimp:prev": scrubbing reads
// only where the cursor stops); the texts load once per folder on the I/O
// thread. The folder is the user's choice, else one found beside the series
// (blimp_locator.h).
#include "cursor/cursor_context.h"
#include "data/step_arrays.h"
#include "sentences/blimp_pairs.h"

#include <QHash>
#include <QObject>

namespace chrysalis::ui {

class Session;
struct OpenRun;

class BlimpSource : public QObject, public ICursorObserver {
  Q_OBJECT
public:
  BlimpSource(Session& session, CursorContext& cursor, QObject* parent = nullptr);
  ~BlimpSource() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  /// Scores at the newest blimp step at or before the cursor (empty while loading or none).
  const BlimpScores& current() const { return m_current; }
  /// Scores at the blimp step before that (empty at the first).
  const BlimpScores& previous() const { return m_previous; }
  /// The texts of the scored pairs; empty when no folder matches these results.
  const BlimpTexts& texts() const { return m_texts; }
  /// Why something is missing (no results, no texts, hash mismatch); empty when all is there.
  QString message() const { return m_message; }
  /// The blimp steps wanted now: -1 for none.
  qint64 currentStep() const { return m_wantCur.step; }
  qint64 previousStep() const { return m_wantPrev.step; }
  /// True while arrays or texts are being read.
  bool isLoading() const;
  /// The BLiMP folder for the selected run (found or chosen), or empty.
  QString dir() const;

  /// Uses `dir` for the selected run's BLiMP texts from now on.
  void chooseDir(const QString& dir);
  /// Recomputes what is wanted now.
  void refresh();
  /// While inactive (the BLiMP panel hidden) cursor moves and new results
  /// read nothing: they would compete with the visible views for the I/O
  /// thread and the array cache. Activating catches up at once.
  void setActive(bool active);
  bool isActive() const { return m_active; }

Q_SIGNALS:
  void changed();

private:
  const OpenRun* run() const;
  void requestTexts(const QString& dir, int perTask, quint64 seed, const QString& hash);
  void update();
  void onArraysReady(const ArrayKey& key);

  Session& m_session;
  CursorContext& m_cursor;
  bool m_active = true;
  bool m_stale = false; // a refresh was skipped while inactive
  ArrayKey m_wantCur, m_wantPrev;
  ArrayKey m_shown;  ///< the result m_current came from (kept while the next one is read)
  ArrayKey m_failed; ///< the last wanted result that could not be read, and why
  QString m_failedMessage;
  BlimpScores m_current, m_previous;
  QHash<QString, QString> m_chosen; // run folder -> chosen BLiMP folder
  QString m_textsWanted;            // "dir|perTask|seed" being read or shown
  QString m_textsLoading;
  QString m_wantedHash; // the results' "pairs" hash
  BlimpTexts m_texts;
  QString m_textsError;
  QString m_message;
};

} // namespace chrysalis::ui
