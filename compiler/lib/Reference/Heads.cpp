//===- Heads.cpp - Softmax, ArgMax, TopK ----------------------------------===//

#include "qnn/Reference/TensorOps.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qnnc::ref {
namespace {

/// Calls fn(base, stride, extent) once per 1-D slice of x along `axis`.
template <typename Fn>
void forEachLane(const std::vector<int64_t> &shape, int64_t axis, Fn fn) {
  int64_t outer =
      product(std::vector<int64_t>(shape.begin(), shape.begin() + axis));
  int64_t inner =
      product(std::vector<int64_t>(shape.begin() + axis + 1, shape.end()));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      fn(o * shape[axis] * inner + i, inner, shape[axis], o * inner + i);
}

} // namespace

Tensor softmax(const Tensor &x, int64_t axis) {
  Tensor r(x.dtype, x.shape);
  forEachLane(x.shape, axis,
              [&](int64_t base, int64_t stride, int64_t extent, int64_t) {
                double m = -INFINITY, sum = 0;
                for (int64_t k = 0; k < extent; ++k)
                  m = std::max(m, x.data[base + k * stride]);
                for (int64_t k = 0; k < extent; ++k)
                  sum += std::exp(x.data[base + k * stride] - m);
                for (int64_t k = 0; k < extent; ++k)
                  r.data[base + k * stride] = castTo(
                      x.dtype, std::exp(x.data[base + k * stride] - m) / sum);
              });
  return r;
}

Tensor argmax(const Tensor &x, int64_t axis, bool keepdims, bool selectLast) {
  std::vector<int64_t> shape = x.shape;
  if (keepdims)
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  Tensor r(DType::I64, shape);
  forEachLane(x.shape, axis,
              [&](int64_t base, int64_t stride, int64_t extent, int64_t lane) {
                int64_t best = 0;
                for (int64_t k = 1; k < extent; ++k) {
                  double v = x.data[base + k * stride],
                         b = x.data[base + best * stride];
                  if (v > b || (selectLast && v == b))
                    best = k;
                }
                r.data[lane] = static_cast<double>(best);
              });
  return r;
}

void topk(const Tensor &x, int64_t k, int64_t axis, bool largest,
          Tensor &values, Tensor &indices) {
  std::vector<int64_t> shape = x.shape;
  shape[axis] = k;
  values = Tensor(x.dtype, shape);
  indices = Tensor(DType::I64, shape);
  int64_t inner =
      product(std::vector<int64_t>(shape.begin() + axis + 1, shape.end()));
  forEachLane(
      x.shape, axis,
      [&](int64_t base, int64_t stride, int64_t extent, int64_t lane) {
        std::vector<int64_t> order(extent);
        std::iota(order.begin(), order.end(), 0);
        // ONNX: ties keep the lower index first.
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
          double va = x.data[base + a * stride], vb = x.data[base + b * stride];
          return largest ? va > vb : va < vb;
        });
        int64_t outBase = (lane / inner) * k * inner + lane % inner;
        for (int64_t j = 0; j < k; ++j) {
          values.data[outBase + j * inner] = x.data[base + order[j] * stride];
          indices.data[outBase + j * inner] = static_cast<double>(order[j]);
        }
      });
}

} // namespace qnnc::ref
