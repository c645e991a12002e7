// The dot-product 8-bit convolution against a scalar reference with the
// reference evaluator's arithmetic (padding skipped, (x - zp) * w summed in
// int32, fixed-point requantization): strides 1, 2 and 4, padding, dilation,
// kernel widths that are not multiples of 4, channel counts that are not
// multiples of the register tile, register tiles of one and two pixel
// vectors (one and two output rows per vector), signed and unsigned input,
// int32 and requantized outputs, on each x86 vector ISA this machine executes
// (VNNI where it has it). Bit-exact.

#include "qnn/Codegen/DotProductConv.h"
#include "ReadText.h"
#include "X86Targets.h"
#include "qnn/Codegen/IsaGuard.h"

#include <gtest/gtest.h>

#include <random>

using namespace qnnc::codegen;

namespace {

struct Data {
  std::vector<uint8_t> input; // raw bytes (two's complement when signed)
  std::vector<int8_t> weights;
  std::vector<int32_t> bias;
  std::vector<int64_t> multiplier, shift;
};

std::vector<int32_t> reference(const IntegerConvShape &s, const Data &d) {
  std::vector<int32_t> out;
  for (int64_t n = 0; n < s.n; ++n)
    for (int64_t m = 0; m < s.m; ++m)
      for (int64_t oy = 0; oy < s.outH; ++oy)
        for (int64_t ox = 0; ox < s.outW; ++ox) {
          int64_t acc = d.bias[size_t(m)];
          for (int64_t c = 0; c < s.c; ++c)
            for (int64_t ky = 0; ky < s.kh; ++ky)
              for (int64_t kx = 0; kx < s.kw; ++kx) {
                int64_t iy = oy * s.strideY + ky * s.dilationY - s.padTop;
                int64_t ix = ox * s.strideX + kx * s.dilationX - s.padLeft;
                if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w)
                  continue;
                uint8_t byte =
                    d.input[size_t(((n * s.c + c) * s.h + iy) * s.w + ix)];
                int64_t x = s.inputSigned ? int64_t(int8_t(byte)) : byte;
                acc +=
                    (x - s.inputZeroPoint) *
                    d.weights[size_t(((m * s.c + c) * s.kh + ky) * s.kw + kx)];
              }
          if (!s.requantize) {
            out.push_back(int32_t(acc));
            continue;
          }
          size_t ch = s.requantChannels == 1 ? 0 : size_t(m);
          int64_t sh = d.shift[ch];
          int64_t q =
              ((int64_t(int32_t(acc)) - s.inZeroPoint) * d.multiplier[ch] +
               (int64_t(1) << (sh - 1))) >>
              sh;
          out.push_back(int32_t(
              std::clamp<int64_t>(q + s.outZeroPoint, s.clampMin, s.clampMax)));
        }
  return out;
}

Data randomData(const IntegerConvShape &s, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Data d;
  d.input.resize(size_t(s.n * s.c * s.h * s.w));
  for (auto &b : d.input)
    b = uint8_t(rng());
  d.weights.resize(size_t(s.m * s.c * s.kh * s.kw));
  for (auto &w : d.weights)
    w = int8_t(rng());
  std::uniform_int_distribution<int32_t> bias(-5000, 5000);
  for (int64_t m = 0; m < s.m; ++m)
    d.bias.push_back(bias(rng));
  for (int64_t i = 0; i < s.requantChannels; ++i) {
    d.multiplier.push_back(int64_t(1 << 30) + int64_t(rng() % (1 << 29)));
    d.shift.push_back(int64_t(38 + rng() % 4));
  }
  return d;
}

