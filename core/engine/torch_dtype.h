#pragma once
// Mapping between the format's element types and LibTorch's.
#include "format/dtype.h"

#include <c10/core/ScalarType.h>

namespace chrysalis::engine {

inline c10::ScalarType toTorch(format::DType t) {
  switch (t) {
  case format::DType::F32:
    return c10::ScalarType::Float;
  case format::DType::F16:
    return c10::ScalarType::Half;
  case format::DType::BF16:
    return c10::ScalarType::BFloat16;
  case format::DType::F64:
    return c10::ScalarType::Double;
  case format::DType::I64:
    return c10::ScalarType::Long;
  case format::DType::I32:
    return c10::ScalarType::Int;
  case format::DType::I16:
    return c10::ScalarType::Short;
  case format::DType::I8:
    return c10::ScalarType::Char;
  case format::DType::U8:
    return c10::ScalarType::Byte;
  case format::DType::Bool:
    return c10::ScalarType::Bool;
  }
  return c10::ScalarType::Float;
}

} // namespace chrysalis::engine
