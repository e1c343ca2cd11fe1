#include "train/regularizer.h"

#include <torch/torch.h>

namespace chrysalis::train {

at::Tensor syntacticTerm(const std::vector<at::Tensor>& attentions, const at::Tensor& pairs) {
  TORCH_CHECK(!attentions.empty(), "the regularizer needs attention probabilities");
  const auto& first = attentions.front();
  if (!pairs.defined() || pairs.size(0) == 0) return torch::zeros({}, first.options());
  TORCH_CHECK(pairs.dim() == 2 && pairs.size(1) == 3, "pairs must be [P, 3]");
  const int64_t H = first.size(1), T = first.size(2);
  auto p = pairs.to(first.device());
  auto b = p.select(1, 0), dep = p.select(1, 1), head = p.select(1, 2);
  // Both directions at once: queries (dep, head), keys (head, dep).
  auto batch = torch::cat({b, b});
  auto query = torch::cat({dep, head});
  auto key = torch::cat({head, dep});
  // Flat offset of (b, h, q, k) in a contiguous [B,H,T,T] tensor, for every head: [2P, H].
  auto heads = torch::arange(H, p.options()).unsqueeze(0) * (T * T);
  auto flat = ((batch * H * T * T + query * T + key).unsqueeze(1) + heads).reshape({-1});
  std::vector<at::Tensor> perLayer;
  perLayer.reserve(attentions.size());
  for (const auto& a : attentions) {
    auto picked = a.reshape({-1}).index_select(0, flat).view({-1, H}); // [2P, H]
    perLayer.push_back(std::get<0>(picked.max(1)));                    // max over heads
  }
  auto best = std::get<0>(torch::stack(perLayer).max(0)); // max over layers: [2P]
  return best.sum();
}

} // namespace chrysalis::train
