// The engine's progress events (format/engine_events.h): every name the
// engine prints reads back as its type, fields of the wrong type or a line
// that is not an event are refused, and hostile lines stay bounded.
#include "format/engine_events.h"

#include <gtest/gtest.h>

#include <string>

using namespace chrysalis::format;

TEST(EngineEvents, EveryNameReadsBackAsItsType) {
  for (int i = 0; i < kEngineEventTypes; ++i) {
    const auto type = static_cast<EngineEventType>(i);
    const std::string name = engineEventName(type);
    ASSERT_EQ(engineEventType(name), type) << name;
    const auto e = parseEngineEvent(R"({"event":")" + name + R"(","step":7})");
    ASSERT_TRUE(e) << name;
    EXPECT_EQ(e->type, type);
    EXPECT_EQ(e->step, 7);
  }
  // The names the app has always read, as the trainer and the prober print them.
  EXPECT_STREQ(engineEventName(EngineEventType::StepDone), "step_done");
  EXPECT_STREQ(engineEventName(EngineEventType::Checkpoint), "checkpoint");
  EXPECT_FALSE(engineEventType("stepdone"));
}

TEST(EngineEvents, FieldsAsTheTrainerAndProberPrintThem) {
  // Lines as core/train/progress.cpp and `probe --json` write them.
  const auto checkpoint = parseEngineEvent(
      R"({"event":"checkpoint","step":500,"path":"/r/checkpoints/step-0000000500.h5"})");
  ASSERT_TRUE(checkpoint);
  EXPECT_EQ(checkpoint->path, "/r/checkpoints/step-0000000500.h5");
  const auto done = parseEngineEvent(
      R"({"event":"step_done","done":3,"total":12,"elapsed":1.5,"eta":4.5,"step":1200})");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->done, 3);
  EXPECT_EQ(done->total, 12);
  EXPECT_EQ(done->object.at("eta").get<double>(), 4.5);
  const auto error =
      parseEngineEvent(R"({"event":"error","message":"corpus.conllu: line 3: 9 fields"})");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "corpus.conllu: line 3: 9 fields");
}

TEST(EngineEvents, WhatIsNotAnEventIsRefused) {
  EXPECT_FALSE(parseEngineEvent(""));
  EXPECT_FALSE(parseEngineEvent("step 3 done (3/12)"));             // the text progress line
  EXPECT_FALSE(parseEngineEvent(R"({"event":"party"})"));           // no engine prints it
  EXPECT_FALSE(parseEngineEvent(R"({"step":3})"));                  // no event name
  EXPECT_FALSE(parseEngineEvent(R"({"event":3})"));                 // name not a string
  EXPECT_FALSE(parseEngineEvent(R"({"event":"step","step":"3"})")); // typed fields
  EXPECT_FALSE(parseEngineEvent(R"({"event":"checkpoint","path":5})"));
  EXPECT_FALSE(parseEngineEvent(R"({"event":"step",)")); // cut short
  EXPECT_FALSE(parseEngineEvent(R"(["event","step"])"));
}

TEST(EngineEvents, HostileLinesStayBounded) {
  // 100,000 nested arrays: refused before a value is built (no stack overflow).
  std::string deep = R"({"event":"step","x":)";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(parseEngineEvent(deep));
  // Over a mebibyte: not read at all.
  std::string huge = R"({"event":"error","message":")" + std::string(2 << 20, 'a') + R"("})";
  EXPECT_FALSE(parseEngineEvent(huge));
}
