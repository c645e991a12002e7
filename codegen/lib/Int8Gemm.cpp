#include "qnn/Codegen/Int8Gemm.h"
#include "Realize.h"

#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

Int8Gemm::Int8Gemm(const Int8GemmShape &s, int rows, const Target &target)
    : shape(s), target(target) {
  // ---- Algorithm ----
  Var n("n"), m("m");
  RDom r(0, int(s.k), "r");
  Func acc("acc"), rowSum("row_sum");
  // Full register tiles read the last row/column again past the edges (never
  // stored).
  Expr row = clamp(m, 0, int(s.m) - 1), col = clamp(n, 0, int(s.n) - 1);
  acc(n, m) = 0;
  acc(n, m) +=
      cast<int32_t>(weights(r, row)) * cast<int32_t>(activations(col, r));
  rowSum(m) = 0;
  rowSum(m) += cast<int32_t>(weights(r, m));
  output(n, m) = acc(n, m) - int32_t(s.activationZeroPoint) * rowSum(m);

  // ---- Schedule ---- rows x 2 vectors of int32 columns per register tile, K
  // innermost outside the tile body: each step broadcasts `rows` weights and
  // loads 2 activation vectors.
  const int vector = std::max(1, target.natural_vector_size<int32_t>());
  Var no("no"), ni("ni"), mo("mo"), mi("mi"), ni2("ni2");
  output.bound(n, 0, int(s.n)).bound(m, 0, int(s.m));
  output.split(n, no, ni, 2 * vector, TailStrategy::GuardWithIf)
      .split(m, mo, mi, rows, TailStrategy::GuardWithIf)
      .reorder(ni, mi, no, mo)
      .vectorize(ni, vector)
      .unroll(mi);
  acc.compute_at(output, no)
      .bound_extent(n, 2 * vector)
      .bound_extent(m, rows)
      .vectorize(n, vector)
      .unroll(m);
  acc.update()
      .reorder(n, m, r)
      .split(n, n, ni2, vector)
      .vectorize(ni2)
      .unroll(n)
      .unroll(m);
  rowSum.compute_root();
  weights.dim(0).set_bounds(0, int(s.k)).dim(1).set_bounds(0, int(s.m));
  activations.dim(0).set_bounds(0, int(s.n)).dim(1).set_bounds(0, int(s.k));
}

std::vector<int32_t> Int8Gemm::run(const std::vector<int8_t> &w,
                                   const std::vector<uint8_t> &a) {
  Buffer<int8_t> wb(const_cast<int8_t *>(w.data()), int(shape.k), int(shape.m));
  Buffer<uint8_t> ab(const_cast<uint8_t *>(a.data()), int(shape.n),
                     int(shape.k));
  weights.set(wb);
  activations.set(ab);
  std::vector<int32_t> out(std::size_t(shape.m * shape.n));
  Buffer<int32_t> ob(out.data(), int(shape.n), int(shape.m));
  realizeInto(output, ob, target);
  return out;
}

} // namespace qnnc::codegen
