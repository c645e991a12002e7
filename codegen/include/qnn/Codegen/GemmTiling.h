//===- GemmTiling.h - Register tiles of the bit-serial GEMM ---------------===//
//
// Shared by the kernel (which builds the tile) and the bit-plane lowering
// (which records the schedule in the IR), so the schedule the IR shows is the
// one the kernel runs.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_GEMMTILING_H
#define QNN_CODEGEN_GEMMTILING_H

#include <algorithm>
#include <cstdint>

namespace qnnc::codegen {

/// Vector registers a tile may spend on per-plane-pair accumulators; the
/// operands take most of the rest of AVX-512's and NEON's 32.
constexpr int64_t kPlanePairRegisters = 16;
/// K words from which one accumulator per plane pair pays for combining them
/// once per tile (measured: W1A2 lost 10 % at 6 words, gained 12 % at 36).
constexpr int64_t kPlanePairMinWords = 16;

/// Whether a (non-GEMV) tile keeps one accumulator per plane pair, weighted
/// once per output: the inner loop is then AND, popcount and add per pair,
/// without a shift or multiply by the pair's weight.
inline bool planePairAccumulators(int64_t pairs, int64_t kWords, int64_t rows,
                                  int64_t vectors) {
  return pairs > 1 && kWords >= kPlanePairMinWords &&
         rows * vectors * pairs <= kPlanePairRegisters;
}

/// Rows per tile for a GEMM with `pairs` plane pairs (up to 4): `rows`, or
/// fewer so that the pairs get their own accumulators (W2A2 on AlexNet's
/// convs: 2 x 2 tiles run 25 % faster than 4 x 2 ones with one accumulator).
inline int64_t planePairRows(int64_t pairs, int64_t kWords, int64_t rows,
                             int64_t vectors) {
  if (pairs < 2 || pairs > 4 || kWords < kPlanePairMinWords)
    return rows;
  return std::max<int64_t>(
      1, std::min(rows, kPlanePairRegisters / (vectors * pairs)));
}

} // namespace qnnc::codegen

#endif
