#pragma once
// The syntactic regularizer (docs/method.md, "Syntactic regularizer"): for
// every dependency pair (i, p) of the batch, M(i→p) + M(p→i), where M(q→k) is
// the maximum over all layers and heads of the attention probability from
// query q to key k; summed (not averaged) over the batch. Only the needed
// entries are gathered: per layer an index_select of 2P·H values from the
// flat [B,H,T,T] probabilities, a max over heads, then a max over layers —
// the [L,B,H,T,T] stack is never built.
#include <ATen/core/Tensor.h>

#include <vector>

namespace chrysalis::train {

// attentions: L tensors [B,H,T,T] (softmax probabilities, rows = queries).
// pairs: int64 [P,3] rows (b, i, p) with i the dependent's and p the head's
// first piece. Returns a scalar (0 when P = 0) that is differentiable with
// respect to the attentions.
at::Tensor syntacticTerm(const std::vector<at::Tensor>& attentions, const at::Tensor& pairs);

} // namespace chrysalis::train
