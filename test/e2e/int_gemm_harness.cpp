// Runs one AOT-compiled 8/16-bit integer GEMM kernel (qnn-gemm-gen ... i8 u8 /
// i16 i16 ... obj) on random full-range operands with a zero point and a bias,
// and compares it with a scalar reference wrapped to int32. Built by the cross
// compiler for the kernel's target and run under qemu-user by
// arm_gemm_qemu.py. -D flags: GEMM_M GEMM_K GEMM_N INT_BITS and the layout
// qnn-gemm-gen printed (GROUP WEIGHT_BITS INPUT_OFFSET TILE_ROWS).

#include "HalideBuffer.h"
#include "qnn/Codegen/IntegerGemmLayout.h"

#include <cstdio>
#include <cstdlib>
#include <random>

using namespace qnnc::codegen;

extern "C" int integer_gemm(halide_buffer_t *activations,
                            halide_buffer_t *weights, halide_buffer_t *bias,
                            halide_buffer_t *out);

extern "C" void *halide_malloc(void *, size_t size) {
  return aligned_alloc(64, (size + 63) / 64 * 64);
}
extern "C" void halide_free(void *, void *p) { free(p); }

#if INT_BITS == 8
using Activation = uint8_t;
constexpr int32_t kLow = 0, kWeightLow = -128, kSpan = 256, kZeroPoint = 131;
#else
using Activation = int16_t;
constexpr int32_t kLow = -32768, kWeightLow = -32768, kSpan = 65536,
                  kZeroPoint = -77;
#endif
#if WEIGHT_BITS == 8
using Weight = int8_t;
#else
using Weight = int16_t;
#endif

int main() {
  IntegerGemmLayout layout;
  layout.bits = INT_BITS;
  layout.group = GROUP;
  layout.weightBits = WEIGHT_BITS;
  layout.inputOffset = INPUT_OFFSET;
  layout.tileRows = TILE_ROWS;
  std::mt19937_64 rng(7);
  std::vector<int32_t> w(GEMM_M * GEMM_K), a(GEMM_K * GEMM_N), bias(GEMM_M);
  for (auto &x : w)
    x = kWeightLow + int32_t(rng() % kSpan);
  for (auto &x : a)
    x = kLow + int32_t(rng() % kSpan);
  for (auto &x : bias)
    x = int32_t(rng() % 2001) - 1000;
  std::vector<int16_t> packed = layout.packWeights(w, GEMM_M, GEMM_K);
  std::vector<Weight> pw(packed.begin(), packed.end());
  std::vector<int32_t> folded =
      layout.foldBias(w, GEMM_M, GEMM_K, kZeroPoint, bias);
  std::vector<Activation> av(a.begin(), a.end());
  std::array<int64_t, 3> e = layout.weightExtents(GEMM_M, GEMM_K);
  Halide::Runtime::Buffer<Weight> wb(pw.data(), int(e[0]), int(e[1]),
                                     int(e[2]));
  Halide::Runtime::Buffer<int32_t> bb(folded.data(), GEMM_M);
  Halide::Runtime::Buffer<Activation> ab(av.data(), GEMM_N, GEMM_K);
  Halide::Runtime::Buffer<int32_t> cb(GEMM_N, GEMM_M);
  if (integer_gemm(ab.raw_buffer(), wb.raw_buffer(), bb.raw_buffer(),
                   cb.raw_buffer()) != 0) {
    std::printf("kernel returned an error\n");
    return 2;
  }
  long bad = 0;
  for (int i = 0; i < GEMM_M; ++i)
    for (int j = 0; j < GEMM_N; ++j) {
      int64_t s = bias[i];
      for (int p = 0; p < GEMM_K; ++p)
        s += int64_t(w[i * GEMM_K + p]) * (a[p * GEMM_N + j] - kZeroPoint);
      bad += cb(j, i) != int32_t(uint32_t(uint64_t(s)));
    }
  std::printf("M=%d K=%d N=%d: %ld of %d outputs differ\n", GEMM_M, GEMM_K,
              GEMM_N, bad, GEMM_M * GEMM_N);
  return bad ? 1 : 0;
}
