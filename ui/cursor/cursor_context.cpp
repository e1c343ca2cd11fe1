#include "cursor/cursor_context.h"

namespace chrysalis::ui {

void CursorContext::setStep(qint64 step, ICursorObserver* origin) {
  Cursor c = m_cursor;
  c.step = step;
  set(c, origin);
}

void CursorContext::setRun(int run, ICursorObserver* origin) {
  Cursor c = m_cursor;
  c.run = run;
  set(c, origin);
}

void CursorContext::setHead(int layer, int head, ICursorObserver* origin) {
  Cursor c = m_cursor;
  c.layer = layer;
  c.head = head;
  set(c, origin);
}

void CursorContext::setRelation(const QString& relation, ICursorObserver* origin) {
  Cursor c = m_cursor;
  c.relation = relation;
  set(c, origin);
}

void CursorContext::setSentence(int sentence, ICursorObserver* origin) {
  Cursor c = m_cursor;
  c.sentence = sentence;
  set(c, origin);
}

void CursorContext::set(const Cursor& cursor, ICursorObserver* origin) {
  CursorFields changed;
  if (cursor.step != m_cursor.step) changed |= CursorField::Step;
  if (cursor.run != m_cursor.run) changed |= CursorField::Run;
  if (cursor.layer != m_cursor.layer || cursor.head != m_cursor.head) changed |= CursorField::Head;
  if (cursor.relation != m_cursor.relation) changed |= CursorField::Relation;
  if (cursor.sentence != m_cursor.sentence) changed |= CursorField::Sentence;
  if (!changed) return;
  m_cursor = cursor;
  notify(changed, origin);
}

void CursorContext::addObserver(ICursorObserver* observer) {
  if (observer && !m_observers.contains(observer)) m_observers.append(observer);
}

void CursorContext::removeObserver(ICursorObserver* observer) {
  m_observers.removeAll(observer);
}

void CursorContext::notify(CursorFields changed, ICursorObserver* origin) {
  // A copy: an observer may add or remove observers while being notified. An
  // observer removed meanwhile is skipped. Each gets the cursor as it is now,
  // so a nested change made by an earlier observer is never undone by a stale
  // copy.
  const QVector<ICursorObserver*> observers = m_observers;
  for (ICursorObserver* o : observers)
    if (o != origin && m_observers.contains(o)) o->cursorChanged(Cursor(m_cursor), changed);
}

} // namespace chrysalis::ui
