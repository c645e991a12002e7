//===- ThresholdPacker.h - Multi-threshold a plain tensor into bit-planes -===//

#ifndef QNN_CODEGEN_THRESHOLDPACKER_H
#define QNN_CODEGEN_THRESHOLDPACKER_H

#include "qnn/Codegen/BitPacking.h"

#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

namespace qnnc::codegen {

struct ThresholdPackShape {
  int64_t k = 1, n = 1; ///< input: N rows of K channels (row-major)
  int steps = 1;        ///< thresholds per channel
  int64_t levelScale = 1, levelBias = 0;
  Operand out;
  int64_t panelWidth = 1;
  bool floatInput = true; ///< f32 input and thresholds, else i32
  /// Input is one NCHW image: K = C channels, N = H*W pixels (input[k][n]).
  bool channelMajor = false;
  /// Blocks of pixels as parallel tasks (NCHW images of a vector of pixels
  /// or more); the runtime runs them serially with 1 thread.
  bool parallel = false;
};

/// level = levelBias + levelScale * #{t : x[n, c] >= thresholds[c, t]}, packed
/// like packColumnPanels(levels, K, N, panelWidth, out).
class ThresholdPacker {
public:
  ThresholdPacker(const ThresholdPackShape &shape,
                  const Halide::Target &target);

  /// JIT run: input N x K (K x N when channel-major), thresholds K x steps
  /// (both row-major); float or int32 as the shape says.
  std::vector<uint64_t> run(const std::vector<float> &input,
                            const std::vector<float> &thresholds);
  std::vector<uint64_t> run(const std::vector<int32_t> &input,
                            const std::vector<int32_t> &thresholds);
  /// Ahead-of-time: the requested files for function `name`.
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  template <typename T>
  std::vector<uint64_t> runOn(const std::vector<T> &input,
                              const std::vector<T> &thresholds);

  ThresholdPackShape shape;
  Halide::Target target;
  Halide::ImageParam input, thresholds;
  Halide::Func packed{"threshold_pack"};
};

} // namespace qnnc::codegen

#endif
