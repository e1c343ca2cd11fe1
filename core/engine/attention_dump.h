#pragma once
// Everything the model computes for one sentence at one checkpoint, written to
// an HDF5 file for inspection (chrysalis-cli attention).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace chrysalis::engine {

// Runs the series' checkpoint at `step` on `ids` (already with [CLS]/[SEP])
// and writes input_ids int64 [T], tokens (strings), attention float32
// [L,H,T,T], hidden_states float32 [L+1,T,D] and logits float32 [T,V] to `out`
// (atomically). Throws InputError for a missing step or bad weights.
void dumpAttention(const std::filesystem::path& series, int64_t step,
                   const std::vector<int64_t>& ids, const std::vector<std::string>& tokens,
                   const std::filesystem::path& out);

} // namespace chrysalis::engine
