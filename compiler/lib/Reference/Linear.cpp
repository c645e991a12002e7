//===- Linear.cpp - MatMul, Gemm and convolution --------------------------===//
//
// Accumulation is in double: exact for every integer path qnnc produces (|sum|
// < 2^53), and for float models at least as accurate as any single-precision
// kernel.
//
//===----------------------------------------------------------------------===//

#include "qnn/Reference/TensorOps.h"

namespace qnnc::ref {

Tensor matmul(const Tensor &a, const Tensor &b, DType out) {
  std::vector<int64_t> sa = a.shape, sb = b.shape;
  bool vecA = sa.size() == 1, vecB = sb.size() == 1;
  if (vecA)
    sa.insert(sa.begin(), 1);
  if (vecB)
    sb.push_back(1);
  int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  std::vector<int64_t> batchA(sa.begin(), sa.end() - 2),
      batchB(sb.begin(), sb.end() - 2);
  // Broadcast batch dimensions by index arithmetic on a tensor of batch
  // numbers.
  Tensor ia(DType::F64, batchA), ib(DType::F64, batchB);
  for (int64_t i = 0; i < ia.numel(); ++i)
    ia.data[i] = i;
  for (int64_t i = 0; i < ib.numel(); ++i)
    ib.data[i] = i;
  Tensor ba =
      broadcastBinary(ia, ib, DType::F64, [](double x, double) { return x; });
  Tensor bb =
      broadcastBinary(ia, ib, DType::F64, [](double, double y) { return y; });
  std::vector<int64_t> shape = ba.shape;
  if (!vecA)
    shape.push_back(m);
  if (!vecB)
    shape.push_back(n);
  Tensor r(out, shape);
  for (int64_t batch = 0; batch < ba.numel(); ++batch) {
    const double *pa =
        a.data.data() + static_cast<int64_t>(ba.data[batch]) * m * k;
    const double *pb =
        b.data.data() + static_cast<int64_t>(bb.data[batch]) * k * n;
    double *pr = r.data.data() + batch * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < k; ++p)
          acc += pa[i * k + p] * pb[p * n + j];
        pr[i * n + j] = castTo(out, acc);
      }
  }
  return r;
}

Tensor gemm(const Tensor &a, const Tensor &b, const Tensor *c, double alpha,
            double beta, bool transA, bool transB) {
  int64_t m = transA ? a.shape[1] : a.shape[0],
          k = transA ? a.shape[0] : a.shape[1];
  int64_t n = transB ? b.shape[0] : b.shape[1];
  Tensor r(a.dtype, {m, n});
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (int64_t p = 0; p < k; ++p)
        acc += a.data[transA ? p * m + i : i * k + p] *
               b.data[transB ? j * k + p : p * n + j];
      r.data[i * n + j] = alpha * acc;
    }
  if (c) {
    Tensor scaled = unary(*c, DType::F64, [&](double v) { return beta * v; });
    r = broadcastBinary(r, scaled, a.dtype,
                        [](double x, double y) { return x + y; });
  } else {
    r = unary(r, a.dtype, [](double v) { return v; });
  }
  return r;
}

Tensor conv(const Tensor &x, const Tensor &w, const Tensor *bias,
            const ConvParams &p, DType out,
            const std::vector<int64_t> &outShape) {
  int64_t spatial = x.rank() - 2;
  int64_t batch = x.shape[0], inC = x.shape[1], outC = w.shape[0];
  int64_t cPerGroup = inC / p.group, mPerGroup = outC / p.group;
  std::vector<int64_t> xs = x.strides(), ws = w.strides(),
                       os(outShape.size(), 1);
  for (int64_t i = outShape.size() - 2; i >= 0; --i)
    os[i] = os[i + 1] * outShape[i + 1];
  int64_t outSpatial =
      product(std::vector<int64_t>(outShape.begin() + 2, outShape.end()));
  int64_t kernelSize =
      product(std::vector<int64_t>(w.shape.begin() + 2, w.shape.end()));
  Tensor r(out, outShape);
  std::vector<int64_t> opos(spatial), kpos(spatial);
  for (int64_t nb = 0; nb < batch; ++nb)
    for (int64_t m = 0; m < outC; ++m) {
      int64_t g = m / mPerGroup;
      for (int64_t o = 0; o < outSpatial; ++o) {
        for (int64_t d = 0, rem = o; d < spatial; ++d) {
          opos[d] = rem / os[2 + d];
          rem %= os[2 + d];
        }
        double acc = bias ? bias->data[m] : 0.0;
        for (int64_t c = 0; c < cPerGroup; ++c)
          for (int64_t kk = 0; kk < kernelSize; ++kk) {
            int64_t xoff = nb * xs[0] + (g * cPerGroup + c) * xs[1];
            bool inside = true;
            for (int64_t d = 0, rem = kk; d < spatial; ++d) {
              kpos[d] = rem / ws[2 + d];
              rem %= ws[2 + d];
              int64_t pos =
                  opos[d] * p.strides[d] + kpos[d] * p.dilations[d] - p.pads[d];
              if (pos < 0 || pos >= x.shape[2 + d]) {
                inside = false;
                break;
              }
              xoff += pos * xs[2 + d];
            }
            if (inside)
              acc += x.data[xoff] * w.data[m * ws[0] + c * ws[1] + kk];
          }
        r.data[nb * os[0] + m * os[1] + o] = castTo(out, acc);
      }
    }
  return r;
}

} // namespace qnnc::ref
