#pragma once
// Inputs for the gpu/ tests: random batches (ragged word spans, padding,
// optional ties), the tiny-bert fixture's real attention and hidden states,
// and UAS counts computed the way the CPU prober computes them.
#include "chrysalis/gpu/uas_batch.h"
#include "probes/attention_shape.h"

#include <cstdint>
#include <vector>

namespace chrysalis::test::gpu {

struct AttentionBatch {
  chrysalis::gpu::AttentionLayout layout;
  std::vector<float> attention; // layout.extent() floats
  chrysalis::gpu::UasBatch words;
  int64_t relations = 0;
};

struct RandomBatchOptions {
  int sentences = 4, layers = 2, heads = 3;
  int maxWords = 10; // words per sentence: 1..maxWords (0 with allowEmpty)
  int maxPiecesPerWord = 3;
  int relations = 5;
  bool layerMajor = false; // [L,B,H,T,T] instead of [B,L,H,T,T]
  bool ties = false;       // values from {0, 1/16, ..., 4/16}: many exact ties
  bool uncounted = false;  // some words with relation -1
  bool allowEmpty = false; // sentences without words
  float padding = 1000.0f; // written outside each sentence's T_b x T_b map
};

AttentionBatch randomBatch(uint32_t seed, const RandomBatchOptions& o);

// Random-batch cases shared by the twin and GPU tests; `large` adds a
// BERT-sized batch and sentences long enough for several shared-memory bands.
struct UasCase {
  RandomBatchOptions options;
  const char* what;
};
std::vector<UasCase> uasCases(bool large);

// Counts [L,H,2,R] from the CPU twin (gpu::reference::uasCorrectCounts).
std::vector<int64_t> twinCounts(const AttentionBatch& b);

// The tiny-bert fixture's attention ([L,B,H,T,T] from expected.h5, real
// PyTorch output) with seeded random word segmentations of each sentence's
// real pieces, and random gold heads and relations.
AttentionBatch tinyBertBatch(uint32_t seed, int relations);
// The fixture's hidden states as points: every (layer, sentence, real token), n x d.
std::vector<float> tinyBertHiddenPoints(int64_t* n, int64_t* d);

// Counts [L,H,2,R] the way CheckpointProber::structure does it: each
// sentence's T_b x T_b maps sliced out, probes::wordLevelMaps, then one
// UasAccumulator over the whole batch; counts = accuracy x relation count.
// Words with relation -1 are not allowed here.
std::vector<int64_t> proberCounts(const AttentionBatch& b);

// The TwoNN fit (probes::twoNnFromDistances) on squared neighbour distances.
chrysalis::probes::TwoNnResult twoNnFromSquared(std::vector<double> first,
                                                std::vector<double> second);

// Random points n x d; with `lattice`, small integers (exact distances, duplicates, ties).
std::vector<float> randomPoints(uint32_t seed, int64_t n, int64_t d, bool lattice);

} // namespace chrysalis::test::gpu
