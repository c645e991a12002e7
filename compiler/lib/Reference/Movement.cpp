//===- Movement.cpp - Reshape, Transpose, Concat, Gather, Slice -----------===//

#include "qnn/Reference/TensorOps.h"

#include <algorithm>

namespace qnnc::ref {

Tensor reshape(const Tensor &x, const std::vector<int64_t> &shape) {
  return Tensor(x.dtype, shape, x.data);
}

Tensor transpose(const Tensor &x, const std::vector<int64_t> &perm) {
  std::vector<int64_t> shape(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    shape[i] = x.shape[perm[i]];
  Tensor r(x.dtype, shape);
  std::vector<int64_t> xs = x.strides(), idx(shape.size(), 0);
  for (int64_t n = 0; n < r.numel(); ++n) {
    int64_t off = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      off += idx[d] * xs[perm[d]];
    r.data[n] = x.data[off];
    advance(idx, shape);
  }
  return r;
}

Tensor concat(const std::vector<const Tensor *> &inputs, int64_t axis) {
  std::vector<int64_t> shape = inputs[0]->shape;
  shape[axis] = 0;
  for (const Tensor *t : inputs)
    shape[axis] += t->shape[axis];
  Tensor r(inputs[0]->dtype, shape);
  int64_t outer =
      product(std::vector<int64_t>(shape.begin(), shape.begin() + axis));
  int64_t pos = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : inputs) {
      int64_t chunk = t->numel() / std::max<int64_t>(outer, 1);
      std::copy_n(t->data.begin() + o * chunk, chunk, r.data.begin() + pos);
      pos += chunk;
    }
  return r;
}

Tensor gather(const Tensor &data, const Tensor &indices, int64_t axis) {
  std::vector<int64_t> shape(data.shape.begin(), data.shape.begin() + axis);
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  int64_t outer = product(
      std::vector<int64_t>(data.shape.begin(), data.shape.begin() + axis));
  int64_t inner = product(
      std::vector<int64_t>(data.shape.begin() + axis + 1, data.shape.end()));
  int64_t extent = data.shape[axis];
  Tensor r(data.dtype, shape);
  int64_t pos = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (double fi : indices.data) {
      int64_t i = static_cast<int64_t>(fi);
      if (i < 0)
        i += extent;
      std::copy_n(data.data.begin() + (o * extent + i) * inner, inner,
                  r.data.begin() + pos);
      pos += inner;
    }
  return r;
}

Tensor slice(const Tensor &x, const std::vector<int64_t> &starts,
             const std::vector<int64_t> &ends, const std::vector<int64_t> &axes,
             const std::vector<int64_t> &steps) {
  std::vector<int64_t> begin(x.rank(), 0), step(x.rank(), 1), shape = x.shape;
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = axes[i], dim = x.shape[a], s = steps[i];
    int64_t b = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (s > 0) {
      b = std::clamp<int64_t>(b, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      shape[a] = std::max<int64_t>(0, (e - b + s - 1) / s);
    } else {
      b = std::clamp<int64_t>(b, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      shape[a] = std::max<int64_t>(0, (b - e + (-s) - 1) / (-s));
    }
    begin[a] = b;
    step[a] = s;
  }
  Tensor r(x.dtype, shape);
  std::vector<int64_t> xs = x.strides(), idx(shape.size(), 0);
  for (int64_t n = 0; n < r.numel(); ++n) {
    int64_t off = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      off += (begin[d] + idx[d] * step[d]) * xs[d];
    r.data[n] = x.data[off];
    advance(idx, shape);
  }
  return r;
}

} // namespace qnnc::ref
