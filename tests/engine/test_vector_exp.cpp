// engine::expNonPositive, the attention softmax's exponential, against
// std::exp in double precision over its whole range.
#include "engine/vector_exp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using chrysalis::engine::expNonPositive;

TEST(VectorExp, WithinFloatRoundingOfTheExactValueFromZeroToMinus87) {
  double worst = 0;
  for (int i = 0; i <= 2'000'000; ++i) {
    const float x = -87.0f * static_cast<float>(i) / 2'000'000.0f;
    const double exact = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(expNonPositive(x) - exact) / exact);
  }
  EXPECT_LE(worst, 3.0 * std::numeric_limits<float>::epsilon()); // a few units in the last place
  EXPECT_GT(worst, 0.0); // it is an approximation: the check above can fail
  EXPECT_EQ(expNonPositive(0.0f), 1.0f);
}

TEST(VectorExp, UnderflowsToZeroAndKeepsNaN) {
  EXPECT_EQ(expNonPositive(-87.5f), 0.0f);
  EXPECT_EQ(expNonPositive(std::numeric_limits<float>::lowest()), 0.0f); // the padding mask
  EXPECT_EQ(expNonPositive(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_TRUE(std::isnan(expNonPositive(std::numeric_limits<float>::quiet_NaN())));
}
