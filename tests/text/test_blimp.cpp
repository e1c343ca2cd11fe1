// BLiMP reader: the 67 real files, grouping, deterministic subsampling and
// malformed lines.
#include "text/blimp.h"
#include "text/splitmix.h"
#include "text_test_util.h"

#include <gtest/gtest.h>
#include <set>
#include <sstream>

using chrysalis::InputError;
using namespace chrysalis::text;
using chrysalis::test::sharedData;

namespace {
const BlimpSuite& suite() {
  static const BlimpSuite s = BlimpSuite::loadDirectory(sharedData() / "blimp");
  return s;
}

std::vector<BlimpPair> readString(const std::string& text) {
  std::istringstream in(text);
  return readBlimpJsonl(in, "mem.jsonl");
}

const std::string kLine =
    R"({"sentence_good": "Who should Derek hug?", "sentence_bad": "Who should Derek hug Richard?", )"
    R"("field": "syntax", "linguistics_term": "island_effects", "UID": "adjunct_island", )"
    R"("simple_LM_method": true, "pairID": "0"})";

void expectLineError(const std::string& text, const std::string& place, const std::string& reason) {
  try {
    readString(text);
    ADD_FAILURE() << "no error for: " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "mem.jsonl");
    EXPECT_EQ(e.place(), place);
    EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
  }
}
} // namespace

TEST(Blimp, Reads67TasksOf1000Pairs) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  ASSERT_EQ(suite().tasks().size(), 67u);
  EXPECT_EQ(suite().pairCount(), 67000u);
  for (const BlimpTask& t : suite().tasks()) {
    SCOPED_TRACE(t.uid);
    ASSERT_EQ(t.pairs.size(), 1000u);
    // Every file name equals its UID; pairIDs are "0".."999" in file order.
    EXPECT_EQ(std::filesystem::path(t.pairs[0].file).stem().string(), t.uid);
    EXPECT_EQ(t.pairs[0].pairId, "0");
    EXPECT_EQ(t.pairs[999].pairId, "999");
    EXPECT_EQ(t.pairs[999].line, 1000u);
    EXPECT_NE(t.pairs[0].good, t.pairs[0].bad);
  }
  const BlimpTask* island = suite().task("adjunct_island");
  ASSERT_NE(island, nullptr);
  EXPECT_EQ(island->phenomenon, "island_effects");
  EXPECT_EQ(island->field, "syntax");
  EXPECT_EQ(island->pairs[0].good, "Who should Derek hug after shocking Richard?");
  EXPECT_EQ(island->pairs[0].bad, "Who should Derek hug Richard after shocking?");
  EXPECT_EQ(suite().task("no_such_task"), nullptr);
}

TEST(Blimp, FieldSpellingsAreNormalised) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // principle_A_case_2 spells it "syntax/semantics", 13 others "syntax_semantics".
  EXPECT_EQ(suite().task("principle_A_case_2")->field, "syntax_semantics");
  std::map<std::string, size_t> fields;
  for (const BlimpTask& t : suite().tasks())
    ++fields[t.field];
  EXPECT_EQ(fields,
            (std::map<std::string, size_t>{
                {"morphology", 18}, {"semantics", 9}, {"syntax", 26}, {"syntax_semantics", 14}}));
}

TEST(Blimp, GroupsTasksByPhenomenon) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // Counted from the data (grep linguistics_term | sort -u): 13 phenomena.
  const auto phenomena = suite().phenomena();
  std::map<std::string, size_t> sizes;
  for (const auto& [term, uids] : phenomena)
    sizes[term] = uids.size();
  EXPECT_EQ(sizes, (std::map<std::string, size_t>{{"anaphor_agreement", 2},
                                                  {"argument_structure", 7},
                                                  {"binding", 7},
                                                  {"control_raising", 5},
                                                  {"determiner_noun_agreement", 8},
                                                  {"ellipsis", 2},
                                                  {"filler_gap_dependency", 7},
                                                  {"irregular_forms", 2},
                                                  {"island_effects", 8},
                                                  {"npi_licensing", 7},
                                                  {"quantifiers", 4},
                                                  {"s-selection", 2},
                                                  {"subject_verb_agreement", 6}}));
  EXPECT_EQ(phenomena.at("ellipsis"),
            (std::vector<std::string>{"ellipsis_n_bar_1", "ellipsis_n_bar_2"}));
}

