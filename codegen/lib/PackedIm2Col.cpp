#include "qnn/Codegen/PackedIm2Col.h"
#include "Realize.h"

#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

namespace {
int unitBits(const ConvShape &s) { return int(convUnitBits(s.c)); }
/// Units per packed pixel (its stride: whole 64-bit words).
int pixelUnits(const ConvShape &s) {
  return int(wordsFor(s.c) * 64 / convUnitBits(s.c));
}
} // namespace

PackedIm2Col::PackedIm2Col(const ConvShape &s, int64_t panelWidth,
                           const Target &target)
    : shape(s), panelWidth(panelWidth), target(target),
      pixels(UInt(unitBits(s)), 4, "pixels") {
  const int unit = unitBits(s), perWord = 64 / unit;
  const int positionUnits = int(convPositionBits(s.c)) / unit;
  const int rowUnits = int(s.kh * s.kw) * positionUnits;
  const int ow = int(s.outW()), oh = int(s.outH());
  // Column words are viewed as `perWord` units each (both targets are
  // little-endian: unit `sub` holds the word's bits from sub * unit up), so
  // row unit r lands at bit r * unit of the column, where packConvWeights
  // put the same channels.
  Var sub("sub"), lane("lane"), word("word"), pnl("panel"), plane("plane");
  Var u("u");
  Expr n = pnl * int(panelWidth) + lane;
  Expr oy = n / ow, ox = n % ow;
  Expr position = u / positionUnits, channelUnit = u % positionUnits;
  Expr ky = position / int(s.kw), kx = position % int(s.kw);
  Expr iy = oy * int(s.strideY) - int(s.padTop) + ky * int(s.dilationY);
  Expr ix = ox * int(s.strideX) - int(s.padLeft) + kx * int(s.dilationX);
  Expr inside = u < rowUnits && n < ow * oh && iy >= 0 && iy < int(s.h) &&
                ix >= 0 && ix < int(s.w);
  if (convBitFields(s.c)) {
    buildBitFields();
    return;
  }
  Func row("im2col_row");
  row(u, lane, pnl, plane) =
      select(inside,
             pixels(channelUnit, clamp(ix, 0, int(s.w) - 1),
                    clamp(iy, 0, int(s.h) - 1), plane),
             cast(UInt(unit), 0));
  columns(sub, lane, word, pnl, plane) =
      row(word * perWord + sub, lane, pnl, plane);
  columns.bound(sub, 0, perWord)
      .bound(lane, 0, int(panelWidth))
      .bound(word, 0, int(wordsFor(s.gemmK())))
      .bound(plane, 0, s.activations.planes());
  columns.reorder(sub, lane, word, pnl, plane);
  if (unit != 32) {
    // One load and one store per column unit, straight from the pixels.
    // Whole words: this beat staging rows on AlexNet's convs 3-5. 8- and
    // 16-bit units: LLVM vectorized staged rows with AVX512-FP16 moves on
    // the sapphirerapids target (see Fp16Guard.h); their speed was not
    // measured.
    row.compute_inline();
    columns.unroll(sub);
  } else {
    // 32-bit units: each panel's rows are built first, position by position,
    // with the lanes (output pixels) vectorized and their pixel reads
    // gathered. The loops over (ky, kx, channel unit) make every index a
    // loop variable (no division per unit); the copy into the panel layout
    // is a transposition of whole vectors. AlexNet conv2: 215 -> 80 us on
    // Zen 5. Rows start at unit 0 and span whole kernel rows, so the splits
    // have no tails.
    const int words = int(wordsFor(s.gemmK()));
    const int kernelRowUnits = int(s.kw) * positionUnits;
    const int rowExtent = (words * perWord + kernelRowUnits - 1) /
                          kernelRowUnits * kernelRowUnits;
    const int vector = target.natural_vector_size(UInt(unit));
    Var ky_("ky"), kx_("kx"), cu("cu"), f("f");
    row.compute_at(columns, pnl)
        .bound(u, 0, rowExtent)
        .bound_extent(lane, int(panelWidth))
        .reorder_storage(lane, u)
        .split(u, u, cu, positionUnits)
        .split(u, ky_, kx_, int(s.kw))
        .reorder(lane, cu, kx_, ky_)
        .vectorize(lane, std::min(vector, int(panelWidth)));
    // Unrolled where the body stays small.
    if (positionUnits <= 16)
      row.unroll(cu);
    if (kernelRowUnits <= 32)
      row.unroll(kx_);
    columns.fuse(sub, lane, f)
        .vectorize(f, std::min(vector, int(panelWidth) * perWord));
  }
  boundPixels();
}

