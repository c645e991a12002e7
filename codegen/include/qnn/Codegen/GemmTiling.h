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

/// Vector registers a tile may spend on per-plane-pair accumulators. Measured
/// on Zen 5 (W1A2 and W2A2, K from 6 to 54 words): tiles of 8 accumulators ran
/// 5-18 % faster than one shared accumulator whatever K, and 16 accumulators
/// lost that gain at K = 6 and 18 words and were within 2 % at 36-54.
constexpr int64_t kPlanePairRegisters = 8;

/// Rows per GEMV tile (N = 1, rows across the vector lanes): one 64-byte line
/// per K word, which is what the kernel's weight prefetch covers. Zen 5, W1A1,
/// a standalone driver, same minute, median µs, 32 rows → 8 rows + prefetch:
/// 4096x9216 61-78 → 50, 4096x4096 27.4 → 23 (the bench: docs/bench-gemm.md);
/// 8 rows without the prefetch were within 5 % of 32, either way.
constexpr int64_t kGemvTileRows = 8;

/// Whether a (non-GEMV) tile keeps one accumulator per plane pair, weighted
/// once per output: the inner loop is then AND, popcount and add per pair,
/// without a shift or multiply by the pair's weight.
inline bool planePairAccumulators(int64_t pairs, int64_t rows,
                                  int64_t vectors) {
  return pairs > 1 && rows * vectors * pairs <= kPlanePairRegisters;
}

/// Rows per tile for a GEMM with `pairs` plane pairs (up to 4): `rows`, or
/// fewer so that the pairs get their own accumulators.
inline int64_t planePairRows(int64_t pairs, int64_t rows, int64_t vectors) {
  if (pairs < 2 || pairs > 4)
    return rows;
  return std::max<int64_t>(
      1, std::min(rows, kPlanePairRegisters / (vectors * pairs)));
}

} // namespace qnnc::codegen

#endif
