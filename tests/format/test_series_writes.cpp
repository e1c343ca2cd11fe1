// Writing into a series someone else prepared (issue 19, item 12): probes/
// or checkpoints/ linked out of the series, and step files under two names.
#include "common/error.h"
#include "format/checkpoint_file.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {
bool isEmptyFolder(const fs::path& p) {
  return fs::is_directory(p) && fs::directory_iterator(p) == fs::directory_iterator();
}
} // namespace

TEST(SeriesWrites, ProbesLinkedOutOfTheSeriesIsRefusedAndNothingWrittenThere) {
  test::ScratchDir series, outside;
  fs::create_symlink(outside.path(), series / "probes");
  format::ProbeStore store(series.path());
  try {
    store.ensureConfig({{"probe", "uas"}});
    ADD_FAILURE() << "wrote through probes/ -> " << outside.path();
  } catch (const InputError& e) {
    EXPECT_NE(e.reason().find("leads outside the series folder"), std::string::npos) << e.what();
  }
  format::ProbeResult r;
  r.step = 10;
  EXPECT_THROW(store.write("0123456789abcdef", r), InputError);
  EXPECT_TRUE(isEmptyFolder(outside.path()));
}

TEST(SeriesWrites, ProbesLinkedInsideTheSeriesStillWorks) {
  test::ScratchDir series;
  fs::create_directories(series / "results");
  fs::create_symlink("results", series / "probes");
  format::ProbeStore store(series.path());
  const auto hash = store.ensureConfig({{"probe", "uas"}});
  format::ProbeResult r;
  r.step = 10;
  store.write(hash, r);
  EXPECT_EQ(store.steps(hash), std::vector<int64_t>{10});
}

TEST(SeriesWrites, CheckpointsLinkedOutOfANewSeriesIsRefused) {
  test::ScratchDir series, outside;
  fs::create_symlink(outside.path(), series / "checkpoints");
  EXPECT_THROW(format::createSeries(series.path(), format::SeriesMeta{}, "[PAD]\n"), InputError);
  EXPECT_TRUE(isEmptyFolder(outside.path()));
}

TEST(SeriesWrites, StepFilesUnderNonCanonicalNamesAreListedOnceAndReported) {
  test::ScratchDir dir;
  format::createSeries(dir.path(), format::SeriesMeta{}, "[PAD]\n");
  format::CheckpointInfo info;
  info.step = 40;
  const fs::path canonical = format::checkpointPath(dir.path(), 40);
  format::writeCheckpoint(canonical, info, {});
  fs::copy_file(canonical, dir / "checkpoints" / "step-40.h5");
  fs::copy_file(canonical, dir / "checkpoints" / "step-00000000040.h5");
  const auto listing = format::listSeries(dir.path());
  ASSERT_EQ(listing.checkpoints.size(), 1u);
  EXPECT_EQ(listing.checkpoints[0].path, canonical);
  ASSERT_EQ(listing.problems.size(), 2u);
  for (const auto& p : listing.problems)
    EXPECT_NE(p.find("not a canonical step file name"), std::string::npos) << p;

  EXPECT_FALSE(format::stepFromFileName("step-40.h5"));
  EXPECT_EQ(format::stepFromFileName("step-0000000040.h5"), 40);
  EXPECT_TRUE(format::isNonCanonicalStepName("step-00000000040.h5"));
  EXPECT_FALSE(format::isNonCanonicalStepName("notes.txt"));
}
