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
    auto word = [&](Func bytesOf, Expr l, Expr w, Expr p, Expr q) {
      Expr result = cast<uint64_t>(0);
      for (int b = 0; b < 8; ++b)
        result = result |
                 (cast<uint64_t>(bytesOf(p * int(panelWidth) + l, 8 * w + b, q))
                  << uint64_t(8 * b));
      return result;
    };
    // Whole panels read their 8 bytes per word as dense vector loads. A
    // per-lane column check made every word a gather of 8 bytes (vpinsrb),
    // three quarters of the packer's time; the panel is clamped instead (one
    // scalar per panel), and the last, partial panel is then rewritten with
    // the check.
    const int64_t whole = n / panelWidth;
    RDom last(0, int(panelWidth), 0, int(wordsFor(k)), 0, op.planes());
    Func columns = BoundaryConditions::constant_exterior(
        rowBits, cast<uint8_t>(0),
        {{0, int(n)}, {Expr(), Expr()}, {Expr(), Expr()}});
    if (whole == 0) {
      packed(lane, kw, pnl, plane) = word(columns, lane, kw, pnl, plane);
    } else {
      packed(lane, kw, pnl, plane) =
          word(rowBits, lane, kw, min(pnl, int(whole) - 1), plane);
      if (whole * panelWidth < n)
        packed(last.x, last.y, int(whole), last.z) =
            word(columns, last.x, last.y, Expr(int(whole)), last.z);
    }

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
    if (packed.num_update_definitions())
      packed.update().vectorize(last.x, vector);
  } else {
    // Narrow panels (GEMV's single column): each word ors its 64 rows'
    // bits, vectorized across words. As a reduction over an RDom the words
    // were computed one at a time: 1-bit 4,096 rows took 2.0 us, now 0.6.
    Func columns = BoundaryConditions::constant_exterior(
        input, cast<int8_t>(0), {{0, int(n)}, {Expr(), Expr()}});
    Func value = BoundaryConditions::constant_exterior(input, cast<int8_t>(0));
    auto word = [&](Func in, Expr l, Expr w, Expr p, Expr q) {
      Expr result = cast<uint64_t>(0);
      for (int b = 0; b < 64; ++b) {
        Expr v = in(p * int(panelWidth) + l, w * 64 + b);
        Expr bit =
            op.encoding == Encoding::Bipolar
                ? cast<uint64_t>(v > 0)
                : cast<uint64_t>((cast<uint8_t>(v) >> cast<uint8_t>(q)) & 1);
        result = result | (bit << uint64_t(b));
      }
      return result;
    };
    // Words inside K read their rows with no bounds check (a check per row
    // made the compilation 3x slower); the last, partial word is clamped onto
    // the one before it, then rewritten with the check.
    const int64_t whole = k / 64;
    RDom last(0, int(panelWidth), 0, op.planes());
    if (whole == 0) {
      packed(lane, kw, pnl, plane) = word(value, lane, kw, pnl, plane);
    } else {
      packed(lane, kw, pnl, plane) =
          word(columns, lane, min(kw, int(whole) - 1), pnl, plane);
      if (whole < wordsFor(k))
        packed(last.x, int(whole), pnl, last.y) =
            word(value, last.x, Expr(int(whole)), pnl, last.y);
    }
    // Planes unrolled inside a vector of words would share its gathers
    // (2-bit 4,096 rows 1.9 -> 1.4 us) but took 14 s to compile with 4 planes.
    packed.reorder(kw, plane, lane, pnl);
    if (wordsFor(k) >= vector)
      packed.vectorize(kw, vector, TailStrategy::ShiftInwards);
    if (packed.num_update_definitions())
      packed.update().unscheduled();
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
