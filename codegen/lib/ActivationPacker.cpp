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
    // Only the first step bounds rows; it covers the real columns only, in
    // whole vectors (the last one shifted inwards), so its loads never need a
    // per-lane column check, which made them gathers; the padding columns of
    // the last panel are zeros added in the second.
    Func inRows = BoundaryConditions::constant_exterior(
        input, cast<int8_t>(0), {{Expr(), Expr()}, {0, int(k)}});
    // Bit t of row byte j, plane p, is bit p of row 8j + t's code, moved by
    // one shift and masked (an AND that LLVM fuses with the OR into a
    // VPTERNLOG); bipolar codes are one compare and a masked byte each.
    auto rowByte = [&](Func rows, Expr c, Expr j, Expr p) {
      Expr bits = cast<uint8_t>(0);
      for (int t = 0; t < 8; ++t) {
        Expr x = rows(c, 8 * j + t);
        Expr bit;
        if (op.encoding == Encoding::Bipolar) {
          bit = select(x > 0, cast<uint8_t>(1 << t), cast<uint8_t>(0));
        } else {
          Expr code = cast<uint8_t>(x);
          for (int q = op.planes() - 1; q >= 0; --q) {
            Expr moved = t >= q ? code << cast<uint8_t>(t - q)
                                : code >> cast<uint8_t>(q - t);
            Expr b = moved & cast<uint8_t>(1 << t);
            bit = bit.defined() ? select(p == q, b, bit) : b;
          }
        }
        bits = bits | bit;
      }
      return bits;
    };
    // Byte rows inside K read the input with no row check, which LLVM had
    // kept as a branch per row and vector of columns; the byte rows past the
    // last whole one (rows off K read zero) are rewritten with the check.
    // 363 x 3025, with the GEMM: 1-2 % faster, 1 and 2 bits.
    Func rowBits("row_bits");
    Var j("j");
    const int64_t wholeBytes = k / 8, byteRows = 8 * wordsFor(k);
    if (wholeBytes == 0) {
      rowBits(c, j, plane) = rowByte(inRows, c, j, plane);
    } else {
      rowBits(c, j, plane) =
          rowByte(input, c, min(j, int(wholeBytes) - 1), plane);
      if (wholeBytes < byteRows) {
        RDom tail(int(wholeBytes), int(byteRows - wholeBytes), "tail");
        rowBits(c, tail, plane) = rowByte(inRows, c, tail, plane);
      }
    }
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
    if (rowBits.num_update_definitions()) {
      rowBits.update().reorder(c, plane).unroll(plane);
      // Updates may not shift inwards; the guard is per row and only for
      // the few byte rows of the tail.
      if (n >= bytes)
        rowBits.update().vectorize(c, bytes, TailStrategy::GuardWithIf);
    }
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
