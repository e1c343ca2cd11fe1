// Sink share and full-row entropy by hand (docs/method.md, "Attention shape"):
// one head, one 4-piece sentence [CLS] a b [SEP].
#include "probes/attention_shape.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace chrysalis::probes;

TEST(AttentionShapeHandWorked, SinkShareAndFullRowEntropy) {
  AttentionShapeAccumulator acc(1, 1);
  const float a[16] = {
      // CLS   a     b    SEP
      1.0f, 0.0f, 0.0f, 0.0f, // [CLS] row: not a content row, ignored
      0.5f, 0.0f, 0.0f, 0.5f, // a: all to the specials -> share 1, entropy ln 2
      0.0f, 0.5f, 0.5f, 0.0f, // b: all to words -> share 0, entropy ln 2
      0.0f, 0.0f, 0.0f, 1.0f, // [SEP] row: ignored
  };
  acc.addPieceMaps(a, 4);
  auto r = acc.finish();
  EXPECT_DOUBLE_EQ(r.scalars.at("attn_sink_share"), 0.5);
  EXPECT_NEAR(r.scalars.at("attn_entropy_full"), std::log(2.0), 1e-12);
  EXPECT_EQ(r.arrays.at("attn/sink_share").shape, (std::vector<int64_t>{1, 1}));

  // A second sentence whose one content row is uniform over 3 pieces:
  // share 2/3, entropy ln 3; the means are over all three content rows.
  const float b[9] = {1, 0, 0, 1 / 3.f, 1 / 3.f, 1 / 3.f, 0, 0, 1};
  acc.addPieceMaps(b, 3);
  r = acc.finish();
  EXPECT_NEAR(r.scalars.at("attn_sink_share"), (1.0 + 0.0 + 2.0 / 3) / 3, 1e-6);
  EXPECT_NEAR(r.scalars.at("attn_entropy_full"), (2 * std::log(2.0) + std::log(3.0)) / 3, 1e-6);
}

TEST(AttentionShapeHandWorked, NoContentRowsNoSinkResult) {
  AttentionShapeAccumulator acc(1, 1);
  const float two[4] = {1, 0, 0, 1};
  acc.addPieceMaps(two, 2); // [CLS] [SEP] only
  EXPECT_EQ(acc.finish().scalars.count("attn_sink_share"), 0u);
}
