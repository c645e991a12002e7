//===- BitPacking.h - Few-bit integers to bit-planes in 64-bit words ------===//
//
// Seed 001 §3: a w-bit integer matrix is the weighted sum of w binary matrices
// (bit-planes). Weights (M x K) are packed row-major per plane; activations (K
// x N) in column panels so that one vector of the kernel holds `panelWidth`
// adjacent columns of the same word.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_BITPACKING_H
#define QNN_CODEGEN_BITPACKING_H

#include <cstdint>
#include <vector>

namespace qnnc::codegen {

/// How a value is spelled by its bits: value = sum_i coef_i * bit_i + offset.
enum class Encoding {
  Unsigned,       ///< bits of v, v in [0, 2^b)
  TwosComplement, ///< signed, top bit weighs -2^(b-1)
  Bipolar,        ///< one bit, v = 2 * bit - 1 (v in {-1, +1})
};

struct Operand {
  int bits = 1;
  Encoding encoding = Encoding::Unsigned;
  /// Weight of bit-plane i.
  int64_t coefficient(int plane) const;
  /// Constant part of every value (-1 for bipolar, 0 otherwise).
  int64_t offset() const { return encoding == Encoding::Bipolar ? -1 : 0; }
  int planes() const { return encoding == Encoding::Bipolar ? 1 : bits; }
  /// Bit-plane pattern of value v (bit i of the result is plane i's bit).
  uint64_t encode(int64_t v) const;
  bool representable(int64_t v) const;
};

/// Words per row of K bits; padding bits are zero, which add nothing to
/// AND-popcounts.
inline int64_t wordsFor(int64_t k) { return (k + 63) / 64; }

/// Weights M x K (row-major values) -> planes[plane][m][kw].
std::vector<uint64_t> packRows(const std::vector<int64_t> &values, int64_t m,
                               int64_t k, const Operand &op);

/// Activations K x N (row-major values) -> planes[plane][panel][kw][lane] with
/// `panelWidth` columns per panel (the last panel zero-padded).
std::vector<uint64_t> packColumnPanels(const std::vector<int64_t> &values,
                                       int64_t k, int64_t n, int64_t panelWidth,
                                       const Operand &op);

/// Channel-interleaved activations (seed 001 §3.2): an H x W x C image (HWC
/// values) -> planes [plane][y][x][cw]: each pixel's C channels in wordsFor(C)
/// words, so im2col moves words.
std::vector<uint64_t> packPixels(const std::vector<int64_t> &values, int64_t h,
                                 int64_t w, int64_t c, const Operand &op);

/// How many bits of a C-channel pixel one kernel position moves into a
/// convolution's GEMM row, in units of unitBits: packed pixels pad their
/// channels to whole 64-bit words, but when 32, 16 or 8 divides C the rows
/// take only the units holding channels, so no padding sits between kernel
/// positions (96 channels: 3 x 32 bits, not 2 x 64; 16 channels: 16 bits,
/// not 64) and the popcounts do not run over it.
inline int64_t convUnitBits(int64_t c) {
  for (int64_t unit : {64, 32, 16, 8})
    if (c % unit == 0)
      return unit;
  return 64;
}
/// Fewer than 64 channels that no 32-, 16- or 8-bit unit divides (1-7, 12,
/// 20, ...; a binary first layer on an image) take exactly C bits per kernel
/// position, at any bit offset: whole words per position would make a 3x3
/// kernel on one channel 9 words instead of 9 bits.
inline bool convBitFields(int64_t c) { return c < 64 && convUnitBits(c) == 64; }
inline int64_t convPositionBits(int64_t c) {
  return convUnitBits(c) == 64 && !convBitFields(c) ? wordsFor(c) * 64 : c;
}
/// K of the GEMM a KH x KW convolution over C-channel packed pixels lowers to:
/// kernel positions back to back, the row zero-padded to a whole word.
inline int64_t convGemmK(int64_t kh, int64_t kw, int64_t c) {
  return wordsFor(kh * kw * convPositionBits(c)) * 64;
}

/// Convolution weights M x C x KH x KW (values) as GEMM rows whose K runs over
/// (ky, kx, channel): the order the packed im2col produces, each kernel
/// position convPositionBits(C) wide.
std::vector<uint64_t> packConvWeights(const std::vector<int64_t> &values,
                                      int64_t m, int64_t c, int64_t kh,
                                      int64_t kw, const Operand &op);

/// GEMV weights (packRows layout: M x K, `planes` planes) as the GEMV kernel
/// reads them: [plane][row tile][K word][row in tile] with `rows` rows per
/// tile, zero-padded to whole tiles (BitSerialGemm.h, GemvTiles, says why).
std::vector<uint64_t> tileGemvRows(const std::vector<uint64_t> &packed,
                                   int64_t m, int64_t k, int planes, int rows);

} // namespace qnnc::codegen

#endif
