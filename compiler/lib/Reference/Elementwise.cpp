//===- Elementwise.cpp - Broadcasting arithmetic and rounding -------------===//

#include "qnn/Reference/TensorOps.h"

#include <cmath>

namespace qnnc::ref {

bool parseRounding(const std::string &name, Rounding &out) {
  if (name == "ROUND")
    out = Rounding::HalfEven;
  else if (name == "CEIL")
    out = Rounding::Ceil;
  else if (name == "FLOOR")
    out = Rounding::Floor;
  else if (name == "ROUND_TO_ZERO")
    out = Rounding::TowardZero;
  else
    return false;
  return true;
}

double roundWith(Rounding mode, double v) {
  switch (mode) {
  case Rounding::HalfEven:
    return std::nearbyint(
        v); // default FE_TONEAREST: ties to even, like numpy.round
  case Rounding::Ceil:
    return std::ceil(v);
  case Rounding::Floor:
    return std::floor(v);
  case Rounding::TowardZero:
    return std::trunc(v);
  }
  return v;
}

Tensor broadcastBinary(const Tensor &a, const Tensor &b, DType out,
                       const std::function<double(double, double)> &fn) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  auto padded = [&](const Tensor &t) {
    std::vector<int64_t> s(rank - t.shape.size(), 1);
    s.insert(s.end(), t.shape.begin(), t.shape.end());
    return s;
  };
  std::vector<int64_t> sa = padded(a), sb = padded(b), shape(rank);
  for (size_t i = 0; i < rank; ++i)
    shape[i] = sa[i] == 1 ? sb[i] : sa[i];
  Tensor r(out, shape);
  // Strides with 0 on broadcast dimensions.
  auto bstrides = [&](const std::vector<int64_t> &s) {
    std::vector<int64_t> st(rank, 0);
    int64_t acc = 1;
    for (int64_t i = rank - 1; i >= 0; --i) {
      st[i] = s[i] == 1 ? 0 : acc;
      acc *= s[i];
    }
    return st;
  };
  std::vector<int64_t> ta = bstrides(sa), tb = bstrides(sb), idx(rank, 0);
  for (int64_t n = 0; n < r.numel(); ++n) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia += idx[d] * ta[d];
      ib += idx[d] * tb[d];
    }
    r.data[n] = castTo(out, fn(a.data[ia], b.data[ib]));
    advance(idx, shape);
  }
  return r;
}

Tensor unary(const Tensor &x, DType out,
             const std::function<double(double)> &fn) {
  Tensor r(out, x.shape);
  for (int64_t i = 0; i < x.numel(); ++i)
    r.data[i] = castTo(out, fn(x.data[i]));
  return r;
}

Tensor add(const Tensor &a, const Tensor &b) {
  return broadcastBinary(a, b, a.dtype,
                         [](double x, double y) { return x + y; });
}

Tensor sub(const Tensor &a, const Tensor &b) {
  return broadcastBinary(a, b, a.dtype,
                         [](double x, double y) { return x - y; });
}

Tensor mul(const Tensor &a, const Tensor &b) {
  return broadcastBinary(a, b, a.dtype,
                         [](double x, double y) { return x * y; });
}

Tensor div(const Tensor &a, const Tensor &b) {
  if (isFloat(a.dtype))
    return broadcastBinary(a, b, a.dtype,
                           [](double x, double y) { return x / y; });
  return broadcastBinary(a, b, a.dtype, [](double x, double y) {
    return y == 0 ? 0.0 : std::trunc(x / y);
  });
}

Tensor batchNorm(const Tensor &x, const Tensor &scale, const Tensor &bias,
                 const Tensor &mean, const Tensor &var, double epsilon) {
  Tensor r(x.dtype, x.shape);
  int64_t channels = x.shape[1];
  int64_t inner =
      product(std::vector<int64_t>(x.shape.begin() + 2, x.shape.end()));
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t c = (i / inner) % channels;
    double v = (x.data[i] - mean.data[c]) / std::sqrt(var.data[c] + epsilon);
    r.data[i] = castTo(x.dtype, v * scale.data[c] + bias.data[c]);
  }
  return r;
}

} // namespace qnnc::ref
