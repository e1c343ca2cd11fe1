// JSON nesting (issue 19, item 1): 150,000 levels (300 KB) crashed every
// reader that copied or printed the value. The depth is now checked before
// any value is built, for every JSON read from a file or a request.
#include "common/error.h"
#include "common/json_bounded.h"
#include "format/probe_store.h"
#include "format/safetensors.h"
#include "format/series.h"
#include "format/worker_protocol.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {
std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

void expectTooDeep(const std::function<void()>& read, const std::string& file) {
  try {
    read();
    ADD_FAILURE() << "deep JSON accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), file);
    EXPECT_NE(e.reason().find("nested deeper than 64 levels"), std::string::npos) << e.what();
  }
}
} // namespace

TEST(JsonLimits, SixtyFourLevelsParseSixtyFiveAreRefused) {
  EXPECT_TRUE(parseJsonBounded(nested(64), "x.json").is_array());
  expectTooDeep([] { parseJsonBounded(nested(65), "x.json"); }, "x.json");
  expectTooDeep([] { parseJsonBounded(R"({"a":)" + nested(80) + "}", "x.json"); }, "x.json");
}

TEST(JsonLimits, InvalidJsonNamesTheByte) {
  try {
    parseJsonBounded(R"({"a": tru})", "bad.json");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "bad.json");
    EXPECT_NE(e.reason().find("not valid JSON at byte"), std::string::npos) << e.what();
  }
}

TEST(JsonLimits, DeepSeriesJsonIsRefusedNamingIt) {
  test::ScratchDir dir;
  // One named metadata object: two temporaries made GCC 12 -O3 warn
  // (-Wmaybe-uninitialized, a false positive) and -Werror builds fail.
  const format::SeriesMeta meta;
  format::createSeries(dir.path(), meta, "[PAD]\n");
  std::string text = meta.toJson().dump();
  text.insert(text.rfind('}'), R"(,"extra":)" + nested(150'000));
  std::ofstream(dir / "series.json", std::ios::trunc) << text;
  expectTooDeep([&] { format::readSeriesMeta(dir.path()); }, (dir / "series.json").string());
}

TEST(JsonLimits, DeepProbeConfigIsSkippedAndTheOthersStillList) {
  test::ScratchDir dir;
  format::ProbeStore store(dir.path());
  const auto good = store.ensureConfig({{"probe", "uas"}});
  const fs::path deep = dir / "probes" / "00000000deadbeef";
  fs::create_directories(deep);
  std::ofstream(deep / "config.json") << nested(150'000);
  const auto configs = store.configs();
  ASSERT_EQ(configs.size(), 1u);
  EXPECT_EQ(configs.begin()->first, good);
}

TEST(JsonLimits, DeepWorkerRequestAndSafetensorsHeaderAreRefused) {
  expectTooDeep([] { format::parseWorkerRequest(R"({"id":1,"op":)" + nested(150'000) + "}"); },
                "worker request");
  EXPECT_EQ(format::workerRequestId(nested(150'000)), 0);
  EXPECT_EQ(format::workerRequestId(R"({"id":9,"op":"nope"})"), 9);

  const std::string header = R"({"__metadata__":)" + nested(150'000) + "}";
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[static_cast<size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  bytes += header;
  expectTooDeep([&] { format::parseSafetensorsHeader(bytes, bytes.size(), "m.safetensors"); },
                "m.safetensors");
}
