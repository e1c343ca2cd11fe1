// The sentence browser: a probe set file read with the format library, the
// table model and its filter under QAbstractItemModelTester, finding the
// probe set beside a series, and selection going through the cursor context.
#include "cursor/cursor_context.h"
#include "engine_fixture_ui.h"
#include "runs/session.h"
#include "sentences/probe_set_locator.h"
#include "sentences/probe_set_reader.h"
#include "sentences/sentence_filter.h"
#include "sentences/sentence_model.h"
#include "sentences/sentence_panel.h"
#include "sentences/sentence_source.h"
#include "synthetic_series.h"
#include "ui_test_main.h"

#include "common/error.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

using namespace chrysalis;
using namespace chrysalis::ui;

namespace {
// The filter's rows as "id,id,…", in view order.
QString rows(const QAbstractItemModel& m) {
  QStringList ids;
  for (int r = 0; r < m.rowCount(); ++r)
    ids << m.index(r, SentenceModel::IdColumn).data().toString();
  return ids.join(QLatin1Char(','));
}
} // namespace

class TestUiSentences : public QObject {
  Q_OBJECT
private:
  QTemporaryDir m_tmp;
  QString m_probeSet;

private Q_SLOTS:
  void initTestCase() {
    m_probeSet = m_tmp.filePath(QStringLiteral("probe-set.h5"));
    test::writeProbeSetFile(m_probeSet, test::sampleSentences());
  }

  void readsTheProbeSet() {
    const ProbeSetData set = readProbeSet(m_probeSet);
    QCOMPARE(set.sentences.size(), 3);
    QCOMPARE(set.hash, QStringLiteral("00000000deadbeef"));
    const ProbeSentence& s = set.sentences[1];
    QCOMPARE(s.id, QStringLiteral("s-2"));
    QCOMPARE(s.text(), QStringLiteral("Dogs chase cats in the park"));
    QCOMPARE(s.heads, (QVector<int>{2, 0, 2, 6, 6, 2}));
    QCOMPARE(s.relations.at(5), QStringLiteral("obl"));
    QVERIFY(set.relations().contains(QStringLiteral("nsubj:pass")));
    QStringList sorted = set.relations();
    sorted.sort();
    sorted.removeDuplicates();
    QCOMPARE(set.relations(), sorted);
    QCOMPARE(set.relations().count(QStringLiteral("nsubj")), 1);
  }

