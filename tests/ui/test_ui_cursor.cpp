// The cursor context: observers hear about real changes only, the originator
// is skipped, and views that echo changes back cannot loop.
#include "cursor/cursor_context.h"
#include "ui_test_main.h"

using namespace chrysalis::ui;

namespace {
struct Recorder : ICursorObserver {
  QList<CursorFields> calls;
  Cursor last;
  void cursorChanged(const Cursor& c, CursorFields changed) override {
    calls << changed;
    last = c;
  }
};

// A view that snaps every step to a multiple of 100 and writes it back.
struct Snapper : ICursorObserver {
  CursorContext& ctx;
  int calls = 0;
  explicit Snapper(CursorContext& c) : ctx(c) {}
  void cursorChanged(const Cursor& c, CursorFields changed) override {
    ++calls;
    if (changed & CursorField::Step) ctx.setStep((c.step / 100) * 100, this);
  }
};
} // namespace

class TestUiCursor : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void notifiesOthersNotTheOriginator() {
    CursorContext ctx;
    Recorder a, b;
    ctx.addObserver(&a);
    ctx.addObserver(&b);
    ctx.setStep(1000, &a);
    QCOMPARE(a.calls.size(), 0);
    QCOMPARE(b.calls.size(), 1);
    QVERIFY(b.calls[0] & CursorField::Step);
    QCOMPARE(b.last.step, 1000);
  }

  void sameValueNotifiesNobody() {
    CursorContext ctx;
    Recorder a;
    ctx.addObserver(&a);
    ctx.setHead(3, 4);
    ctx.setHead(3, 4);
    ctx.setRelation(QString());
    QCOMPARE(a.calls.size(), 1);
    QCOMPARE(a.calls[0], CursorFields(CursorField::Head));
    QVERIFY(ctx.cursor().hasHead());
  }

  void echoingViewsDoNotLoop() {
    CursorContext ctx;
    Snapper s(ctx);
    Recorder r;
    ctx.addObserver(&s);
    ctx.addObserver(&r);
    ctx.setStep(1234);
    QCOMPARE(ctx.cursor().step, 1200);
    QCOMPARE(s.calls, 1);
    // The recorder sees the snapped value last, never a stale 1234 after it.
    QCOMPARE(r.last.step, 1200);
  }

  void setSeveralFieldsAtOnce() {
    CursorContext ctx;
    Recorder a;
    ctx.addObserver(&a);
    Cursor c;
    c.step = 5;
    c.run = 2;
    c.relation = QStringLiteral("nsubj");
    ctx.set(c);
    QCOMPARE(a.calls.size(), 1);
    QCOMPARE(a.calls[0], CursorField::Step | CursorField::Run | CursorField::Relation);
    ctx.removeObserver(&a);
    ctx.setStep(6);
    QCOMPARE(a.calls.size(), 1);
  }
};

CHRYSALIS_QTEST_MAIN(TestUiCursor)
#include "test_ui_cursor.moc"
