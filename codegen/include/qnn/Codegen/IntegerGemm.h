//===- IntegerGemm.h - 8- and 16-bit integer GEMM on dot products ---------===//
//
// The wide path for first and last layers: C (si32) = W x (A - zero point) +
// bias, with W (M x K) s8 and A (K x N, row-major) u8, or both s16. Each step
// multiplies a group of consecutive K values per output and adds them into one
// int32 lane: vpdpbusd (4 bytes) / vpdpwssd (2 int16) with AVX512-VNNI,
// vpmaddwd (pairs of int16; bytes widened first) on other x86, sdot on arm-64
// with arm_dot_prod (signed bytes: the activations offset by -128), widening
// multiplies and pairwise adds on other NEON. Weights are packed at compile
// time (IntegerGemmLayout); the activations' zero point is folded into the
// bias. A register tile is rows x vectors of columns; the activations of a
// column block are interleaved into groups once and reused by every row tile.
// For N smaller than a vector (a GEMV), the vectors run over output rows
// instead, each step loading one contiguous vector of packed weights from a
// tile of rows whose weights are contiguous (IntegerGemmLayout::tileRows).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_INTEGERGEMM_H
#define QNN_CODEGEN_INTEGERGEMM_H

#include "qnn/Codegen/IntegerGemmLayout.h"
#include "qnn/Codegen/IntegerKernels.h"
#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

#include <cstdint>
#include <vector>

namespace qnnc::codegen {

struct IntegerGemmShape {
  int64_t m = 1, k = 1, n = 1;
  int bits = 8;                    ///< 8 (u8 x s8) or 16 (s16 x s16)
  int32_t activationZeroPoint = 0; ///< subtracted from every activation
  /// 8-bit: s8 activations, which the kernel reads as unsigned bytes offset
  /// by 128 (the zero point moves with them).
  bool activationsSigned = false;
};

/// Register tile: `rows` outputs rows x `vectors` vectors of columns (of rows,
/// for a GEMV). 0 = the target's default.
struct IntegerGemmTile {
  int rows = 0, vectors = 0;
};

/// Whether a library's 8-bit matmul (IntegerConv's 1x1 case) runs on
/// IntegerGemm: one row of activations (batch 1, whose row-major layout is
/// the kernel's), signed weights with zero points 0.
bool integerGemmApplies(const IntegerConvShape &matmul, bool weightsSigned,
                        bool weightZeroPointsZero);

class IntegerGemm {
public:
  IntegerGemm(const IntegerGemmShape &shape, const Halide::Target &target,
              IntegerGemmTile tile = {});
  /// A library's matmul (integerGemmApplies) with IntegerConv's epilogue:
  /// requantized to 8 bits, or the int32 accumulators.
  IntegerGemm(const IntegerConvShape &matmul, const Halide::Target &target);

  static IntegerGemmLayout layout(int bits, const Halide::Target &target);

  /// Row-major M x K weights in the kernel's layout (values of
  /// layout().weightBits bits), and the bias with the zero point folded in.
  std::vector<int16_t> packWeights(const std::vector<int32_t> &weights) const;
  std::vector<int32_t> foldBias(const std::vector<int32_t> &weights,
                                const std::vector<int32_t> &bias) const;
  const IntegerGemmLayout &layout() const { return packing; }

  /// Packs row-major M x K weights (values in the kernel's range) and folds
  /// the zero point into `bias` (empty: zeros).
  void setWeights(const std::vector<int32_t> &weights,
                  const std::vector<int32_t> &bias = {});
  /// Activations K x N row-major (u8, s8 or s16 values) -> C row-major M x N.
  std::vector<int32_t> run(const std::vector<int32_t> &activations);
  /// The same on buffers: activations (n, k) of the kernel's element type,
  /// out (n, m) int32.
  void run(const Halide::Buffer<> &activations, Halide::Buffer<int32_t> &out);

  /// Arguments: activations (n, k), weights (group, m, k/group), bias (m),
  /// then, when it requantizes, multiplier and shift (IntegerConv's).
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  IntegerGemm(const IntegerGemmShape &shape, const Halide::Target &target,
              IntegerGemmTile tile, const IntegerConvShape *epilogue);

  IntegerGemmShape shape;
  IntegerGemmLayout packing;
  Halide::Target target;
  bool requantize = false;
  Halide::ImageParam weights, bias{Halide::Int(32), 1, "bias"}, activations,
      multiplier{Halide::Int(64), 1, "multiplier"},
      shift{Halide::Int(64), 1, "shift"};
  Halide::Func output{"integer_gemm"};
  Halide::Buffer<> packedWeights;
  Halide::Buffer<int32_t> foldedBias;
};

} // namespace qnnc::codegen

#endif
