// The GUI's worker: requests in, replies out, failures as replies (never a
// crash), and word-level attention that is a distribution per row.
#include "common/error.h"
#include "engine_fixture.h"
#include "format/worker_protocol.h"
#include "probes/worker.h"

#include <gtest/gtest.h>

using namespace chrysalis;

TEST(Worker, PingAttentionAndErrors) {
  test::ScratchDir dir;
  auto series = test::importTinySeries(dir);
  probes::Worker worker(2);
  auto ping = worker.handle(format::parseWorkerRequest(R"({"id":1,"op":"ping"})"));
  EXPECT_TRUE(ping["ok"].get<bool>());

  nlohmann::json req{{"id", 7}, {"op", "attention"}, {"series", series.string()}, {"step", 100},
                     {"words", {"tok5", "tok6", "unknownword"}}};
  auto r = worker.handle(format::parseWorkerRequest(req.dump()));
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["id"], 7);
  EXPECT_EQ(r["layers"], 2);
  EXPECT_EQ(r["heads"], 4);
  EXPECT_EQ(r["words"], 5);
  EXPECT_EQ(r["tokens"], (std::vector<std::string>{"[CLS]", "tok5", "tok6", "[UNK]", "[SEP]"}));
  auto maps = r["word_attention"].get<std::vector<float>>();
  ASSERT_EQ(maps.size(), 2u * 4 * 5 * 5);
  for (size_t row = 0; row < maps.size() / 5; ++row) {
    float s = 0;
    for (size_t k = 0; k < 5; ++k) s += maps[row * 5 + k];
    EXPECT_NEAR(s, 1.0f, 1e-5f);
  }

  req["step"] = 12345; // no such checkpoint: an error reply naming the file
  auto bad = worker.handle(format::parseWorkerRequest(req.dump()));
  EXPECT_FALSE(bad["ok"].get<bool>());
  EXPECT_NE(bad["error"].get<std::string>().find("step-0000012345.h5"), std::string::npos) << bad.dump();
}

TEST(WorkerProtocol, MalformedRequestsAreRejected) {
  for (const char* line : {"", "[]", "{\"op\":\"ping\"}", "{\"id\":1}", "{\"id\":1,\"op\":\"explode\"}",
                           "{\"id\":1,\"op\":\"attention\",\"series\":\"s\"}",
                           "{\"id\":1,\"op\":\"attention\",\"series\":\"s\",\"step\":-1,\"words\":[\"a\"]}",
                           "{\"id\":1,\"op\":\"attention\",\"series\":\"s\",\"step\":1,\"words\":[]}",
                           "{\"id\":1,\"op\":\"attention\",\"series\":\"s\",\"step\":1,\"words\":[3]}"}) {
    EXPECT_THROW(format::parseWorkerRequest(line), InputError) << line;
  }
}