void PackedIm2Col::boundPixels() {
  const ConvShape &s = shape;
  // Dense packed pixels (packPixels): constant strides fold every address
  // into the loop variables.
  const int units = pixelUnits(s);
  pixels.dim(0).set_bounds(0, units).dim(1).set_bounds(0, int(s.w));
  pixels.dim(2)
      .set_bounds(0, int(s.h))
      .dim(3)
      .set_bounds(0, s.activations.planes());
  pixels.dim(1).set_stride(units).dim(2).set_stride(units * int(s.w));
  pixels.dim(3).set_stride(units * int(s.w * s.h));
}

void PackedIm2Col::buildBitFields() {
  // Kernel position p's C channels are bits [p * C, p * C + C) of the column
  // (packConvWeights puts the weights there): each column word ORs the
  // fields overlapping it, shifted left, or right for the one that began in
  // the word before. A pixel's bits past C are zero, so a field is its whole
  // word.
  const ConvShape &s = shape;
  const int c = int(s.c), positions = int(s.kh * s.kw);
  const int ow = int(s.outW()), oh = int(s.outH());
  // Fields overlapping one word: the first starts at most C - 1 bits before.
  RDom r(0, (64 + 2 * c - 2) / c, "r");
  Var sub("sub"), lane("lane"), word("word"), pnl("panel"), plane("plane");
  Expr n = pnl * int(panelWidth) + lane;
  Expr oy = n / ow, ox = n % ow;
  Expr p = word * 64 / c + r;
  Expr offset = p * c - word * 64;
  Expr ky = p / int(s.kw), kx = p % int(s.kw);
  Expr iy = oy * int(s.strideY) - int(s.padTop) + ky * int(s.dilationY);
  Expr ix = ox * int(s.strideX) - int(s.padLeft) + kx * int(s.dilationX);
  Expr inside = p < positions && offset < 64 && n < ow * oh && iy >= 0 &&
                iy < int(s.h) && ix >= 0 && ix < int(s.w);
  Expr field =
      pixels(0, clamp(ix, 0, int(s.w) - 1), clamp(iy, 0, int(s.h) - 1), plane);
  Expr placed = select(offset >= 0, field << cast<uint64_t>(max(offset, 0)),
                       field >> cast<uint64_t>(max(-offset, 0)));
  Func fields("im2col_fields");
  fields(lane, word, pnl, plane) = cast<uint64_t>(0);
  fields(lane, word, pnl, plane) = fields(lane, word, pnl, plane) |
                                   select(inside, placed, cast<uint64_t>(0));
  columns(sub, lane, word, pnl, plane) = fields(lane, word, pnl, plane);
  columns.bound(sub, 0, 1)
      .bound(lane, 0, int(panelWidth))
      .bound(word, 0, int(wordsFor(s.gemmK())))
      .bound(plane, 0, s.activations.planes());
  // The output pixels of a panel in vector lanes, the fields unrolled.
  const int vector =
      std::min(int(panelWidth), target.natural_vector_size<uint64_t>());
  columns.reorder(sub, lane, word, pnl, plane)
      .vectorize(lane, vector, TailStrategy::GuardWithIf);
  fields.compute_at(columns, word)
      .vectorize(lane, vector, TailStrategy::GuardWithIf);
  fields.update()
      .reorder(lane, r)
      .vectorize(lane, vector, TailStrategy::GuardWithIf)
      .unroll(r);
  boundPixels();
}

std::vector<uint64_t> PackedIm2Col::run(const std::vector<uint64_t> &packed) {
  std::vector<uint64_t> out;
  run(packed, out);
  return out;
}

void PackedIm2Col::run(const std::vector<uint64_t> &packed,
                       std::vector<uint64_t> &out) {
  const Type unit = UInt(unitBits(shape));
  Buffer<> in(unit, const_cast<uint64_t *>(packed.data()),
              {pixelUnits(shape), int(shape.w), int(shape.h),
               shape.activations.planes()});
  pixels.set(in);
  int64_t n = shape.outH() * shape.outW();
  int64_t words = wordsFor(shape.gemmK()),
          panels = (n + panelWidth - 1) / panelWidth;
  out.resize(std::size_t(shape.activations.planes()) * panels * words *
             panelWidth);
  Buffer<> result(unit, out.data(),
                  {64 / unit.bits(), int(panelWidth), int(words), int(panels),
                   shape.activations.planes()});
  realizeInto(columns, result, target);
}

void PackedIm2Col::compileTo(const KernelOutputs &files,
                             const std::string &name) {
  compileOutputs(columns, {pixels}, files, name, target);
}

} // namespace qnnc::codegen
