#pragma once
// Element types of tensors stored in a series or a safetensors file.
#include <cstdint>
#include <optional>
#include <string>

namespace chrysalis::format {

enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

// Bytes per element.
size_t dtypeSize(DType t);
// Lower-case name used in the format spec and messages ("float32", "bfloat16", ...).
std::string dtypeName(DType t);
// The safetensors spelling ("F32", "BF16", ...), and its inverse.
std::string safetensorsName(DType t);
std::optional<DType> dtypeFromSafetensors(const std::string& name);
// True for the floating types a checkpoint may hold weights in.
bool isWeightDType(DType t);

} // namespace chrysalis::format
