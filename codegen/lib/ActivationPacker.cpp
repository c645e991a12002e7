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
  Var c("c"), r("r");
  const int vector = std::max(1, target.natural_vector_size<uint64_t>());
  Expr column = pnl * int(panelWidth) + lane;
  if (panelWidth % vector == 0) {
    // Two steps, both on contiguous loads. First each byte of a column
    // collects the bits of 8 consecutive rows: one row of int8 values is one
    // vector of as many columns as bytes fit (64 with AVX-512), so a bit costs
    // a shift and an or per 64 columns instead of per 8. Then each word
    // gathers its column's 8 bytes (one widening load per byte position).
    // Only the first step bounds rows (a scalar test per row); it covers the
    // real columns only, in whole vectors (the last one shifted inwards), so
    // its loads never need a per-lane column check, which made them gathers;
    // the padding columns of the last panel are zeros added in the second.
    Func inRows = BoundaryConditions::constant_exterior(
        input, cast<int8_t>(0), {{Expr(), Expr()}, {0, int(k)}});
    Func code("code");
    if (op.encoding == Encoding::Bipolar)
      code(c, r) = select(inRows(c, r) > 0, cast<uint8_t>(1), cast<uint8_t>(0));
    else
      code(c, r) = cast<uint8_t>(inRows(c, r));
    Func rowBits("row_bits");
    Var j("j");
    Expr bits = cast<uint8_t>(0);
    for (int t = 0; t < 8; ++t)
      bits = bits | (((code(c, 8 * j + t) >> cast<uint8_t>(plane)) & 1)
                     << cast<uint8_t>(t));
    rowBits(c, j, plane) = bits;
    Func columns = BoundaryConditions::constant_exterior(
        rowBits, cast<uint8_t>(0),
        {{0, int(n)}, {Expr(), Expr()}, {Expr(), Expr()}});
    Expr word = cast<uint64_t>(0);
    for (int b = 0; b < 8; ++b)
      word = word | (cast<uint64_t>(columns(column, 8 * kw + b, plane))
                     << uint64_t(8 * b));
    packed(lane, kw, pnl, plane) = word;

    const int bytes = std::max(1, target.natural_vector_size<uint8_t>());
    // All planes of a vector of columns from one load of its 8 rows.
    rowBits.compute_root()
        .bound(c, 0, int(n))
        .bound(plane, 0, op.planes())
        .reorder(c, plane, j)
        .unroll(plane);
    if (n >= bytes)
      rowBits.vectorize(c, bytes, TailStrategy::ShiftInwards);
    packed.vectorize(lane, vector);
  } else {
    // Narrow panels (GEMV's single column): each word reduced over its 64
    // rows, vectorized across words.
    Func value = BoundaryConditions::constant_exterior(input, cast<int8_t>(0));
    Func code("code");
    if (op.encoding == Encoding::Bipolar)
      code(c, r) = cast<uint64_t>(value(c, r) > 0);
    else
      code(c, r) = cast<uint64_t>(cast<uint8_t>(value(c, r)));
    RDom bit(0, 64, "bit");
    packed(lane, kw, pnl, plane) = cast<uint64_t>(0);
    // Each bit lands in its own position, so the sum is the bitwise or.
    packed(lane, kw, pnl, plane) +=
        ((code(column, kw * 64 + bit) >> cast<uint64_t>(plane)) & 1)
        << cast<uint64_t>(bit);
    packed.update().reorder(bit, lane, plane, kw, pnl).unroll(bit, 8);
  }
  packed.bound(lane, 0, int(panelWidth)).bound(plane, 0, op.planes());
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
