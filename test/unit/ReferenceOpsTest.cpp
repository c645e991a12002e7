// Unit tests of the reference semantics (TensorOps.h) on hand-computed cases:
// the evaluator is the oracle for every pass, so its corner cases are pinned
// here exactly.

#include "qnn/Reference/TensorOps.h"

#include <gtest/gtest.h>

using namespace qnnc::ref;

namespace {

Tensor f32(std::vector<int64_t> shape, std::vector<double> data) {
  return Tensor(DType::F32, std::move(shape), std::move(data));
}
Tensor scalar(double v) { return f32({}, {v}); }

TEST(Quant, RoundsHalfToEvenAfterClamping) {
  Tensor x = f32({6}, {0.5, 1.5, 2.5, -0.5, 9.0, -9.0});
  // 3-bit signed, not narrow: [-4, 3]; 9 clamps to 3, -9 to -4.
  Tensor y =
      quant(x, scalar(1.0), scalar(0.0), 3, true, false, Rounding::HalfEven);
  EXPECT_EQ(y.data, (std::vector<double>{0, 2, 2, -0.0, 3, -4}));
}

TEST(Quant, NarrowAndUnsignedRanges) {
  Tensor x = f32({3}, {-10, 0.4, 10});
  EXPECT_EQ(
      quant(x, scalar(1), scalar(0), 2, true, true, Rounding::HalfEven).data,
      (std::vector<double>{-1, 0, 1}));
  EXPECT_EQ(
      quant(x, scalar(1), scalar(0), 2, false, false, Rounding::HalfEven).data,
      (std::vector<double>{0, 0, 3}));
  EXPECT_EQ(
      quant(x, scalar(1), scalar(0), 2, false, true, Rounding::HalfEven).data,
      (std::vector<double>{0, 0, 2}));
}

TEST(Quant, SignedOneBitIsBipolarAndScaled) {
  Tensor x = f32({3}, {-0.1, 0.0, 3.0});
  EXPECT_EQ(
      quant(x, scalar(0.5), scalar(0), 1, true, true, Rounding::HalfEven).data,
      (std::vector<double>{-0.5, 0.5, 0.5}));
  EXPECT_EQ(bipolarQuant(x, scalar(2)).data, (std::vector<double>{-2, 2, 2}));
}

TEST(Quant, PerChannelScaleBroadcasts) {
  Tensor x = f32({2, 2}, {1, 1, 1, 1});
  Tensor s = f32({2, 1}, {0.25, 0.5});
  EXPECT_EQ(quant(x, s, scalar(0), 8, true, false, Rounding::Floor).data,
            (std::vector<double>{1, 1, 1, 1}));
  Tensor y = quant(f32({2, 2}, {0.3, 0.3, 0.3, 0.3}), s, scalar(0), 8, true,
                   false, Rounding::Floor);
  EXPECT_EQ(y.data, (std::vector<double>{0.25, 0.25, 0, 0}));
}

TEST(MultiThreshold, CountsThresholdsPerChannel) {
  Tensor x = f32({1, 2}, {0.5, 0.5});
  Tensor t = f32({2, 3}, {0, 0.5, 1, 1, 2, 3});
  Tensor y = multiThreshold(x, t, 1, 2.0, -1.0);
  // Channel 0: 0.5 >= {0, 0.5} -> 2 -> 2*2-1 = 3; channel 1: none -> -1.
  EXPECT_EQ(y.data, (std::vector<double>{3, -1}));
}

TEST(QuantizeLinear, SaturatesAndRoundsHalfToEven) {
  Tensor zp(DType::U8, {}, {128});
  Tensor y =
      quantizeLinear(f32({4}, {1.0, 2.0, 1000, -1000}), scalar(2.0), zp, 0);
  EXPECT_EQ(y.dtype, DType::U8);
  EXPECT_EQ(y.data, (std::vector<double>{128, 129, 255, 0}));
}

TEST(Elementwise, IntegerDivisionTruncatesTowardZero) {
  Tensor a(DType::I64, {2}, {7, -7});
  Tensor b(DType::I64, {}, {2});
  EXPECT_EQ(div(a, b).data, (std::vector<double>{3, -3}));
}

TEST(Elementwise, F32ResultsAreRoundedToSinglePrecision) {
  Tensor y = add(scalar(1.0), scalar(1e-8));
  EXPECT_EQ(y.data[0], 1.0); // 1 + 1e-8 is 1 in f32
}

TEST(Conv, PaddedStridedGroupedMatchesHandComputation) {
  // 1x2x3x3 input, two groups, 1x1 kernels scaling each channel, stride 2,
  // pad 1.
  Tensor x =
      f32({1, 2, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1});
  Tensor w = f32({2, 1, 1, 1}, {2, 3});
  ConvParams p{{1, 1, 1, 1}, {2, 2}, {1, 1}, 2};
  Tensor y = conv(x, w, nullptr, p, DType::F32, {1, 2, 3, 3});
  EXPECT_EQ(y.data, (std::vector<double>{0, 0, 0, 0, 10, 0, 0, 0,
                                         0, // only center hits x
                                         0, 0, 0, 0, 3, 0, 0, 0, 0}));
}

TEST(Pooling, MaxPoolAndAveragePoolCountingPadding) {
  Tensor x = f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  PoolParams mp{{2, 2}, {0, 0, 0, 0}, {2, 2}, {1, 1}};
  EXPECT_EQ(maxPool(x, mp, {1, 1, 2, 2}).data,
            (std::vector<double>{5, 6, 8, 9}));
  PoolParams ap{{3, 3}, {1, 1, 1, 1}, {3, 3}, {}, /*countIncludePad=*/true};
  // Window rows/cols -1..1 hold 1, 2, 4, 5; nine positions counted; result
  // rounded to f32.
  EXPECT_EQ(averagePool(x, ap, {1, 1, 1, 1}).data,
            (std::vector<double>{castTo(DType::F32, 12.0 / 9)}));
}

TEST(Heads, TopKKeepsLowerIndexOnTies) {
  Tensor x = f32({1, 4}, {1, 3, 3, 0});
  Tensor v, i;
  topk(x, 2, 1, true, v, i);
  EXPECT_EQ(v.data, (std::vector<double>{3, 3}));
  EXPECT_EQ(i.data, (std::vector<double>{1, 2}));
  EXPECT_EQ(argmax(x, 1, true, true).data, (std::vector<double>{2}));
}

} // namespace
