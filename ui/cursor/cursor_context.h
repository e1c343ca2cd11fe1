#pragma once
// The shared "where am I looking" state (house-style §9): the training step,
// the selected run, head, relation and probe sentence. Views hold the context
// by reference and register as observers; a change notifies every observer
// except the one that made it, and setting a value it already has notifies
// nobody, so views that echo a change back cannot start a loop.
#include <QFlags>
#include <QString>
#include <QVector>

namespace chrysalis::ui {

struct Cursor {
  qint64 step = -1; ///< -1: no run open yet
  int run = -1;     ///< the selected run's id (Session), -1 for none
  int layer = -1;   ///< selected head, -1 for none
  int head = -1;
  QString relation; ///< selected UD relation, empty for none
  int sentence =
      -1; ///< selected sentence: index into the probe set shown (SentenceSource), -1 for none
  bool hasHead() const { return layer >= 0 && head >= 0; }
};

enum class CursorField { Step = 0x1, Run = 0x2, Head = 0x4, Relation = 0x8, Sentence = 0x10 };
Q_DECLARE_FLAGS(CursorFields, CursorField)
Q_DECLARE_OPERATORS_FOR_FLAGS(CursorFields)

class ICursorObserver {
public:
  virtual ~ICursorObserver() = default;
  /// @param cursor  the new state.
  /// @param changed which parts changed.
  virtual void cursorChanged(const Cursor& cursor, CursorFields changed) = 0;
};

class CursorContext {
public:
  const Cursor& cursor() const { return m_cursor; }

  /// Each setter notifies every observer but `origin` (the view that made the
  /// change and already shows it), and only when the value really changes.
  void setStep(qint64 step, ICursorObserver* origin = nullptr);
  void setRun(int run, ICursorObserver* origin = nullptr);
  void setHead(int layer, int head, ICursorObserver* origin = nullptr);
  void setRelation(const QString& relation, ICursorObserver* origin = nullptr);
  void setSentence(int sentence, ICursorObserver* origin = nullptr);
  /// Several fields at once, one notification.
  void set(const Cursor& cursor, ICursorObserver* origin = nullptr);

  void addObserver(ICursorObserver* observer);
  void removeObserver(ICursorObserver* observer);

private:
  void notify(CursorFields changed, ICursorObserver* origin);
  Cursor m_cursor;
  QVector<ICursorObserver*> m_observers;
};

} // namespace chrysalis::ui
