//===- IntegerKernels.h - 8-bit layers: conv/matmul + requantize, pools ---===//
//
// The 8-bit path of the library (QDQ models, 8-bit first and last layers):
// plain NCHW integer tensors, one Halide pipeline per layer, arithmetic exactly
// as the reference evaluator's (integer accumulation, fixed-point
// requantization with a rounding shift, round-half-even quantization).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_INTEGERKERNELS_H
#define QNN_CODEGEN_INTEGERKERNELS_H

#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

namespace qnnc::codegen {

struct IntegerConvShape {
  int64_t n = 1, c = 1, h = 1, w = 1; ///< input NCHW
  int64_t m = 1, kh = 1, kw = 1;      ///< weights [M, C, KH, KW]
  int64_t strideY = 1, strideX = 1, dilationY = 1, dilationX = 1;
  int64_t padTop = 0, padLeft = 0;
  int64_t outH = 1, outW = 1;
  bool inputSigned = false, outputSigned = false;
  int32_t inputZeroPoint = 0;
  int64_t weightZeroPoints = 1; ///< 1 (per tensor) or M
  int64_t requantChannels = 1;  ///< multipliers/shifts: 1 or M
  int64_t inZeroPoint = 0, outZeroPoint = 0, clampMin = 0, clampMax = 255;
  bool requantize = true; ///< false: the int32 accumulator is the result
  /// Weights laid out [KH][KW][C][M] (output channels innermost) so that
  /// vectors of output channels load contiguously; chosen by
  /// channelsInnermost().
  bool channelsInner = false;
};

/// Whether IntegerConv vectorizes over output channels (and wants its weights
/// [KH][KW][C][M]) for this shape and target.
bool channelsInnermost(const IntegerConvShape &shape,
                       const Halide::Target &target);

/// The 8-bit conv kernels' epilogue: the int32 accumulator of output channel
/// `m` requantized (or returned as is when the shape does not requantize).
Halide::Expr convEpilogue(const IntegerConvShape &shape, Halide::Expr acc,
                          Halide::Expr m, Halide::ImageParam &multiplier,
                          Halide::ImageParam &shift);

/// out = clamp(round_shift((sum (x - xzp)(w - wzp) + bias - izp) * mult, shift)
///             + ozp); a matmul is the 1x1 case.
class IntegerConv {
public:
  IntegerConv(const IntegerConvShape &shape, const Halide::Target &target);
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  Halide::Target target;
  Halide::ImageParam input, weights{Halide::Int(8), 4, "weights"},
      weightZeroPoint{Halide::Int(32), 1, "w_zero_point"},
      bias{Halide::Int(32), 1, "bias"},
      multiplier{Halide::Int(64), 1, "multiplier"},
      shift{Halide::Int(64), 1, "shift"};
  bool requantize;
  Halide::Func output{"int_conv"};
};

/// y = clamp(round_half_even(x / scale) + zero_point) into u8 or s8.
class Quantize {
public:
  /// `parallel`: large tensors are split into tasks of contiguous vectors
  /// (a library built without --threads 1).
  Quantize(int64_t elements, float scale, int32_t zeroPoint, bool isSigned,
           const Halide::Target &target, bool parallel = false);
  void compileTo(const KernelOutputs &files, const std::string &name);
  /// JIT run for tests (parallel tasks on Halide's thread pool): the
  /// quantized values widened to int32.
  std::vector<int32_t> run(const std::vector<float> &values);

private:
  Halide::Target target;
  Halide::ImageParam input{Halide::Float(32), 1, "input"};
  Halide::Func output{"quantize"};
};

struct IntegerPoolShape {
  int64_t n = 1, c = 1, h = 1, w = 1, kh = 1, kw = 1;
  int64_t strideY = 1, strideX = 1, dilationY = 1, dilationX = 1;
  int64_t padTop = 0, padLeft = 0, outH = 1, outW = 1;
};

/// Max pooling of an 8-bit NCHW tensor; padding takes no part in the max.
class IntegerMaxPool {
public:
  IntegerMaxPool(const IntegerPoolShape &shape, Halide::Type type,
                 const Halide::Target &target);
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  Halide::Target target;
  Halide::ImageParam input;
  Halide::Func output{"max_pool"};
};

} // namespace qnnc::codegen

#endif
