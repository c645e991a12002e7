//===- Quantizers.cpp - QONNX and ONNX QDQ quantizer semantics ------------===//
//
// Each step is rounded to the tensor's element type, as the QONNX numpy
// reference does on float32 arrays: y = x / scale; y = y + zeropt; clamp;
// round; (y - zeropt) * scale.
//
//===----------------------------------------------------------------------===//

#include "qnn/Reference/TensorOps.h"

#include <algorithm>
#include <cmath>

namespace qnnc::ref {
namespace {

/// Applies fn(x, p1, p2) elementwise with p1/p2 broadcast to x's shape.
Tensor ternary(const Tensor &x, const Tensor &p1, const Tensor &p2, DType out,
               const std::function<double(double, double, double)> &fn) {
  // Pack (p1, p2) into one broadcast pass by broadcasting each against x to
  // index maps.
  Tensor idx(DType::F64, x.shape);
  for (int64_t i = 0; i < idx.numel(); ++i)
    idx.data[i] = static_cast<double>(i);
  Tensor i1 =
      broadcastBinary(idx, p1, DType::F64, [](double, double v) { return v; });
  Tensor i2 =
      broadcastBinary(idx, p2, DType::F64, [](double, double v) { return v; });
  Tensor r(out, x.shape);
  for (int64_t i = 0; i < x.numel(); ++i)
    r.data[i] = castTo(out, fn(x.data[i], i1.data[i], i2.data[i]));
  return r;
}

double intMin(bool isSigned, bool narrow, int64_t bits) {
  if (!isSigned)
    return 0;
  return narrow ? -std::ldexp(1.0, bits - 1) + 1 : -std::ldexp(1.0, bits - 1);
}

double intMax(bool isSigned, bool narrow, int64_t bits) {
  if (!isSigned)
    return narrow ? std::ldexp(1.0, bits) - 2 : std::ldexp(1.0, bits) - 1;
  return std::ldexp(1.0, bits - 1) - 1;
}

} // namespace

Tensor quantLevels(const Tensor &x, const Tensor &scale, const Tensor &zeropt, int64_t bitwidth,
                   bool isSigned, bool narrow, Rounding rounding) {
  DType t = x.dtype;
  double lo = intMin(isSigned, narrow, bitwidth), hi = intMax(isSigned, narrow, bitwidth);
  return ternary(x, scale, zeropt, DType::F64, [&](double v, double s, double z) {
    double y = castTo(t, castTo(t, v / s) + z);
    if (bitwidth == 1 && isSigned)
      return y >= 0 ? 1.0 : -1.0;
    return roundWith(rounding, std::clamp(y, lo, hi));
  });
}

Tensor quant(const Tensor &x, const Tensor &scale, const Tensor &zeropt, int64_t bitwidth,
             bool isSigned, bool narrow, Rounding rounding) {
  DType t = x.dtype;
  Tensor levels = quantLevels(x, scale, zeropt, bitwidth, isSigned, narrow, rounding);
  return ternary(levels, scale, zeropt, t, [&](double l, double s, double z) {
    return castTo(t, castTo(t, l - z) * s);
  });
}

Tensor bipolarQuant(const Tensor &x, const Tensor &scale) {
  return broadcastBinary(x, scale, x.dtype, [](double v, double s) {
    return (v >= 0 ? 1.0 : -1.0) * s;
  });
}

Tensor trunc(const Tensor &x, const Tensor &scale, const Tensor &zeropt,
             int64_t inBits, int64_t outBits, Rounding rounding) {
  DType t = x.dtype;
  double truncScale = std::ldexp(1.0, inBits - outBits);
  // QONNX Trunc v1: round(x / scale + zeropt) / 2^(in-out), rounded, back to
  // the input scale.
  return ternary(x, scale, zeropt, t, [&](double v, double s, double z) {
    double y = std::nearbyint(castTo(t, castTo(t, v / s) + z));
    y = roundWith(rounding, castTo(t, y / truncScale));
    return castTo(t, castTo(t, y - z) * s);
  });
}

Tensor multiThreshold(const Tensor &x, const Tensor &thresholds,
                      int64_t channelAxis, double outScale, double outBias) {
  int64_t rows = thresholds.shape[0], steps = thresholds.shape[1];
  std::vector<int64_t> st = x.strides();
  Tensor r(DType::F32, x.shape);
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t row = rows == 1 ? 0 : (i / st[channelAxis]) % x.shape[channelAxis];
    int64_t count = 0;
    for (int64_t k = 0; k < steps; ++k)
      count += x.data[i] >= thresholds.data[row * steps + k];
    r.data[i] = castTo(DType::F32, outScale * count + outBias);
  }
  return r;
}

namespace {
/// Index of the per-axis parameter for element i of x (0 for per-tensor
/// parameters).
int64_t paramIndex(const Tensor &x, const Tensor &param, int64_t axis,
                   int64_t i) {
  if (param.numel() == 1)
    return 0;
  std::vector<int64_t> st = x.strides();
  return (i / st[axis]) % x.shape[axis];
}
} // namespace

Tensor requantize(const Tensor &x, const std::vector<int64_t> &multiplier,
                  const std::vector<int64_t> &shift, int64_t inZeroPoint,
                  int64_t outZeroPoint, int64_t clampMin, int64_t clampMax, int64_t axis,
                  DType out) {
  Tensor r(out, x.shape);
  std::vector<int64_t> st = x.strides();
  for (int64_t i = 0; i < x.numel(); ++i) {
    size_t c = multiplier.size() == 1 ? 0 : (i / st[axis]) % x.shape[axis];
    __int128 acc = (__int128)(int64_t(x.data[i]) - inZeroPoint) * multiplier[c];
    int64_t v = int64_t((acc + ((__int128)1 << (shift[c] - 1))) >> shift[c]);
    r.data[i] = double(std::clamp<int64_t>(v + outZeroPoint, clampMin, clampMax));
  }
  return r;
}

Tensor quantizeLinear(const Tensor &x, const Tensor &scale,
                      const Tensor &zeroPoint, int64_t axis) {
  DType out = zeroPoint.dtype;
  Tensor r(out, x.shape);
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t p = paramIndex(x, scale, axis, i);
    double q = std::nearbyint(castTo(x.dtype, x.data[i] / scale.data[p])) +
               zeroPoint.data[p];
    r.data[i] = std::clamp(q, minValue(out), maxValue(out));
  }
  return r;
}

Tensor dequantizeLinear(const Tensor &x, const Tensor &scale,
                        const Tensor &zeroPoint, int64_t axis, DType out) {
  Tensor r(out, x.shape);
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t p = paramIndex(x, scale, axis, i);
    r.data[i] = castTo(out, (x.data[i] - zeroPoint.data[p]) * scale.data[p]);
  }
  return r;
}

} // namespace qnnc::ref
