//===- BitSerialGemm.h - Few-bit GEMM as a Halide pipeline ----------------===//
//
// C = W x A for a w-bit M x K weight matrix and an a-bit K x N activation
// matrix, computed from bit-planes (seed 001 §3):
//
//   W = sum_i c_i Wb_i + d_w,  A = sum_j c_j Ab_j + d_a
//   C = sum_ij c_i c_j popcount(Wb_i & Ab_j) + d_a sum_i c_i rowpop(Wb_i)
//       + d_w sum_j c_j colpop(Ab_j) + K d_w d_a
//
// with the popcounts over 64-bit words. Bipolar (+-1) operands use one plane (c
// = 2, d = -1), two's complement ones weigh their top plane -2^(b-1). The shape
// is static: the compiler builds one pipeline per layer.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_BITSERIALGEMM_H
#define QNN_CODEGEN_BITSERIALGEMM_H

#include "qnn/Codegen/BitPacking.h"

#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

#include <optional>
#include <string>

namespace qnnc::codegen {

struct GemmShape {
  int64_t m = 1, k = 1, n = 1;
  Operand weights, activations;
  /// Elements of K that are real (0: all). Convolutions pad each kernel
  /// position's channels to whole words; those zero bits must not count in the
  /// bipolar x bipolar correction.
  int64_t validK = 0;
};

/// A schedule is data (tuning writes it): register block of `rows` output rows
/// by `vectorsPerPanel` vectors of output columns; the panel is that many
/// vectors wide. A GEMV (N = 1) has no columns to spread: its tile is `rows`
/// rows (rounded up to whole vectors) across the vector lanes.
struct GemmSchedule {
  int rows = 4;
  int vectorsPerPanel = 2;
  bool parallel = false;
};

/// Fused epilogue: instead of the int32 result, each output is thresholded (the
/// multithreshold of a streamlined graph: level = bias + scale * #{t : C >=
/// T[m][t]}) and bit-packed straight into the next layer's activation layout
/// (column panels of `panelWidth`, 64 output channels per word), so no full
/// int32 tensor reaches memory.
struct ThresholdEpilogue {
  int thresholds = 1;
  int64_t levelScale = 1, levelBias = 0;
  Operand next; ///< encoding of the levels for the next layer
  int64_t panelWidth = 1;
};

/// A GEMV's weight layout: [plane][row tile][K word][row in tile], zero-padded
/// to whole tiles. The kernel spreads a tile's rows across vector lanes, so
/// word k of all its rows is one vector load against one broadcast activation
/// word, and the whole matrix is one sequential stream. Row-major, a tile read
/// `rows` interleaved streams of one row each (1,152 bytes for a 9216-wide FC
/// layer), too short for the hardware prefetcher: from DRAM, where an FC
/// layer's weights live in a network, that ran at about half the bandwidth.
struct GemvTiles {
  int rows = 0; ///< rows per tile, a multiple of the vector (0: not a GEMV)
  int count(const GemmShape &s) const { return int((s.m + rows - 1) / rows); }
};

class BitSerialGemm {
public:
  /// Builds the pipeline for `target` (its natural vector width sets the panel
  /// width).
  BitSerialGemm(const GemmShape &shape, const GemmSchedule &schedule,
                const Halide::Target &target,
                std::optional<ThresholdEpilogue> epilogue = std::nullopt);

  /// With an epilogue: thresholds (M x thresholds, row-major) -> packed
  /// next-layer activations in the layout of packColumnPanels(levels, M, N,
  /// panelWidth, next).
  std::vector<uint64_t> runFused(const std::vector<uint64_t> &packedWeights,
                                 const std::vector<uint64_t> &packedActivations,
                                 const std::vector<int32_t> &thresholds);

  /// Columns per activation panel: the layout packColumnPanels must use.
  int panelWidth() const { return panel; }

  /// Runs the pipeline JIT-compiled for the target given at construction on
  /// packed operands; returns C row-major (M x N).
  std::vector<int32_t> run(const std::vector<uint64_t> &packedWeights,
                           const std::vector<uint64_t> &packedActivations);
  /// The same into `result` (resized to M x N): a caller that reuses it
  /// allocates and page-faults nothing per call, like the AOT kernels writing
  /// into the library's arena - what a benchmark must time.
  void run(const std::vector<uint64_t> &packedWeights,
           const std::vector<uint64_t> &packedActivations,
           std::vector<int32_t> &result);

  /// For timing loops: binds the weights once (a GEMV re-lays them out, see
  /// kernelWeights; the vector must outlive the runs for a GEMM, which reads
  /// it in place), then runBound / runFusedBound use them.
  void bindWeights(const std::vector<uint64_t> &packedWeights);
  void runBound(const std::vector<uint64_t> &packedActivations,
                std::vector<int32_t> &result);
  std::vector<uint64_t>
  runFusedBound(const std::vector<uint64_t> &packedActivations,
                const std::vector<int32_t> &thresholds);
  /// Ahead-of-time: writes assembly (for inspection) or an object file.
  void compileToAssembly(const std::string &path, const std::string &name);
  /// Ahead-of-time: the requested files for function `name`.
  void compileTo(const KernelOutputs &files, const std::string &name);

  const GemmShape &shape() const { return shape_; }

  /// The element width the kernel reads weights and activations in: 64, 32
  /// (the same little-endian words as halves, AVX-512 VPOPCNTD; dimension 0
  /// twice as long) or 8 (as bytes, the NEON formulation; 8x as long).
  int operandBits() const { return bytes ? 8 : halfWords ? 32 : 64; }
  /// The weights as the compiled kernel reads them, from packRows' layout
  /// (the IR's): unchanged for a GEMM; for a GEMV tiled so that the whole
  /// matrix is one sequential stream (see GemvTiles).
  std::vector<uint64_t>
  kernelWeights(const std::vector<uint64_t> &packedWeights) const;
  /// Extents of the kernel's weight buffer, innermost first.
  std::vector<int64_t> weightExtents() const;
  /// A GEMV's weight tiles (rows 0 for a GEMM, whose weights stay
  /// row-major).
  const GemvTiles &gemvTiles() const { return tiles; }
  /// Panels whose row tiles the kernel runs in turn (1: one panel at a time),
  /// see the constructor.
  int panelGroup() const { return group; }

private:
  GemmShape shape_;
  Halide::Target target;
  int panel;
  Halide::ImageParam weights{Halide::UInt(64), 3, "weights"};
  Halide::ImageParam activations{Halide::UInt(64), 4, "activations"};
  Halide::ImageParam weights8{Halide::UInt(8), 3, "weights"};
  Halide::ImageParam weightTiles{Halide::UInt(64), 4, "weights"};
  GemvTiles tiles;
  std::vector<uint64_t> tiledWeights; ///< JIT runs: kernelWeights' copy
  Halide::ImageParam activations8{Halide::UInt(8), 4, "activations"};
  Halide::ImageParam weights32{Halide::UInt(32), 3, "weights"};
  Halide::ImageParam activations32{Halide::UInt(32), 4, "activations"};
  Halide::ImageParam thresholdParam{Halide::Int(32), 2, "thresholds"};
  bool bytes = false;
  /// 32-bit units and accumulators (AVX-512 VPOPCNTD), see the constructor.
  bool halfWords = false;
  int group = 1;

  void bindActivations(const std::vector<uint64_t> &packedActivations);
  std::vector<Halide::Argument> operandArguments() const;
  Halide::Func output{"gemm"};
  Halide::Func packed{"threshold_pack"};
  std::optional<ThresholdEpilogue> epilogue;
};

} // namespace qnnc::codegen

#endif
