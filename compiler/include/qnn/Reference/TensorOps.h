//===- TensorOps.h - ONNX/QONNX operator semantics on plain tensors -------===//
//
// One function per operator, written for clarity. Used by the reference
// evaluator (on `qnn` ops) and by the importer's constant folder (on ONNX
// nodes), so both share one semantics. Functions expect well-formed arguments
// (shapes already checked by the ops' verifiers or the importer) and report
// anything else by returning false with a message.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_TENSOROPS_H
#define QNN_REFERENCE_TENSOROPS_H

#include "qnn/Reference/Tensor.h"

#include <functional>
#include <string>

namespace qnnc::ref {

enum class Rounding { HalfEven, Ceil, Floor, TowardZero };
bool parseRounding(const std::string &name, Rounding &out);
double roundWith(Rounding mode, double v);

/// Elementwise with numpy broadcasting; the result has dtype `out` and is cast
/// to it.
Tensor broadcastBinary(const Tensor &a, const Tensor &b, DType out,
                       const std::function<double(double, double)> &fn);
Tensor unary(const Tensor &x, DType out,
             const std::function<double(double)> &fn);

Tensor add(const Tensor &a, const Tensor &b);
Tensor sub(const Tensor &a, const Tensor &b);
Tensor mul(const Tensor &a, const Tensor &b);
/// Float division, or integer division truncating toward zero. Division by an
/// integer zero yields 0 (ONNX leaves it undefined).
Tensor div(const Tensor &a, const Tensor &b);

Tensor matmul(const Tensor &a, const Tensor &b, DType out);
Tensor gemm(const Tensor &a, const Tensor &b, const Tensor *c, double alpha,
            double beta, bool transA, bool transB);

struct ConvParams {
  std::vector<int64_t> pads, strides, dilations;
  int64_t group = 1;
};
/// N-d grouped convolution of x (N, C, ...) with w (M, C/group, ...);
/// accumulates in double.
Tensor conv(const Tensor &x, const Tensor &w, const Tensor *bias,
            const ConvParams &p, DType out,
            const std::vector<int64_t> &outShape);

struct PoolParams {
  std::vector<int64_t> kernel, pads, strides, dilations;
  bool countIncludePad = false;
};
Tensor maxPool(const Tensor &x, const PoolParams &p,
               const std::vector<int64_t> &outShape);
Tensor averagePool(const Tensor &x, const PoolParams &p,
                   const std::vector<int64_t> &outShape);
Tensor globalAveragePool(const Tensor &x);

Tensor batchNorm(const Tensor &x, const Tensor &scale, const Tensor &bias,
                 const Tensor &mean, const Tensor &var, double epsilon);

/// The integer levels of QONNX Quant (before dequantization): x / scale + zeropt,
/// clamped, rounded; +-1 for a signed 1-bit quantizer. Held as f64.
Tensor quantLevels(const Tensor &x, const Tensor &scale, const Tensor &zeropt,
                   int64_t bitwidth, bool isSigned, bool narrow, Rounding rounding);
/// QONNX Quant; see shared/models/README.md for the exact order of clamp and
/// round.
Tensor quant(const Tensor &x, const Tensor &scale, const Tensor &zeropt,
             int64_t bitwidth, bool isSigned, bool narrow, Rounding rounding);
Tensor bipolarQuant(const Tensor &x, const Tensor &scale);
Tensor trunc(const Tensor &x, const Tensor &scale, const Tensor &zeropt,
             int64_t inBits, int64_t outBits, Rounding rounding);
/// channelAxis: the axis of x that indexes rows of `thresholds` (when it has
/// more than one row).
Tensor multiThreshold(const Tensor &x, const Tensor &thresholds,
                      int64_t channelAxis, double outScale, double outBias);

/// Fixed-point requantization (see qnn.requantize); multiplier/shift per channel of `axis`
/// or single.
Tensor requantize(const Tensor &x, const std::vector<int64_t> &multiplier,
                  const std::vector<int64_t> &shift, int64_t inZeroPoint,
                  int64_t outZeroPoint, int64_t clampMin, int64_t clampMax, int64_t axis,
                  DType out);

Tensor quantizeLinear(const Tensor &x, const Tensor &scale,
                      const Tensor &zeroPoint, int64_t axis);
Tensor dequantizeLinear(const Tensor &x, const Tensor &scale,
                        const Tensor &zeroPoint, int64_t axis, DType out);

Tensor reshape(const Tensor &x, const std::vector<int64_t> &shape);
Tensor transpose(const Tensor &x, const std::vector<int64_t> &perm);
Tensor concat(const std::vector<const Tensor *> &inputs, int64_t axis);
Tensor gather(const Tensor &data, const Tensor &indices, int64_t axis);
/// ONNX Slice with normalized (clamped) starts/ends per listed axis.
Tensor slice(const Tensor &x, const std::vector<int64_t> &starts,
             const std::vector<int64_t> &ends, const std::vector<int64_t> &axes,
             const std::vector<int64_t> &steps);
Tensor softmax(const Tensor &x, int64_t axis);
Tensor argmax(const Tensor &x, int64_t axis, bool keepdims, bool selectLast);
void topk(const Tensor &x, int64_t k, int64_t axis, bool largest,
          Tensor &values, Tensor &indices);

} // namespace qnnc::ref

#endif
