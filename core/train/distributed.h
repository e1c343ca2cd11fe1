#pragma once
// Data-parallel training on PyTorch's c10d with the Gloo backend (CPU): every
// process trains on its own micro-batches, gradients are all-reduced
// (summed, then averaged by the trainer) and rank 0 writes the series.
// Processes find each other through a TCPStore at MASTER_ADDR:MASTER_PORT
// with RANK/WORLD_SIZE (torchrun style) or SLURM_PROCID/SLURM_NTASKS.
#include <ATen/core/Tensor.h>

#include <memory>
#include <optional>
#include <string>

namespace chrysalis::train {

class Communicator {
public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int worldSize() const = 0;
  // In place, over all processes.
  virtual void allReduceSum(at::Tensor& t) = 0;
  virtual void barrier() = 0;
};

struct DistributedEnv {
  std::string masterAddr = "127.0.0.1";
  int masterPort = 29500;
  int rank = 0;
  int worldSize = 1;
};

// From RANK/WORLD_SIZE (or SLURM_PROCID/SLURM_NTASKS) and MASTER_ADDR/
// MASTER_PORT; nullopt when the world has a single process. Throws
// InputError("environment", VAR, reason) on malformed values.
std::optional<DistributedEnv> distributedEnvFromEnvironment();

// Connects to the group (rank 0 hosts the store); waits up to
// timeoutSeconds for the others.
std::unique_ptr<Communicator> connectGloo(const DistributedEnv& env, int timeoutSeconds = 300);

} // namespace chrysalis::train
