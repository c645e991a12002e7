//===- DotProductConv.h - 8-bit convolution on 4-way dot products ---------===//
//
// The 8-bit first layer of a few-bit network (u8 image x s8 weights) as an
// implicit GEMM on 4-byte dot products: the reduction runs over groups of four
// horizontally adjacent taps, so each step multiplies 4 input bytes per output
// pixel with 4 weight bytes per output channel and adds them into one int32 -
// vpdpbusd with AVX512-VNNI; vpmaddwd on older x86, which sums pairs, so a
// group there is two pairs in separate accumulator lanes until the end;
// widening multiplies and pairwise adds on NEON. With stride 4 the taps of 16
// neighbouring pixels are one contiguous 64-byte load: no im2col buffer at all.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_DOTPRODUCTCONV_H
#define QNN_CODEGEN_DOTPRODUCTCONV_H

#include "qnn/Codegen/IntegerKernels.h"

namespace qnnc::codegen {

/// Whether DotProductConv computes this conv on this target: a 2-D conv whose
/// weights are signed 8-bit with all zero points 0 (ONNX Runtime's symmetric
/// quantization) and whose output rows are at least one vector wide.
bool dotProductConvApplies(const IntegerConvShape &shape, bool weightsSigned,
                           bool weightZeroPointsZero,
                           const Halide::Target &target);

/// Same arithmetic as IntegerConv (weight zero points 0). The reduction index
/// is k = ((c * KH + ky) * KW4 + kx) with KW4 = KW rounded up to 4; weights are
/// packed at compile time as [K/4][M][4] bytes, zero past KW.
class DotProductConv {
public:
  /// Output rows are split across threads (the library's runtime picks the
  /// count); `parallel` = false makes JIT runs take them on one thread
  /// instead of Halide's pool (one thread per core).
  DotProductConv(const IntegerConvShape &shape, const Halide::Target &target,
                 bool parallel = true);

  /// Whether the target multiplies pairs of 16-bit values (vpmaddwd) rather
  /// than groups of four bytes: x86 without AVX512-VNNI.
  static bool pairwise(const Halide::Target &target);
  /// Whether it multiplies signed bytes: ARM's dot product (`sdot`, with
  /// arm_dot_prod) has no unsigned x signed form before i8mm.
  static bool signedBytes(const Halide::Target &target);

  /// Weights [M][C][KH][KW] in the kernel's [K/4][M][4] order. With
  /// pairwise the kernel takes them widened to int16 (weightBits), so a
  /// group's 4 weights are one 64-bit broadcast and no per-step widening.
  static std::vector<int8_t> packWeights(const IntegerConvShape &shape,
                                         const std::vector<int8_t> &weights);
  static int weightBits(const Halide::Target &target) {
    return pairwise(target) ? 16 : 8;
  }
  /// The input is read as unsigned bytes (signed ones offset by 128; with
  /// signedBytes, 128 subtracted again) and padding as the zero point, so
  /// bias - (zero_point - that offset) * sum(w) corrects both.
  static std::vector<int32_t> foldBias(const IntegerConvShape &shape,
                                       const std::vector<int8_t> &weights,
                                       const std::vector<int32_t> &bias,
                                       const Halide::Target &target);

  /// JIT run for tests: input bytes NCHW, weights [M][C][KH][KW]; returns the
  /// NCHW output widened to int32.
  std::vector<int32_t> run(const std::vector<uint8_t> &input,
                           const std::vector<int8_t> &weights,
                           const std::vector<int32_t> &bias,
                           const std::vector<int64_t> &multiplier,
                           const std::vector<int64_t> &shift);
  /// The same in steps, for timing: bind packs and keeps the weights, run
  /// writes into a buffer from outputBuffer().
  void bind(const std::vector<int8_t> &weights,
            const std::vector<int32_t> &bias,
            const std::vector<int64_t> &multiplier,
            const std::vector<int64_t> &shift);
  Halide::Buffer<> outputBuffer() const;
  void run(const std::vector<uint8_t> &input, Halide::Buffer<> &result);
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  IntegerConvShape shape;
  Halide::Target target;
  Halide::ImageParam input, weights, bias{Halide::Int(32), 1, "bias"},
      multiplier{Halide::Int(64), 1, "multiplier"},
      shift{Halide::Int(64), 1, "shift"};
  Halide::Func output{"dot_conv"};
  std::vector<int8_t> packedWeights;
  std::vector<int16_t> packedWeights16;
  std::vector<int32_t> foldedBias;
  std::vector<int64_t> multipliers, shifts;
};

} // namespace qnnc::codegen

#endif