IntegerConvShape convShape(int64_t c, int64_t hw, int64_t m, int64_t k,
                           int64_t stride, int64_t pad, int64_t dilation) {
  IntegerConvShape s;
  s.c = c, s.h = s.w = hw, s.m = m, s.kh = s.kw = k;
  s.strideY = s.strideX = stride;
  s.padTop = s.padLeft = pad;
  s.dilationY = s.dilationX = dilation;
  s.outH = s.outW = (hw + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
  return s;
}

void check(const IntegerConvShape &s, uint64_t seed) {
  Data d = randomData(s, seed);
  auto expected = reference(s, d);
  for (const Halide::Target &t : qnnc::test::x86Targets()) {
    ASSERT_TRUE(dotProductConvApplies(s, true, true, t)) << t.to_string();
    DotProductConv conv(s, t);
    EXPECT_EQ(conv.run(d.input, d.weights, d.bias, d.multiplier, d.shift),
              expected)
        << "target " << t.to_string();
  }
}

TEST(DotProductConv, FirstLayerStride4Int32) {
  // AlexNet's conv1 scaled down: 11 taps per row (groups of 4 end in 1 zero
  // weight), 20 output channels (not a multiple of the tile).
  IntegerConvShape s = convShape(3, 75, 20, 11, 4, 0, 1);
  s.inputZeroPoint = 128;
  s.requantize = false;
  check(s, 1);
}

TEST(DotProductConv, Stride4TwoRowsPerVectorTwoVectorsPerTile) {
  // 23 x 23 outputs: with VNNI the tile is two vectors of 8 pixels x 2 rows
  // (23 is a multiple of neither) x 12 of the 30 channels; the last tiles of
  // each dimension overlap the ones before.
  IntegerConvShape s = convShape(3, 99, 30, 11, 4, 0, 1);
  s.inputZeroPoint = 3;
  s.requantize = false;
  check(s, 6);
}

TEST(DotProductConv, SignedInputPaddedStride1PerChannelRequantize) {
  IntegerConvShape s = convShape(5, 19, 7, 3, 1, 1, 1);
  s.inputSigned = true;
  s.inputZeroPoint = -3;
  s.requantChannels = s.m;
  s.inZeroPoint = 17, s.outZeroPoint = 5, s.clampMin = 5, s.clampMax = 255;
  check(s, 2);
}

TEST(DotProductConv, DilatedStride2BatchOfTwoSignedOutput) {
  IntegerConvShape s = convShape(2, 40, 33, 5, 2, 2, 2);
  s.n = 2;
  s.inputZeroPoint = 77;
  s.outputSigned = true;
  s.outZeroPoint = -4, s.clampMin = -128, s.clampMax = 127;
  check(s, 3);
}

TEST(DotProductConv, Stride2UnpaddedSevenTaps) {
  // A ResNet-style stem without padding: at stride 2 the input rows are
  // copied to the stack too (the tap-shifted vectors are strided loads).
  IntegerConvShape s = convShape(3, 41, 26, 7, 2, 0, 1);
  s.inputZeroPoint = 128;
  s.requantize = false;
  check(s, 7);
}

TEST(DotProductConv, OneChannelStride1Pad2) {
  // The example's first layer: padded rows are copied to the stack first.
  IntegerConvShape s = convShape(1, 28, 16, 5, 1, 2, 1);
  s.inputZeroPoint = 9;
  s.requantize = false;
  check(s, 4);
}

TEST(DotProductConv, PaddedRowsTooWideForTheStack) {
  // 16 channels x 3 rows x 301 bytes > 12 KB: the border tiles read through
  // the boundary condition instead of a stack copy.
  IntegerConvShape s = convShape(16, 300, 5, 3, 2, 1, 1);
  s.inputZeroPoint = 200;
  s.requantize = false;
  check(s, 5);
}

// Compiled for avx512_sapphirerapids (compilation only: runs on any machine),
// the first-layer shapes of AlexNet (stride 4), ResNet (7x7 stride 2, with and
// without padding), MobileNet (3x3 stride 2) and the example (stride 1) keep
// VNNI: no odd-sized tap load makes LLVM use AVX512-FP16, which would have the
// ISA guard rebuild the kernel without VNNI (3-4x slower at stride 2).
TEST(DotProductConv, FirstLayersKeepVnni) {
  Halide::Target target("x86-64-linux-sse41-avx-avx2-fma-f16c-avx512-avx512_"
                        "skylake-avx512_cannonlake-avx512_sapphirerapids-"
                        "no_runtime");
  IsaGuardScope guard(/*cpuHasAvxVnni=*/true);
  const IntegerConvShape shapes[] = {
      convShape(3, 227, 96, 11, 4, 0, 1), convShape(3, 224, 64, 7, 2, 3, 1),
      convShape(3, 229, 64, 7, 2, 0, 1), convShape(3, 224, 32, 3, 2, 1, 1),
      convShape(1, 28, 16, 5, 1, 2, 1)};
  for (const IntegerConvShape &s : shapes) {
    std::string path = testing::TempDir() + "dot_conv_vnni.s";
    DotProductConv(s, target).compileTo(
        {{Halide::OutputFileType::assembly, path}}, "conv");
    std::string text = qnnc::test::takeText(path);
    std::string shape = std::to_string(s.kw) + "x" + std::to_string(s.kw) +
                        " stride " + std::to_string(s.strideX) + " pad " +
                        std::to_string(s.padLeft);
    EXPECT_EQ(guard.takeNote(), "") << shape;
    EXPECT_NE(text.find("vpdpbusd"), std::string::npos) << shape;
  }
}

} // namespace