  void rejectsBadFiles() {
    const QString junk = m_tmp.filePath(QStringLiteral("junk.h5"));
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not hdf5 at all");
    f.close();
    QVERIFY_THROWS_EXCEPTION(InputError, readProbeSet(junk));
    // A head pointing past the sentence.
    auto bad = test::sampleSentences();
    bad[0].heads[1] = 9;
    const QString badPath = m_tmp.filePath(QStringLiteral("bad.h5"));
    test::writeProbeSetFile(badPath, bad);
    try {
      readProbeSet(badPath);
      QFAIL("no exception");
    } catch (const InputError& e) {
      QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("head out of range")),
               e.what());
    }
  }

  void modelAndFilterPassTheModelTester() {
    SentenceModel model;
    QAbstractItemModelTester t1(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    SentenceFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester t2(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProbeSet(readProbeSet(m_probeSet));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.index(2, SentenceModel::LengthColumn).data().toInt(), 7);
    QCOMPARE(model.index(0, SentenceModel::TextColumn).data().toString(),
             QStringLiteral("The cat sat ."));
    QCOMPARE(model.index(1, 0).data(SentenceModel::IndexRole).toInt(), 1);
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("Words"));
    QCOMPARE(rows(filter), QStringLiteral("s-1,s-2,s-3"));

    filter.setText(QStringLiteral("CAT")); // case-insensitive, anywhere in the words
    QCOMPARE(rows(filter), QStringLiteral("s-1,s-2"));
    filter.setText(QStringLiteral("s-3")); // or the id
    QCOMPARE(rows(filter), QStringLiteral("s-3"));
    filter.setText({});
    filter.setRelation(QStringLiteral("obl"));
    QCOMPARE(rows(filter), QStringLiteral("s-2,s-3"));
    filter.setText(QStringLiteral("dog"));
    QCOMPARE(rows(filter), QStringLiteral("s-2,s-3"));
    filter.setRelation(QStringLiteral("nsubj:pass")); // subtypes are kept, and matched exactly
    QCOMPARE(rows(filter), QStringLiteral("s-3"));
    filter.setRelation({});
    filter.setText({});
    filter.sort(SentenceModel::LengthColumn, Qt::DescendingOrder); // numeric
    QCOMPARE(rows(filter), QStringLiteral("s-3,s-2,s-1"));

    model.setProbeSet({}); // a reset to nothing is fine too
    QCOMPARE(filter.rowCount(), 0);
  }

  void findsTheProbeSetBesideOrInsideTheSeries() {
    QTemporaryDir tmp;
    const QString series = tmp.filePath(QStringLiteral("runs/baseline"));
    QDir().mkpath(series);
    QCOMPARE(findProbeSet(series), QString());
    test::writeProbeSetFile(tmp.filePath(QStringLiteral("runs/probe-set.h5")),
                            test::sampleSentences());
    QCOMPARE(findProbeSet(series),
             QFileInfo(tmp.filePath(QStringLiteral("runs/probe-set.h5"))).absoluteFilePath());
    test::writeProbeSetFile(series + QStringLiteral("/ewt-dev.probeset.h5"),
                            test::sampleSentences());
    QCOMPARE(probeSetCandidates(series).size(), 2);
    QVERIFY(findProbeSet(series).endsWith(
        QStringLiteral("baseline/ewt-dev.probeset.h5"))); // inside wins
  }

  void selectingASentenceSetsTheCursor() {
    QTemporaryDir tmp;
    const QString series = tmp.filePath(QStringLiteral("run"));
    test::SyntheticOptions o;
    o.layers = 2;
    o.heads = 2;
    o.lastStep = 300;
    test::writeSyntheticSeries(series, o);
    test::writeProbeSetFile(tmp.filePath(QStringLiteral("probe-set.h5")), test::sampleSentences());

    Session session;
    session.setWatching(false);
    CursorContext cursor;
    SentenceSource source(session, cursor);
    SentencePanel panel(source, cursor);
    QAbstractItemModelTester t(panel.filter(),
                               QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!source.message().isEmpty()); // nothing open yet
    QSignalSpy changed(&source, &SentenceSource::changed);
    cursor.setRun(session.openNow(series));
    QTRY_COMPARE_WITH_TIMEOUT(source.probeSet().sentences.size(), 3, 5000);
    QVERIFY(source.message().isEmpty());
    QCOMPARE(panel.model()->rowCount(), 3);
    // It starts on a legible sentence (6 to 14 words), selected in the table.
    QCOMPARE(cursor.cursor().sentence, 1);
    QCOMPARE(panel.view()->selectionModel()->currentIndex().data(SentenceModel::IndexRole).toInt(),
             1);

    // Clicking a row selects that sentence everywhere.
    const QModelIndex third = panel.filter()->index(2, SentenceModel::TextColumn);
    panel.view()->selectionModel()->setCurrentIndex(third, QItemSelectionModel::ClearAndSelect |
                                                               QItemSelectionModel::Rows);
    QCOMPARE(cursor.cursor().sentence, 2);
    QCOMPARE(source.current()->id, QStringLiteral("s-3"));
    // The cursor moving selects the row here (through the filter).
    panel.relationFilter()->setCurrentIndex(
        panel.relationFilter()->findData(QStringLiteral("det")));
    QCOMPARE(panel.filter()->rowCount(), 3); // every sample sentence has a det
    // Typing in the filter never picks a sentence (issue 16, item 9): the
    // cursor stays where the user put it, and the footer counts the matches.
    const int chosenSentence = cursor.cursor().sentence;
    panel.textFilter()->setText(QStringLiteral("c"));
    panel.textFilter()->setText(QStringLiteral("ca"));
    panel.textFilter()->setText(QStringLiteral("cat"));
    QCOMPARE(panel.filter()->rowCount(), 2);
    QCOMPARE(cursor.cursor().sentence, chosenSentence);
    QVERIFY2(panel.infoText().startsWith(QStringLiteral("2 of 3 sentences match")),
             qPrintable(panel.infoText()));
    panel.textFilter()->setText(QStringLiteral("no such words"));
    QCOMPARE(panel.filter()->rowCount(), 0);
    QCOMPARE(cursor.cursor().sentence, chosenSentence);
    QVERIFY2(panel.infoText().startsWith(QStringLiteral("No sentence matches (of 3)")),
             qPrintable(panel.infoText()));
    panel.textFilter()->setText(QStringLiteral("cat"));
    cursor.setSentence(0);
    QCOMPARE(panel.view()->selectionModel()->currentIndex().data(SentenceModel::IndexRole).toInt(),
             0);

    // A file the user chooses replaces the one found, and is read again.
    auto fewer = test::sampleSentences();
    fewer.removeLast();
    const QString chosen = tmp.filePath(QStringLiteral("other.h5"));
    test::writeProbeSetFile(chosen, fewer);
    source.choose(chosen);
    QTRY_COMPARE_WITH_TIMEOUT(source.probeSet().sentences.size(), 2, 5000);
    QCOMPARE(source.path(), QFileInfo(chosen).absoluteFilePath());
    QVERIFY(changed.size() >= 2);

    // An unreadable choice is a message, not a crash.
    source.choose(tmp.filePath(QStringLiteral("missing.h5")));
    QTRY_VERIFY_WITH_TIMEOUT(source.message().contains(QStringLiteral("Cannot read")), 5000);
  }
};

CHRYSALIS_QTEST_MAIN(TestUiSentences)
#include "test_ui_sentences.moc"
