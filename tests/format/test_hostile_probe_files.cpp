// Hostile probe-result files (reliability, issue "hostile HDF5"): the GUI
// reads probe results in its own process, so a damaged result file must give
// a named error or a (possibly altered) result, never a crash or a hang. Each
// read runs in a forked child with an alarm (test::runForked).
#include "common/error.h"
#include "format/probe_store.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

enum Outcome { Read = 0, NamedError = 1, OtherError = 2, Crashed = 3, Hung = 4 };

Outcome outcome(int status) {
  return status == test::kCrashed ? Crashed
         : status == test::kHung  ? Hung
                                  : static_cast<Outcome>(status);
}

format::ProbeResult sampleResult() {
  format::ProbeResult r;
  r.step = 400;
  r.scalars = {{"uas", 0.31}, {"uas_all_words", 0.22}};
  r.arrays["uas/accuracy"] = {{2, 2, 2, 3}, std::vector<double>(24, 0.25)};
  r.strings["uas/relations"] = {"amod", "det", "nsubj"};
  r.strings["blimp/tasks"] = {"anaphor_gender_agreement", "npi_present_1", "wh_island"};
  return r;
}

// Reads the result file `file` of `series` as the GUI does, in a child.
int tryRead(const fs::path& series, const std::string& hash, int64_t step, const fs::path& file) {
  return test::runForked([&] {
    try {
      format::ProbeStore(series).read(hash, step);
      return Read;
    } catch (const InputError& e) {
      return std::string(e.what()).find(file.filename().string()) != std::string::npos ? NamedError
                                                                                       : OtherError;
    } catch (...) {
      return OtherError;
    }
  });
}

} // namespace

TEST(HostileProbeFiles, FlippedBytesNeverCrashOrHangTheReader) {
  test::ScratchDir dir;
  format::ProbeStore store(dir.path());
  const auto hash = store.ensureConfig({{"probe", "uas"}});
  store.write(hash, sampleResult());
  const fs::path file = store.resultPath(hash, 400);
  std::ifstream in(file, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  std::mt19937_64 rng(77);
  int counts[5] = {};
  const char* asked = std::getenv("CHRYSALIS_FLIP_TRIALS"); // a longer run on request
  const int trials = asked ? std::max(1, std::atoi(asked)) : 300;
  for (int t = 0; t < trials; ++t) {
    const std::string bad = test::flipRandomBytes(bytes, rng, t);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bad;
    const Outcome o = outcome(tryRead(dir.path(), hash, 400, file));
    ++counts[o];
    EXPECT_NE(o, Crashed) << "trial " << t;
    EXPECT_NE(o, Hung) << "trial " << t;
    EXPECT_NE(o, OtherError) << "trial " << t;
  }
  std::printf("probe-result flipped-byte trials: %d read, %d named errors, %d crashes, %d hangs\n",
              counts[Read], counts[NamedError], counts[Crashed], counts[Hung]);
}
