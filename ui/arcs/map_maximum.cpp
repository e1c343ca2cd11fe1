#include "arcs/map_maximum.h"

#include <cstring>

namespace chrysalis::ui {

float maximumFromZero(const float* values, qsizetype n) {
  // Two four-lane running maxima in the form maxps computes: m < x ? x : m
  // keeps m when x is NaN.
  using Vec4 = float __attribute__((vector_size(16)));
  Vec4 a = {}, b = {};
  qsizetype i = 0;
  for (; i + 8 <= n; i += 8) {
    Vec4 x, y;
    std::memcpy(&x, values + i, sizeof x);
    std::memcpy(&y, values + i + 4, sizeof y);
    a = a < x ? x : a;
    b = b < y ? y : b;
  }
  float top = 0.0f;
  for (int u = 0; u < 4; ++u) {
    top = top < a[u] ? a[u] : top;
    top = top < b[u] ? b[u] : top;
  }
  for (; i < n; ++i)
    top = top < values[i] ? values[i] : top;
  return top;
}

} // namespace chrysalis::ui
