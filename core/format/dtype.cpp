#include "format/dtype.h"

#include <array>
#include <utility>

namespace chrysalis::format {

namespace {
struct DTypeInfo {
  DType type;
  size_t size;
  const char* name;
  const char* safetensors;
};
constexpr std::array<DTypeInfo, 10> kTypes{{
    {DType::F32, 4, "float32", "F32"},
    {DType::F16, 2, "float16", "F16"},
    {DType::BF16, 2, "bfloat16", "BF16"},
    {DType::F64, 8, "float64", "F64"},
    {DType::I64, 8, "int64", "I64"},
    {DType::I32, 4, "int32", "I32"},
    {DType::I16, 2, "int16", "I16"},
    {DType::I8, 1, "int8", "I8"},
    {DType::U8, 1, "uint8", "U8"},
    {DType::Bool, 1, "bool", "BOOL"},
}};
const DTypeInfo& info(DType t) {
  for (const auto& i : kTypes)
    if (i.type == t) return i;
  return kTypes[0];
}
} // namespace

size_t dtypeSize(DType t) {
  return info(t).size;
}
std::string dtypeName(DType t) {
  return info(t).name;
}
std::string safetensorsName(DType t) {
  return info(t).safetensors;
}

std::optional<DType> dtypeFromSafetensors(const std::string& name) {
  for (const auto& i : kTypes)
    if (name == i.safetensors) return i.type;
  return std::nullopt;
}

bool isWeightDType(DType t) {
  return t == DType::F32 || t == DType::F16 || t == DType::BF16;
}

} // namespace chrysalis::format
