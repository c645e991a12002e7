// The f32 -> 8-bit input quantizer (Quantize) against the reference
// evaluator's QuantizeLinear (x / scale in f32, ties to even, saturation), on
// an AlexNet-sized image (227 x 227 x 3 values: 16 parallel tasks, the last
// one overlapping) and on fewer values than one task, serial and parallel, u8
// and s8, on each x86 vector ISA this machine executes. Bit-exact.

#include "X86Targets.h"
#include "qnn/Codegen/IntegerKernels.h"
#include "qnn/Reference/TensorOps.h"

#include <gtest/gtest.h>

#include <random>

using namespace qnnc::codegen;

namespace {

void check(int64_t elements, float scale, int32_t zeroPoint, bool isSigned) {
  std::mt19937_64 rng(uint64_t(elements) + uint64_t(zeroPoint));
  std::uniform_real_distribution<float> value(-300 * scale, 300 * scale);
  std::vector<float> x(static_cast<size_t>(elements));
  for (size_t i = 0; i < x.size(); ++i)
    // Every third value is an exact tie (k + 0.5) * scale, where rounding
    // half to even and saturation decide.
    x[i] =
        i % 3 ? value(rng) : (float(int64_t(rng() % 600) - 300) + 0.5f) * scale;
  using namespace qnnc::ref;
  Tensor in(DType::F32, {elements}, std::vector<double>(x.begin(), x.end()));
  Tensor zp(isSigned ? DType::I8 : DType::U8, {}, {double(zeroPoint)});
  Tensor expected = quantizeLinear(in, Tensor(DType::F32, {}, {scale}), zp, 0);
  std::vector<int32_t> want(expected.data.begin(), expected.data.end());
  for (const Halide::Target &t : qnnc::test::x86Targets())
    for (bool parallel : {false, true}) {
      Quantize q(elements, scale, zeroPoint, isSigned, t, parallel);
      EXPECT_EQ(q.run(x), want) << t.to_string() << " parallel " << parallel;
    }
}

TEST(Quantize, AlexNetImageInTasksMatchesReference) {
  check(227 * 227 * 3, 1.0f / 57, 0, false);
  check(227 * 227 * 3, 0.0173f, -3, true);
}

TEST(Quantize, FewValuesMatchReference) { check(1003, 0.25f, 128, false); }

} // namespace