TEST(Blimp, SamplingIsPinnedAndPortable) {
  // Reference values from an independent Python implementation of the same
  // SplitMix64 + partial Fisher–Yates; SplitMix64(0)'s first output is the
  // published test value.
  EXPECT_EQ(SplitMix64(0).next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(SplitMix64(1234567).next(), 0x599ED017FB08FC85ULL);
  EXPECT_EQ(sampleIndices(10, 3, 1), (std::vector<size_t>{1, 5, 8}));
  EXPECT_EQ(sampleIndices(1000, 5, 42), (std::vector<size_t>{26, 182, 338, 413, 552}));
  EXPECT_EQ(sampleIndices(1000, 5, 43), (std::vector<size_t>{17, 134, 160, 264, 463}));
  EXPECT_EQ(sampleIndices(3, 5, 1), (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(sampleIndices(0, 5, 1).empty());
}

TEST(Blimp, SubsamplingIsDeterministicAndSeeded) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  const BlimpSuite a = suite().subsample(5, 42);
  const BlimpSuite b = suite().subsample(5, 42);
  const BlimpSuite c = suite().subsample(5, 43);
  ASSERT_EQ(a.tasks().size(), 67u);
  EXPECT_EQ(a.pairCount(), 335u);
  size_t differing = 0;
  for (size_t t = 0; t < a.tasks().size(); ++t) {
    const auto& pa = a.tasks()[t].pairs;
    const auto& pb = b.tasks()[t].pairs;
    const auto& pc = c.tasks()[t].pairs;
    ASSERT_EQ(pa.size(), 5u);
    bool same = true, sameAsC = true;
    for (size_t i = 0; i < 5; ++i) {
      same = same && pa[i].pairId == pb[i].pairId;
      sameAsC = sameAsC && pa[i].pairId == pc[i].pairId;
      if (i > 0) {
        EXPECT_LT(pa[i - 1].line, pa[i].line); // file order
      }
    }
    EXPECT_TRUE(same);
    differing += !sameAsC;
  }
  EXPECT_GE(differing, 60u); // another seed gives (almost always) other pairs
  // adjunct_island with seed 42: sampleIndices(1000, 5, 42 ^ fnv1a64(uid)).
  const auto& island = a.task("adjunct_island")->pairs;
  std::vector<std::string> ids;
  for (const BlimpPair& p : island)
    ids.push_back(p.pairId);
  EXPECT_EQ(ids, (std::vector<std::string>{"259", "521", "527", "788", "948"}));
  EXPECT_EQ(suite().subsample(5000, 1).pairCount(), 67000u);
}

TEST(Blimp, ParsesLinesAndIgnoresUnknownKeys) {
  std::string second = kLine;
  second.replace(second.find("\"0\"}"), 4, R"(17, "extra": [1, {"x": 2}]})");
  const auto pairs = readString(kLine + "\n\n" + second + "\r\n");
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].uid, "adjunct_island");
  EXPECT_EQ(pairs[0].phenomenon, "island_effects");
  EXPECT_EQ(pairs[0].line, 1u);
  EXPECT_EQ(pairs[1].line, 3u); // blank lines are skipped but counted
  EXPECT_EQ(pairs[1].pairId, "17");
}

TEST(Blimp, MalformedLinesAreLocated) {
  const std::string ok = kLine + "\n";
  expectLineError(ok + ok + "{\"sentence_good\": \n", "line 3", "not valid JSON");
  expectLineError(ok + "[1, 2]\n", "line 2", "not a JSON object");
  expectLineError(
      ok + R"({"sentence_good": "a", "sentence_bad": "b", "UID": "u", "field": "f", "pairID": "1"})"
           "\n",
      "line 2", "missing key \"linguistics_term\"");
  expectLineError(R"({"sentence_good": 5, "sentence_bad": "b"})"
                  "\n",
                  "line 1", "key \"sentence_good\" is a number, not a string");
  std::string floatId = kLine;
  floatId.replace(floatId.find("\"0\""), 3, "1.5");
  expectLineError(floatId, "line 1", "key \"pairID\" is a number, not a string");
  expectLineError(std::string(10000, '[') + std::string(10000, ']'), "line 1",
                  "nested deeper than 64 levels");
  expectLineError(ok + "{\"sentence_good\": \"\xFF\"}\n", "line 2", "not valid JSON");
}

TEST(Blimp, InconsistentTasksAreRejected) {
  BlimpSuite s;
  s.add(readString(kLine));
  std::string other = kLine;
  other.replace(other.find("island_effects"), 14, "binding");
  other.replace(other.find("\"0\""), 3, "\"1\"");
  EXPECT_THROW(s.add(readString(other)), InputError);
  EXPECT_THROW(s.add(readString(kLine)), InputError); // pairID "0" again
  chrysalis::test::ScratchDir dir;
  EXPECT_THROW(BlimpSuite::loadDirectory(dir.path()), InputError); // no .jsonl files
}
