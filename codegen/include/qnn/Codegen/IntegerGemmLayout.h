//===- IntegerGemmLayout.h - Operand layout of the 8/16-bit integer GEMM --===//
//
// Plain C++ (no Halide), so cross-compiled test harnesses pack weights exactly
// as the compiler does. The integer GEMM multiplies groups of consecutive K
// values (4 bytes, or 2 int16) per dot-product instruction; its weights are
// packed at compile time as [K/group][M][group], zero past K (a GEMV: tiles of
// rows, see tileRows), and the activations' zero point (and any offset the
// kernel applies to them) is folded into the bias.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_INTEGERGEMMLAYOUT_H
#define QNN_CODEGEN_INTEGERGEMMLAYOUT_H

#include <array>
#include <cstdint>
#include <vector>

namespace qnnc::codegen {

struct IntegerGemmLayout {
  int bits = 8;  ///< 8: u8 activations x s8 weights; 16: s16 x s16
  int group = 4; ///< consecutive K values of one dot product group
  /// Storage of the packed weights: 16 where the kernel multiplies int16
  /// pairs of widened bytes (x86 without VNNI), else `bits`.
  int weightBits = 8;
  /// Subtracted from every activation by the kernel (128 where it multiplies
  /// signed bytes: ARM's sdot).
  int32_t inputOffset = 0;

  /// Rows per weight tile where the kernel is GEMV-shaped (N below a vector),
  /// 0 otherwise. Tiled weights are [M/tileRows][K/group][tileRows][group],
  /// zero past M: a tile's weights are one contiguous stream, where the
  /// untiled layout gives each K group of a tile its own M * group-byte
  /// stride (4096x9216 int8 read its weights at 15 GB/s, oneDNN at 27).
  int64_t tileRows = 0;

  int64_t groups(int64_t k) const { return (k + group - 1) / group; }
  /// The packed weights' extents, innermost first: {group, M, K/group}, or
  /// {group, tileRows, tiles x K/group} when tiled.
  std::array<int64_t, 3> weightExtents(int64_t m, int64_t k) const;
  /// Row-major M x K weights -> the packed layout, zero past K (and M).
  std::vector<int16_t> packWeights(const std::vector<int32_t> &weights,
                                   int64_t m, int64_t k) const;
  /// bias[i] - (zeroPoint - inputOffset) * sum_k w[i][k] (bias may be empty:
  /// zeros), so the kernel's sum over (a - inputOffset) * w becomes the sum
  /// over (a - zeroPoint) * w plus the bias.
  std::vector<int32_t> foldBias(const std::vector<int32_t> &weights, int64_t m,
                                int64_t k, int32_t zeroPoint,
                                const std::vector<int32_t> &bias) const;
};

} // namespace qnnc::codegen

#endif
