// The metrics CSV reader: named columns, missing cells, located errors.
#include "common/error.h"
#include "onset/csv.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

using namespace chrysalis::onset;
using chrysalis::InputError;

namespace {

// Parses `text` expecting an InputError; returns it for inspection.
InputError parseError(const std::string& text) {
  try {
    CsvTable::parse(text, "m.csv");
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return InputError("", "", "");
}

template <class F> InputError errorOf(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError";
  return InputError("", "", "");
}

} // namespace

TEST(OnsetCsv, ReadsNamedColumnsQuotesAndMissingCells) {
  std::string text = "\xEF\xBB\xBF"
                     "step,\"uas\",note\r\n"
                     "0,0.1,\"start, cold\"\r\n"
                     "\r\n"
                     "1000, ,\"say \"\"hi\"\"\"\r\n"
                     "2000,0.35,\"two\nlines\"\r\n"
                     "3000,nan,\n";
  CsvTable t = CsvTable::parse(text, "m.csv");
  EXPECT_EQ(t.columnNames(), (std::vector<std::string>{"step", "uas", "note"}));
  ASSERT_EQ(t.rowCount(), 4u);
  EXPECT_EQ(t.cell(0, 2), "start, cold");
  EXPECT_EQ(t.cell(1, 2), "say \"hi\"");
  EXPECT_EQ(t.cell(2, 2), "two\nlines");
  EXPECT_EQ(t.cell(3, 2), "");
  EXPECT_EQ(t.lineOf(0), 2u);
  EXPECT_EQ(t.lineOf(1), 4u); // the blank line 3 is skipped but counted
  EXPECT_EQ(t.lineOf(2), 5u);
  EXPECT_EQ(t.lineOf(3), 7u); // the quoted newline counts as a line
  std::vector<double> uas = t.numbers("uas");
  EXPECT_DOUBLE_EQ(uas[0], 0.1);
  EXPECT_TRUE(std::isnan(uas[1]));
  EXPECT_DOUBLE_EQ(uas[2], 0.35);
  EXPECT_TRUE(std::isnan(uas[3]));
  EXPECT_EQ(t.integers("step"), (std::vector<int64_t>{0, 1000, 2000, 3000}));
  EXPECT_TRUE(t.hasColumn("note"));
  EXPECT_FALSE(t.hasColumn("blimp"));
}

TEST(OnsetCsv, CurveSortsRowsAndAcceptsFloatSteps) {
  CsvTable t = CsvTable::parse("step,uas\n2e3,0.3\n0,0.1\n1000.0,+0.2\n", "m.csv");
  Curve c = t.curve("step", "uas");
  EXPECT_EQ(c.steps(), (std::vector<int64_t>{0, 1000, 2000}));
  EXPECT_EQ(c.values(), (std::vector<double>{0.1, 0.2, 0.3}));
}

TEST(OnsetCsv, StructuralErrorsNameTheLine) {
  InputError e = parseError("step,uas\n0,0.1\n1000,0.2,extra\n");
  EXPECT_EQ(e.file(), "m.csv");
  EXPECT_EQ(e.place(), "line 3");
  EXPECT_NE(e.reason().find("expected 2 fields"), std::string::npos) << e.what();

  e = parseError("step,uas\n0,0.1\n1000,\"0.2\n2000,0.3\n");
  EXPECT_EQ(e.place(), "line 3"); // where the quote opened
  EXPECT_NE(e.reason().find("never closed"), std::string::npos);

  e = parseError("step,uas\n0,0\"1\n");
  EXPECT_EQ(e.place(), "line 2");
  EXPECT_NE(e.reason().find("stray"), std::string::npos);

  e = parseError("step,uas\n0,\"0.1\"x\n");
  EXPECT_EQ(e.place(), "line 2");
  EXPECT_NE(e.reason().find("after a closing quote"), std::string::npos);

  e = parseError("step,uas,step\n");
  EXPECT_EQ(e.place(), "line 1");
  EXPECT_NE(e.reason().find("duplicate column name 'step'"), std::string::npos);

  e = parseError("step,,uas\n");
  EXPECT_NE(e.reason().find("column 2 has no name"), std::string::npos);

  e = parseError("\n\n");
  EXPECT_EQ(e.place(), "line 1");
  EXPECT_NE(e.reason().find("no header"), std::string::npos);
  EXPECT_EQ(std::string(e.what()), "m.csv: line 1: empty file: no header row");
}

TEST(OnsetCsv, ValueErrorsNameTheLineAndColumn) {
  CsvTable t =
      CsvTable::parse("step,uas\n0,0.1\n1000,abc\n2000,inf\n3000,0.4\n3000,0.5\n", "m.csv");
  InputError e = errorOf([&] { t.numbers("uas"); });
  EXPECT_EQ(e.place(), "line 3");
  EXPECT_EQ(e.reason(), "column 'uas': 'abc' is not a finite number");

  e = errorOf([&] { t.numbers("blimp"); });
  EXPECT_EQ(e.place(), "line 1");
  EXPECT_EQ(e.reason(), "no column 'blimp' (columns: step, uas)");

  CsvTable dup = CsvTable::parse("step,uas\n0,0.1\n1000,0.2\n0,0.3\n", "m.csv");
  e = errorOf([&] { dup.curve("step", "uas"); });
  EXPECT_EQ(e.place(), "line 4");
  EXPECT_EQ(e.reason(), "step 0 already appears on line 2");

  CsvTable badStep = CsvTable::parse("step,uas\n0,0.1\n1.5,0.2\n,0.3\n", "m.csv");
  e = errorOf([&] { badStep.integers("step"); });
  EXPECT_EQ(e.place(), "line 3");
  EXPECT_EQ(e.reason(), "column 'step': '1.5' is not an integer");
  CsvTable emptyStep = CsvTable::parse("step,uas\n0,0.1\n,0.3\n", "m.csv");
  e = errorOf([&] { emptyStep.integers("step"); });
  EXPECT_EQ(e.place(), "line 3");
}

TEST(OnsetCsv, ReadsFilesAndReportsUnreadableOnes) {
  chrysalis::test::ScratchDir dir;
  std::filesystem::path path = dir / "metrics.csv";
  {
    std::ofstream out(path);
    out << "step,uas\n0,0.1\n1000,0.2\n";
  }
  Curve c = CsvTable::read(path).curve("step", "uas");
  EXPECT_EQ(c.size(), 2u);
  InputError e = errorOf([&] { CsvTable::read(dir / "absent.csv"); });
  EXPECT_EQ(e.file(), (dir / "absent.csv").string());
  EXPECT_NE(e.reason().find("cannot open"), std::string::npos);
  e = errorOf([&] { CsvTable::read(dir.path()); });
  EXPECT_EQ(e.reason(), "is a folder, not a CSV file");
}
