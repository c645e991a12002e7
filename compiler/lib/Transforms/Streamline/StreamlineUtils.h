//===- StreamlineUtils.h - Helpers shared by the streamlining passes ------===//

#ifndef QNN_TRANSFORMS_STREAMLINE_UTILS_H
#define QNN_TRANSFORMS_STREAMLINE_UTILS_H

#include "qnn/Dialect/QNN/QNNOps.h"
#include "qnn/Reference/Tensor.h"

#include "mlir/IR/PatternMatch.h"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace mlir::qnn::streamline {

using qnnc::ref::Tensor;

/// The value of `v` if it is produced by `qnn.constant`.
std::optional<Tensor> constantValue(Value v);

/// Creates a `qnn.constant` holding `t` with `type` (shape and element type).
Value createConstant(OpBuilder &b, Location loc, RankedTensorType type,
                     const Tensor &t, StringRef dtype = {});
/// Same, with an f32 element type and t's shape.
Value createF32Constant(OpBuilder &b, Location loc, const Tensor &t);

bool hasIntegerElements(Value v);
RankedTensorType tensorType(Value v);

/// The closed range of values an integer tensor can hold: from constants,
/// integer multithreshold levels, casts of integers and matmul accumulator
/// bounds; otherwise the element type's range.
std::pair<int64_t, int64_t> integerRange(Value v);

/// The channel axis used for per-channel parameters of a tensor of this rank
/// (axis 1, or 0 for rank 1), or of a multithreshold in `layout`.
int64_t channelAxis(int64_t rank, StringRef layout = "NCHW");

/// Whether constant `c`, broadcast against a tensor of `shape`, varies only
/// along `axis`.
bool isPerChannel(const Tensor &c, ArrayRef<int64_t> shape, int64_t axis);

/// A one-element-per-channel probe shape for `shape`: 1 everywhere but the
/// channel axis.
std::vector<int64_t> probeShape(ArrayRef<int64_t> shape, int64_t axis);

/// Smallest input value, per channel c and per threshold k, at which
/// `reached(k, probe)` says the op's result reaches threshold k. The search is
/// a bisection over the integers in [lo, hi] (integerDomain) or over all finite
/// f32 values, so that it reproduces the op's exact semantics; `reached` must
/// be monotone. Unreachable thresholds become hi + 1 (or +inf); thresholds
/// reached everywhere become lo (or -inf).
struct ThresholdSearch {
  int64_t channels = 1;
  int64_t thresholds = 1;
  bool integerDomain = false;
  int64_t lo = 0, hi = 0;
  /// Fills out[c] with whether channel c at input x[c] reaches threshold k.
  std::function<void(int64_t k, const std::vector<double> &x,
                     std::vector<char> &out)>
      reached;

  /// Returns a (channels x thresholds) tensor of thresholds (values as
  /// doubles).
  Tensor run() const;
};

/// Ops that only move data: reshape, flatten, transpose, squeeze, unsqueeze.
bool isLayoutOp(Operation *op);

/// Evaluates `op` with operand `probeIndex` replaced by a probe tensor and the
/// other operands taken from constants, which are decoded once (bisection calls
/// it many times).
class ProbeEvaluator {
public:
  ProbeEvaluator(Operation *op, unsigned probeIndex);
  /// The op's first result on `probe`.
  Tensor operator()(const Tensor &probe) const;

private:
  Operation *op;
  unsigned probeIndex;
  std::vector<Tensor> constants;
};

/// A dequantized integer tensor: (cast(q) - zeroPoint) * scale, the form QDQ
/// values take after qnn-lower-dequantize (the add and the mul are optional;
/// the zero point is per-tensor).
struct Dequantized {
  Value q;
  int64_t zeroPoint = 0;
  Tensor scale = Tensor(qnnc::ref::DType::F32, {}, {1.0});
};
std::optional<Dequantized> matchDequantized(Value v);

/// Erases qnn ops (and constants) whose results are unused, repeatedly.
void eraseDeadOps(Operation *root);

/// Whether all operands except `except` are produced by constants.
bool otherOperandsConstant(Operation *op, unsigned except);

} // namespace mlir::qnn::streamline

#endif
