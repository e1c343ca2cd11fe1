#pragma once
// The probe set of the selected run and the selected sentence in it. The
// file is the user's choice for that run (File ▸ Choose Probe Set…), else the
// one found beside the series (probe_set_locator.h), else the last one chosen
// for any run (runs of one study share their probe set). It loads on the
// session's I/O thread; the cursor context's `sentence` indexes into it.
#include "cursor/cursor_context.h"
#include "sentences/probe_set_data.h"

#include <QHash>
#include <QObject>

namespace chrysalis::ui {

class Session;

class SentenceSource : public QObject, public ICursorObserver {
  Q_OBJECT
public:
  SentenceSource(Session& session, CursorContext& cursor, QObject* parent = nullptr);
  ~SentenceSource() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  /// The probe set shown (empty while none is loaded).
  const ProbeSetData& probeSet() const { return m_set; }
  /// The sentence at `index`, or nullptr.
  const ProbeSentence* sentence(int index) const;
  /// The cursor's sentence, or nullptr.
  const ProbeSentence* current() const { return sentence(m_cursor.cursor().sentence); }
  /// Why there are no sentences (no run, no probe set found, unreadable file), else empty.
  QString message() const { return m_message; }
  bool isLoading() const { return !m_loading.isEmpty(); }
  /// The file for the selected run (loaded or loading), or empty.
  QString path() const;
  /// The file for the run in folder `dir`: chosen for it, found beside it, or
  /// the last one chosen for any run; empty when none is known.
  QString pathFor(const QString& dir) const;

  /// Uses `path` for the selected run from now on (and as the fallback for runs
  /// without a probe set of their own).
  void choose(const QString& path);

Q_SIGNALS:
  /// The probe set or the message changed.
  void changed();

private:
  QString runDir() const;
  void refresh();
  void load(const QString& path);
  void clear(const QString& message);
  void loaded(const ProbeSetData& set);
  /// A short sentence to start with, so the arc view shows something legible.
  int defaultSentence() const;

  Session& m_session;
  CursorContext& m_cursor;
  QHash<QString, QString> m_chosen; // run folder -> probe set chosen by the user
  QString m_lastChosen;
  QString m_loading; // path being read
  ProbeSetData m_set;
  QString m_message;
};

} // namespace chrysalis::ui
