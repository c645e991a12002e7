#include "qnn/Codegen/ActivationPacker.h"
#include "Realize.h"

#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

ActivationPacker::ActivationPacker(int64_t k, int64_t n, int64_t panelWidth,
                                   const Operand &op, const Target &target)
    : k(k), n(n), panelWidth(panelWidth), op(op), target(target) {
  // ---- Algorithm ----
  Var lane("lane"), kw("kw"), pnl("panel"), plane("plane");
  // Rows and columns past the matrix read 0, whose code is all-zero bits in
  // every encoding (bipolar encodes v > 0 as 1), so padding adds nothing to the
  // popcounts.
  Func value = BoundaryConditions::constant_exterior(input, cast<int8_t>(0));
  Func code("code");
  Var c("c"), r("r");
  if (op.encoding == Encoding::Bipolar)
    code(c, r) = cast<uint64_t>(value(c, r) > 0);
  else
    code(c, r) = cast<uint64_t>(cast<uint8_t>(value(c, r)));
  RDom bit(0, 64, "bit");
  Expr column = pnl * int(panelWidth) + lane;
  packed(lane, kw, pnl, plane) = cast<uint64_t>(0);
  // Each bit lands in its own position, so the sum is the bitwise or.
  packed(lane, kw, pnl, plane) +=
      ((code(column, kw * 64 + bit) >> cast<uint64_t>(plane)) & 1)
      << cast<uint64_t>(bit);

  // ---- Schedule ----
  // Lanes are adjacent columns: contiguous int8 loads of one row, widened and
  // shifted into vector-wide words; the 64 rows of a word unrolled by 8.
  const int vector = std::max(1, target.natural_vector_size<uint64_t>());
  packed.bound(lane, 0, int(panelWidth)).bound(plane, 0, op.planes());
  if (panelWidth % vector == 0) {
    Var li("li");
    packed.vectorize(lane, vector);
    packed.update()
        .reorder(lane, bit, plane, kw, pnl)
        .split(lane, lane, li, vector)
        .vectorize(li)
        .unroll(bit, 8);
  } else {
    // Narrow panels (GEMV's single column): vectorize across words instead.
    packed.update().reorder(bit, lane, plane, kw, pnl).unroll(bit, 8);
  }
  input.dim(0).set_bounds(0, int(n)).dim(1).set_bounds(0, int(k));
}

std::vector<uint64_t> ActivationPacker::run(const std::vector<int8_t> &values) {
  std::vector<uint64_t> out;
  run(values, out);
  return out;
}

void ActivationPacker::run(const std::vector<int8_t> &values,
                           std::vector<uint64_t> &out) {
  int64_t kw = wordsFor(k), panels = (n + panelWidth - 1) / panelWidth;
  Buffer<int8_t> in(const_cast<int8_t *>(values.data()), int(n), int(k));
  input.set(in);
  out.resize(size_t(op.planes()) * panels * kw * panelWidth);
  Buffer<uint64_t> result(out.data(), int(panelWidth), int(kw), int(panels),
                          op.planes());
  realizeInto(packed, result, target);
}

void ActivationPacker::compileToAssembly(const std::string &path,
                                         const std::string &name) {
  packed.compile_to_assembly(path, {input}, name, target);
}

} // namespace qnnc::codegen
