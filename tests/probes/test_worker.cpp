// The GUI's worker: requests in, replies out, failures as replies (never a
// crash), word-level attention that is a distribution per row, and on request
// the piece-level attention the word-level maps are made from.
#include "common/error.h"
#include "engine_fixture.h"
#include "format/worker_protocol.h"
#include "probes/uas.h"
#include "probes/worker.h"

#include <gtest/gtest.h>

using namespace chrysalis;

TEST(Worker, PingAttentionAndErrors) {
  test::ScratchDir dir;
  auto series = test::importTinySeries(dir);
  probes::Worker worker(2);
  auto ping = worker.handle(format::parseWorkerRequest(R"({"id":1,"op":"ping"})"));
  EXPECT_TRUE(ping["ok"].get<bool>());

  nlohmann::json req{{"id", 7},
                     {"op", "attention"},
                     {"series", series.string()},
                     {"step", 100},
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
    for (size_t k = 0; k < 5; ++k)
      s += maps[row * 5 + k];
    EXPECT_NEAR(s, 1.0f, 1e-5f);
  }

  req["step"] = 12345; // no such checkpoint: an error reply naming the file
  auto bad = worker.handle(format::parseWorkerRequest(req.dump()));
  EXPECT_FALSE(bad["ok"].get<bool>());
  EXPECT_NE(bad["error"].get<std::string>().find("step-0000012345.h5"), std::string::npos)
      << bad.dump();
}

// A real sentence whose words split into pieces: "cats" = cat ##s,
// "unbelievably" = un ##believ ##ably.
TEST(Worker, PieceAttentionIsWhatTheWordMapsAreMadeOf) {
  test::ScratchDir dir;
  auto series = test::importTinySeries(dir, {"the", "cat", "##s", "were", "sit", "##ting", "un",
                                             "##believ", "##ably", "quiet", "##ly", "."});
  probes::Worker worker(1);
  format::WorkerRequest req;
  req.id = 3;
  req.op = format::WorkerRequest::Op::Attention;
  req.series = series.string();
  req.step = 200;
  req.text = "the cats were sitting unbelievably quietly .";
  req.pieces = true;
  auto r = worker.handle(format::parseWorkerRequest(format::workerRequestJson(req).dump()));
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  const std::vector<std::string> tokens{"[CLS]", "the",    "cat", "##s",      "were",
                                        "sit",   "##ting", "un",  "##believ", "##ably",
                                        "quiet", "##ly",   ".",   "[SEP]"};
  EXPECT_EQ(r["tokens"], tokens);
  const size_t T = tokens.size(), maps = 2 * 4, W = 7 + 2;
  ASSERT_EQ(r["pieces"], T);
  auto pieces = r["piece_attention"].get<std::vector<float>>();
  ASSERT_EQ(pieces.size(), maps * T * T);
  for (size_t row = 0; row < maps * T; ++row) {
    double sum = 0;
    for (size_t k = 0; k < T; ++k)
      sum += pieces[row * T + k];
    EXPECT_NEAR(sum, 1.0, 1e-5) << "row " << row;
  }
  std::vector<text::PieceSpan> spans;
  for (const auto& s : r["spans"])
    spans.push_back({s[0].get<int32_t>(), s[1].get<int32_t>()});
  ASSERT_EQ(spans.size(), 7u);
  EXPECT_EQ(spans[4].size(), 3); // un ##believ ##ably
  const auto expected = probes::wordLevelMaps(pieces.data(), maps, T, spans);
  const auto words = r["word_attention"].get<std::vector<float>>();
  ASSERT_EQ(words.size(), maps * W * W);
  ASSERT_EQ(expected.size(), words.size());
  for (size_t i = 0; i < words.size(); ++i)
    ASSERT_NEAR(words[i], expected[i], 1e-5) << i;

  // Without the flag the reply is the word-level one it always was.
  req.pieces = false;
  auto plain = worker.handle(format::parseWorkerRequest(format::workerRequestJson(req).dump()));
  ASSERT_TRUE(plain["ok"].get<bool>()) << plain.dump();
  EXPECT_FALSE(plain.contains("piece_attention"));
  EXPECT_EQ(plain["word_attention"].size(), words.size());
}

TEST(WorkerProtocol, RequestsRoundTripWithAndWithoutPieces) {
  format::WorkerRequest a;
  a.id = 11;
  a.op = format::WorkerRequest::Op::Attention;
  a.series = "/runs/base";
  a.step = 1500;
  a.words = {"The", "cats", "sat"};
  a.pieces = true;
  const auto back = format::parseWorkerRequest(format::workerRequestJson(a).dump());
  EXPECT_EQ(back.id, 11);
  EXPECT_EQ(back.op, format::WorkerRequest::Op::Attention);
  EXPECT_EQ(back.series, a.series);
  EXPECT_EQ(back.step, 1500);
  EXPECT_EQ(back.words, a.words);
  EXPECT_TRUE(back.pieces);

  a.pieces = false;
  a.words.clear();
  a.text = "The cats sat.";
  const auto json = format::workerRequestJson(a);
  EXPECT_FALSE(json.contains("pieces")); // old requests look exactly as before
  const auto plain = format::parseWorkerRequest(json.dump());
  EXPECT_FALSE(plain.pieces);
  EXPECT_EQ(plain.text, a.text);
  // An old request (no "pieces") still parses, as word-level.
  EXPECT_FALSE(
      format::parseWorkerRequest(R"({"id":1,"op":"attention","series":"s","step":1,"words":["a"]})")
          .pieces);
  EXPECT_EQ(
      format::parseWorkerRequest(format::workerRequestJson(format::WorkerRequest{}).dump()).op,
      format::WorkerRequest::Op::Ping);
}

TEST(WorkerProtocol, MalformedRequestsAreRejected) {
  for (const char* line :
       {"", "[]", "{\"op\":\"ping\"}", "{\"id\":1}", "{\"id\":1,\"op\":\"explode\"}",
        "{\"id\":1,\"op\":\"attention\",\"series\":\"s\"}",
        "{\"id\":1,\"op\":\"attention\",\"series\":\"s\",\"step\":-1,\"words\":[\"a\"]}",
        "{\"id\":1,\"op\":\"attention\",\"series\":\"s\",\"step\":1,\"words\":[]}",
        "{\"id\":1,\"op\":\"attention\",\"series\":\"s\",\"step\":1,\"words\":[3]}",
        "{\"id\":1,\"op\":\"attention\",\"series\":\"s\",\"step\":1,\"words\":[\"a\"],\"pieces\":"
        "1}"}) {
    EXPECT_THROW(format::parseWorkerRequest(line), InputError) << line;
  }
}
