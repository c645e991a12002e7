// Thresholding an NCHW int32 image (an 8-bit first layer's accumulators) into
// packed pixels, one 64-channel word per pixel, against the scalar packer on
// levels counted in C++: channel counts off the 64-bit word (96, 130) and the
// 32-bit halves the vector schedule builds words from (70; 32 and 16 fill only
// the lower half), pixel counts off the vector width, 2-bit unsigned and
// bipolar outputs, on each x86 vector ISA this machine executes, serial and
// in parallel blocks of pixels. Bit-exact.

#include "qnn/Codegen/ThresholdPacker.h"
#include "X86Targets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace qnnc::codegen;

namespace {

void checkChannelMajor(int64_t channels, int64_t pixels, int steps, Operand out,
                       uint64_t seed) {
  ThresholdPackShape s;
  s.k = channels, s.n = pixels, s.steps = steps, s.out = out;
  s.floatInput = false;
  s.channelMajor = true;
  s.levelBias = out.encoding == Encoding::Bipolar ? -1 : 0;
  s.levelScale = out.encoding == Encoding::Bipolar ? 2 : 1;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> value(-3000, 3000);
  std::vector<int32_t> image(size_t(channels * pixels)), thresholds;
  for (int32_t &x : image)
    x = value(rng);
  for (int64_t c = 0; c < channels; ++c) {
    std::vector<int32_t> t(static_cast<size_t>(steps));
    for (int32_t &x : t)
      x = value(rng);
    std::sort(t.begin(), t.end());
    thresholds.insert(thresholds.end(), t.begin(), t.end());
  }
  // levels K x N, row-major, as the scalar packer takes them
  std::vector<int64_t> levels(size_t(channels * pixels));
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t p = 0; p < pixels; ++p) {
      int64_t count = 0;
      for (int t = 0; t < steps; ++t)
        count +=
            image[size_t(c * pixels + p)] >= thresholds[size_t(c * steps + t)];
      int64_t level = s.levelBias + s.levelScale * count;
      levels[size_t(c * pixels + p)] =
          out.encoding == Encoding::Bipolar ? (level > 0 ? 1 : -1) : level;
    }
  auto expected = packColumnPanels(levels, channels, pixels, 1, out);
  for (bool parallel : {false, true})
    for (const Halide::Target &t : qnnc::test::x86Targets()) {
      s.parallel = parallel;
      ThresholdPacker packer(s, t);
      EXPECT_EQ(packer.run(image, thresholds), expected)
          << channels << " channels, " << pixels << " pixels, target "
          << t.to_string() << (parallel ? ", parallel" : ", serial");
    }
}

TEST(ThresholdPacker, ChannelMajorTwoBitsChannelsOffTheWord) {
  checkChannelMajor(96, 3025 % 61, 3, {2, Encoding::Unsigned}, 1);
  checkChannelMajor(130, 45, 3, {2, Encoding::Unsigned}, 2);
  // More pixels than one block of 16 vectors, with a partial last block
  // (in parallel: 7 blocks of 48, the last overlapping the previous).
  checkChannelMajor(96, 300, 3, {2, Encoding::Unsigned}, 6);
  // AlexNet conv1's image: 12 blocks of 256 pixels, the last overlapping.
  checkChannelMajor(96, 3025, 3, {2, Encoding::Unsigned}, 7);
}

TEST(ThresholdPacker, ChannelMajorBipolarHalfWord) {
  checkChannelMajor(70, 19, 1, {1, Encoding::Bipolar}, 3);
  checkChannelMajor(32, 8, 1, {1, Encoding::Bipolar}, 4);
  checkChannelMajor(16, 23, 3, {2, Encoding::Unsigned}, 5);
}

} // namespace
