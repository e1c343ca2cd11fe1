#pragma once
// What `train --resume` needs beyond the checkpoint: saved in the series as
// train-state/step-NNNNNNNNNN.pt (float32 weights + AdamW state, a LibTorch
// archive) and train-state/step-NNNNNNNNNN.json (this struct). Both are
// published atomically, the .json last, so a state counts as complete
// exactly when its .json exists. Randomness needs no saved state: data
// order, masking and dropout are pure functions of (seed, micro-batch index).
// No LibTorch here.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::train {

inline constexpr const char* kStateDir = "train-state";

struct TrainState {
  int64_t step = 0;
  int64_t tokensSeen = 0;
  double wallTime = 0.0; // seconds of training before this state
  int64_t epoch = 0;     // of the next micro-batch
  int64_t position = 0;  // its index inside the epoch
  int64_t nextMicroBatch = 0;
  uint64_t seed = 0;
  int worldSize = 1;
};

std::filesystem::path stateJsonPath(const std::filesystem::path& series, int64_t step);
std::filesystem::path stateTensorPath(const std::filesystem::path& series, int64_t step);

void writeStateJson(const std::filesystem::path& series, const TrainState& s);
// Reads one state; throws InputError naming the file.
TrainState readStateJson(const std::filesystem::path& file);

// Steps with a complete state (both files), ascending.
std::vector<int64_t> completeStateSteps(const std::filesystem::path& series);
// Removes all but the newest `keep` states and those at `alsoKeep` (the .json
// first, so a half-removed state never looks complete).
void pruneStates(const std::filesystem::path& series, int64_t keep,
                 const std::vector<int64_t>& alsoKeep = {});
// Removes unpublished temporary files a killed writer left in checkpoints/
// and train-state/ (only call while no other process writes the series).
void removeStaleTemporaries(const std::filesystem::path& series);

// Test hook: with CHRYSALIS_TEST_ABORT_AT=STEP:PHASE in the environment, the
// process _exit(86)s when it reaches PHASE of the checkpoint at STEP (phases:
// before-checkpoint, after-checkpoint, state-tensors-written (inside the
// temporary .pt, before it is published), after-state-tensors, after-state).
void abortPointForTests(int64_t step, const char* phase);

} // namespace chrysalis::train
