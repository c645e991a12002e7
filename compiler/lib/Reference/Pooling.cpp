//===- Pooling.cpp - MaxPool, AveragePool, GlobalAveragePool --------------===//

#include "qnn/Reference/TensorOps.h"

#include <limits>

namespace qnnc::ref {
namespace {

/// Visits every window of a pooling op: fn(outIndex, values inside the input,
/// padded count).
template <typename Fn>
void forEachWindow(const Tensor &x, const PoolParams &p,
                   const std::vector<int64_t> &outShape, Fn fn) {
  int64_t spatial = x.rank() - 2;
  std::vector<int64_t> xs = x.strides(), os(outShape.size(), 1);
  for (int64_t i = outShape.size() - 2; i >= 0; --i)
    os[i] = os[i + 1] * outShape[i + 1];
  int64_t outSpatial = os[1], kernelSize = product(p.kernel);
  std::vector<int64_t> opos(spatial);
  std::vector<double> values;
  for (int64_t nc = 0; nc < outShape[0] * outShape[1]; ++nc)
    for (int64_t o = 0; o < outSpatial; ++o) {
      for (int64_t d = 0, rem = o; d < spatial; ++d) {
        opos[d] = rem / os[2 + d];
        rem %= os[2 + d];
      }
      values.clear();
      int64_t padded = 0;
      for (int64_t kk = 0; kk < kernelSize; ++kk) {
        int64_t off = nc * xs[1];
        bool inside = true, inPadding = true;
        for (int64_t d = spatial - 1, rem = kk; d >= 0; --d) {
          int64_t k = rem % p.kernel[d];
          rem /= p.kernel[d];
          int64_t dil = p.dilations.empty() ? 1 : p.dilations[d];
          int64_t pos = opos[d] * p.strides[d] + k * dil - p.pads[d];
          // Positions beyond the explicit end padding (ceil_mode) count as
          // neither.
          if (pos >= x.shape[2 + d] + p.pads[d + spatial])
            inPadding = false;
          if (pos < 0 || pos >= x.shape[2 + d])
            inside = false;
          else
            off += pos * xs[2 + d];
        }
        if (inside)
          values.push_back(x.data[off]);
        else if (inPadding)
          ++padded;
      }
      fn(nc * outSpatial + o, values, padded);
    }
}

} // namespace

Tensor maxPool(const Tensor &x, const PoolParams &p,
               const std::vector<int64_t> &outShape) {
  Tensor r(x.dtype, outShape);
  forEachWindow(x, p, outShape,
                [&](int64_t o, const std::vector<double> &v, int64_t) {
                  double m = -std::numeric_limits<double>::infinity();
                  for (double e : v)
                    m = std::max(m, e);
                  r.data[o] = m;
                });
  return r;
}

Tensor averagePool(const Tensor &x, const PoolParams &p,
                   const std::vector<int64_t> &outShape) {
  Tensor r(x.dtype, outShape);
  forEachWindow(x, p, outShape,
                [&](int64_t o, const std::vector<double> &v, int64_t padded) {
                  double sum = 0;
                  for (double e : v)
                    sum += e;
                  double count = static_cast<double>(
                      v.size() + (p.countIncludePad ? padded : 0));
                  r.data[o] = castTo(x.dtype, sum / count);
                });
  return r;
}

Tensor globalAveragePool(const Tensor &x) {
  std::vector<int64_t> shape = x.shape;
  int64_t inner = product(std::vector<int64_t>(shape.begin() + 2, shape.end()));
  for (size_t i = 2; i < shape.size(); ++i)
    shape[i] = 1;
  Tensor r(x.dtype, shape);
  for (int64_t nc = 0; nc < r.numel(); ++nc) {
    double sum = 0;
    for (int64_t i = 0; i < inner; ++i)
      sum += x.data[nc * inner + i];
    r.data[nc] = castTo(x.dtype, sum / inner);
  }
  return r;
}

} // namespace qnnc::ref
