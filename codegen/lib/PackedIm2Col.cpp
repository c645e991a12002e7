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
  Expr n = pnl * int(panelWidth) + lane;
  Expr oy = n / ow, ox = n % ow;
  Expr r = word * perWord + sub;
  Expr position = r / positionUnits, channelUnit = r % positionUnits;
  Expr ky = position / int(s.kw), kx = position % int(s.kw);
  Expr iy = oy * int(s.strideY) - int(s.padTop) + ky * int(s.dilationY);
  Expr ix = ox * int(s.strideX) - int(s.padLeft) + kx * int(s.dilationX);
  Expr inside = r < rowUnits && n < ow * oh && iy >= 0 && iy < int(s.h) &&
                ix >= 0 && ix < int(s.w);
  columns(sub, lane, word, pnl, plane) =
      select(inside,
             pixels(channelUnit, clamp(ix, 0, int(s.w) - 1),
                    clamp(iy, 0, int(s.h) - 1), plane),
             cast(UInt(unit), 0));
  // Whole units move: one gather per output unit; lanes are adjacent output
  // pixels.
  columns.bound(sub, 0, perWord)
      .bound(lane, 0, int(panelWidth))
      .bound(plane, 0, s.activations.planes());
  columns.reorder(sub, lane, word, pnl, plane).unroll(sub);
  pixels.dim(0).set_bounds(0, pixelUnits(s)).dim(1).set_bounds(0, int(s.w));
  pixels.dim(2)
      .set_bounds(0, int(s.h))
      .dim(3)
      .set_bounds(0, s.activations.planes());
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
