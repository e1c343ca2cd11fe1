// The probe store: results keyed by configuration hash and step, provenance
// kept, and concurrent writers from several processes lose nothing.
#include "format/probe_store.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sys/wait.h>
#include <unistd.h>

using namespace chrysalis;
using namespace chrysalis::format;

namespace {
ProbeResult sample(int64_t step) {
  ProbeResult r;
  r.step = step;
  r.scalars["uas"] = 0.25 + static_cast<double>(step) * 1e-6;
  r.scalars["loss"] = 5.5;
  r.arrays["uas/accuracy"] = {{2, 3}, {0.1, 0.2, 0.3, 0.4, 0.5, std::nan("")}};
  r.strings["uas/relations"] = {"nsubj", "obj", "nmod:poss"};
  r.probeSetHash = "abcdef0123456789";
  return r;
}
} // namespace

TEST(ProbeStore, HashIsStableAndKeyOrderIndependent) {
  auto a = nlohmann::json::parse(R"({"probes":["uas"],"min_count":100})");
  auto b = nlohmann::json::parse(R"({"min_count":100,"probes":["uas"]})");
  EXPECT_EQ(probeConfigHash(a), probeConfigHash(b));
  EXPECT_EQ(probeConfigHash(a).size(), 16u);
  EXPECT_NE(probeConfigHash(a), probeConfigHash(nlohmann::json::parse(R"({"min_count":50})")));
}

TEST(ProbeStore, WriteReadRoundTrip) {
  test::ScratchDir dir;
  ProbeStore store(dir.path());
  auto config = nlohmann::json{{"probes", {"uas", "loss"}}};
  auto hash = store.ensureConfig(config);
  EXPECT_FALSE(store.has(hash, 1000));
  store.write(hash, sample(1000));
  EXPECT_TRUE(store.has(hash, 1000));
  EXPECT_EQ(store.steps(hash), std::vector<int64_t>{1000});
  EXPECT_EQ(store.configs().at(hash), config);

  auto r = store.read(hash, 1000);
  EXPECT_EQ(r.step, 1000);
  EXPECT_DOUBLE_EQ(r.scalars.at("uas"), sample(1000).scalars.at("uas"));
  const auto& a = r.arrays.at("uas/accuracy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_DOUBLE_EQ(a.values[4], 0.5);
  EXPECT_TRUE(std::isnan(a.values[5]));
  EXPECT_EQ(r.strings.at("uas/relations")[2], "nmod:poss");
  EXPECT_EQ(r.configHash, hash);
  EXPECT_EQ(r.probeSetHash, "abcdef0123456789");
  EXPECT_FALSE(r.appVersion.empty());
  EXPECT_GT(r.createdUnix, 1.6e9);
}

TEST(ProbeStore, ConcurrentWritersFromSeveralProcessesLoseNothing) {
  test::ScratchDir dir;
  ProbeStore store(dir.path());
  auto hash = store.ensureConfig({{"probes", {"uas"}}});
  constexpr int kWriters = 4, kSteps = 25;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    pid_t pid = fork();
    if (pid == 0) {
      // Every writer writes every step: overlapping keys stress the renames.
      try {
        ProbeStore mine(dir.path());
        for (int s = 0; s < kSteps; ++s)
          mine.write(hash, sample((s * 7 + w) % kSteps));
      } catch (...) {
        _exit(1);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  ASSERT_EQ(store.steps(hash).size(), static_cast<size_t>(kSteps));
  for (int s = 0; s < kSteps; ++s) {
    auto r = store.read(hash, s);
    EXPECT_DOUBLE_EQ(r.scalars.at("uas"), sample(s).scalars.at("uas"));
  }
}
