// The GUI's worker: requests in, replies out, failures as replies (never a
// crash), word-level attention that is a distribution per row, and on request
// the piece-level attention the word-level maps are made from.
#include "common/error.h"
#include "engine_fixture.h"
#include "format/probe_store.h"
#include "format/worker_protocol.h"
#include "probes/checkpoint_prober.h"
#include "probes/uas.h"
#include "probes/worker.h"
#include "test_support.h"

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

// "Ablate at cursor": the worker runs the ablation probe at one checkpoint of
// a copy of the demo, answers with the deltas, and leaves the result in the
// probe store under the configuration `chrysalis-cli probe --probes ablation`
// uses, so the second request is a cache hit with the same numbers.
TEST(Worker, AblateAnswersAndStoresTheResultTheCliWouldCompute) {
  test::ScratchDir dir;
  const auto series = dir / "baseline";
  std::filesystem::copy(test::sourceDir() / "resources/demo/baseline", series,
                        std::filesystem::copy_options::recursive);
  probes::Worker worker(2);
  nlohmann::json req{{"id", 3},
                     {"op", "ablate"},
                     {"series", series.string()},
                     {"step", 4000},
                     {"probe_set", (test::sourceDir() / "resources/demo/probe-set.h5").string()},
                     {"heads", "1-2,1-3"},
                     {"min_relation_count", 20}};
  auto r = worker.handle(format::parseWorkerRequest(req.dump()));
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_FALSE(r["cached"].get<bool>());
  EXPECT_EQ(r["heads"], nlohmann::json::parse("[[0,1],[0,2]]"));
  EXPECT_EQ(r["control_heads"].size(), 2u);
  const double delta = r["scalars"]["ablation_loss_delta"].get<double>();
  EXPECT_GT(delta, 0.1); // the two layer-1 heads the UAS grid ranks highest

  auto again = worker.handle(format::parseWorkerRequest(req.dump()));
  ASSERT_TRUE(again["ok"].get<bool>());
  EXPECT_TRUE(again["cached"].get<bool>());
  EXPECT_EQ(again["scalars"], r["scalars"]);

  // The store holds it under the CLI's configuration hash.
  probes::ProberOptions o;
  o.ablation.heads = "1-2,1-3";
  o.uas.minRelationCount = 20;
  const auto set = probes::loadProbeSet(test::sourceDir() / "resources/demo/probe-set.h5");
  const auto hash = format::probeConfigHash(probes::probeConfig("ablation", o, set.hash(), ""));
  EXPECT_EQ(r["config_hash"], hash);
  EXPECT_TRUE(format::ProbeStore(series).has(hash, 4000));
  // And the CLI, with the same choice, finds it: nothing to compute.
  std::string out;
  ASSERT_EQ(test::runCommand(test::cliPath().string() + " probe " + series.string() +
                                 " --probe-set " +
                                 (test::sourceDir() / "resources/demo/probe-set.h5").string() +
                                 " --probes ablation --ablate-heads 1-2,1-3 "
                                 "--min-relation-count 20 --steps 4000 2>&1",
                             &out),
            0)
      << out;
  EXPECT_NE(out.find("computed 0 results, 1 were cached"), std::string::npos) << out;

  req["heads"] = "9-1"; // not in a 4-layer model: an error reply, the worker lives on
  auto bad = worker.handle(format::parseWorkerRequest(req.dump()));
  EXPECT_FALSE(bad["ok"].get<bool>());
  EXPECT_NE(bad["error"].get<std::string>().find("9-1"), std::string::npos) << bad.dump();
}

TEST(WorkerProtocol, AblateRequestsRoundTripAndAreChecked) {
  format::WorkerRequest a;
  a.id = 4;
  a.op = format::WorkerRequest::Op::Ablate;
  a.series = "/runs/base";
  a.step = 300;
  a.probeSet = "/p.h5";
  a.heads = "top:2";
  a.mode = "mean";
  a.minRelationCount = 20;
  const auto back = format::parseWorkerRequest(format::workerRequestJson(a).dump());
  EXPECT_EQ(back.op, format::WorkerRequest::Op::Ablate);
  EXPECT_EQ(back.probeSet, a.probeSet);
  EXPECT_EQ(back.heads, a.heads);
  EXPECT_EQ(back.mode, a.mode);
  EXPECT_EQ(back.minRelationCount, 20);
  const auto defaults =
      format::parseWorkerRequest(R"({"id":1,"op":"ablate","series":"s","step":1,"probe_set":"p"})");
  EXPECT_EQ(defaults.heads, "top:3");
  EXPECT_EQ(defaults.mode, "zero");
  for (const char* line :
       {R"({"id":1,"op":"ablate","series":"s","step":1})",
        R"({"id":1,"op":"ablate","series":"s","step":1,"probe_set":""})",
        R"({"id":1,"op":"ablate","series":"s","step":1,"probe_set":"p","mode":"half"})",
        R"({"id":1,"op":"ablate","series":"s","step":1,"probe_set":"p","heads":3})",
        R"({"id":1,"op":"ablate","series":"s","step":1,"probe_set":"p","min_relation_count":-2})"})
    EXPECT_THROW(format::parseWorkerRequest(line), InputError) << line;
}
