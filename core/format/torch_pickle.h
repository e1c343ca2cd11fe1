#pragma once
// A restricted reader of the pickle inside a torch.save archive (data.pkl):
// it understands exactly what a state dict needs (dicts, tuples, lists,
// numbers, strings, the collections.OrderedDict and torch._utils tensor
// rebuilders, typed storages by persistent id) and refuses every other
// global by name. Nothing is ever imported, called or executed: the pickle is
// interpreted as data.
#include "format/dtype.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chrysalis::format {

struct TorchTensorRef {
  std::string name;       // the state dict key
  std::string storageKey; // the archive entry data/<key> holding the storage
  DType dtype = DType::F32;
  uint64_t storageNumel = 0;
  uint64_t offset = 0; // first element within the storage
  std::vector<int64_t> shape;
  uint64_t elementCount() const;
};

// The tensors of a state dict pickle, in the dict's order. Throws InputError
// naming `file` and the pickle offset for a global outside the allowed set,
// a non-contiguous tensor, a value that is not a tensor, or malformed bytes.
std::vector<TorchTensorRef> parseTorchStateDict(std::string_view pickle, const std::string& file);

} // namespace chrysalis::format
