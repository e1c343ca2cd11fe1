#pragma once
// The log-probability of one target piece per row of vocabulary logits: the
// pseudo-likelihood needs only that, not the whole log-softmax.

namespace at {
class Tensor;
}

namespace chrysalis::engine {

/// log softmax(logits[n])[targets[n]] for each row n of float logits [N, V]
/// and int64 targets [N]; float [N] on the logits' device. On the CPU one
/// pass per row finds the maximum and one sums the exponentials (no [N, V]
/// result written); elsewhere LibTorch's log_softmax and gather.
at::Tensor targetLogProbs(const at::Tensor& logits, const at::Tensor& targets);

} // namespace chrysalis::engine
