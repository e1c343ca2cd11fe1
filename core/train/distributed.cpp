// The only file that sees c10d: a Gloo process group over a TCPStore.
#include "train/distributed.h"

#include "common/error.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

namespace chrysalis::train {

namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

int envInt(const char* name, const std::string& value, int lo, int hi) {
  char* end = nullptr;
  const long x = std::strtol(value.c_str(), &end, 10);
  if (end == value.c_str() || *end != '\0' || x < lo || x > hi)
    throw InputError("environment", name,
                     "expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) +
                         ", not '" + value + "'");
  return static_cast<int>(x);
}

class GlooCommunicator : public Communicator {
public:
  GlooCommunicator(const DistributedEnv& e, int timeoutSeconds)
      : m_rank(e.rank), m_world(e.worldSize) {
    const auto timeout = std::chrono::milliseconds(1000LL * timeoutSeconds);
    c10d::TCPStoreOptions so;
    so.port = static_cast<std::uint16_t>(e.masterPort);
    so.isServer = e.rank == 0;
    so.numWorkers = static_cast<std::size_t>(e.worldSize);
    so.timeout = timeout;
    auto store = c10::make_intrusive<c10d::TCPStore>(e.masterAddr, so);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    // Bind where the master is reachable from: loopback for a local test,
    // this host's address otherwise.
    const bool local = e.masterAddr == "127.0.0.1" || e.masterAddr == "localhost";
    options->devices.push_back(local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                     : c10d::ProcessGroupGloo::createDefaultDevice());
    m_group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, e.rank, e.worldSize, options);
  }

  int rank() const override { return m_rank; }
  int worldSize() const override { return m_world; }

  void allReduceSum(at::Tensor& t) override {
    std::vector<at::Tensor> tensors{t};
    m_group->allreduce(tensors)->wait();
  }

  void barrier() override { m_group->barrier()->wait(); }

private:
  int m_rank, m_world;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> m_group;
};

} // namespace

std::optional<DistributedEnv> distributedEnvFromEnvironment() {
  DistributedEnv e;
  auto rank = env("RANK"), world = env("WORLD_SIZE");
  const char* rankName = "RANK";
  const char* worldName = "WORLD_SIZE";
  if (!world) {
    rank = env("SLURM_PROCID");
    world = env("SLURM_NTASKS");
    rankName = "SLURM_PROCID";
    worldName = "SLURM_NTASKS";
  }
  if (!world) return std::nullopt;
  e.worldSize = envInt(worldName, *world, 1, 1 << 20);
  if (e.worldSize == 1) return std::nullopt;
  if (!rank)
    throw InputError("environment", rankName,
                     "missing while " + std::string(worldName) + " is set");
  e.rank = envInt(rankName, *rank, 0, e.worldSize - 1);
  if (auto addr = env("MASTER_ADDR")) e.masterAddr = *addr;
  if (auto port = env("MASTER_PORT")) e.masterPort = envInt("MASTER_PORT", *port, 1, 65535);
  return e;
}

std::unique_ptr<Communicator> connectGloo(const DistributedEnv& env, int timeoutSeconds) {
  return std::make_unique<GlooCommunicator>(env, timeoutSeconds);
}

} // namespace chrysalis::train
