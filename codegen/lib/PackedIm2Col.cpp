#include "qnn/Codegen/PackedIm2Col.h"
#include "Realize.h"

#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

PackedIm2Col::PackedIm2Col(const ConvShape &s, int64_t panelWidth,
                           const Target &target)
    : shape(s), panelWidth(panelWidth), target(target) {
  const int cw = int(wordsFor(s.c)), ow = int(s.outW()), oh = int(s.outH());
  Var lane("lane"), word("word"), pnl("panel"), plane("plane");
  Expr n = pnl * int(panelWidth) + lane;
  Expr oy = n / ow, ox = n % ow;
  Expr position = word / cw, channelWord = word % cw;
  Expr ky = position / int(s.kw), kx = position % int(s.kw);
  Expr iy = oy * int(s.strideY) - int(s.padTop) + ky * int(s.dilationY);
  Expr ix = ox * int(s.strideX) - int(s.padLeft) + kx * int(s.dilationX);
  Expr inside =
      n < ow * oh && iy >= 0 && iy < int(s.h) && ix >= 0 && ix < int(s.w);
  columns(lane, word, pnl, plane) =
      select(inside,
             pixels(channelWord, clamp(ix, 0, int(s.w) - 1),
                    clamp(iy, 0, int(s.h) - 1), plane),
             cast<uint64_t>(0));
  // Whole words move: one gather per output word; lanes are adjacent output
  // pixels.
  columns.bound(lane, 0, int(panelWidth))
      .bound(plane, 0, s.activations.planes());
  columns.reorder(lane, word, pnl, plane);
  pixels.dim(0).set_bounds(0, cw).dim(1).set_bounds(0, int(s.w));
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
  const int cw = int(wordsFor(shape.c));
  Buffer<uint64_t> in(const_cast<uint64_t *>(packed.data()), cw, int(shape.w),
                      int(shape.h), shape.activations.planes());
  pixels.set(in);
  int64_t n = shape.outH() * shape.outW();
  int64_t words = wordsFor(shape.gemmK()),
          panels = (n + panelWidth - 1) / panelWidth;
  out.resize(std::size_t(shape.activations.planes()) * panels * words *
             panelWidth);
  Buffer<uint64_t> result(out.data(), int(panelWidth), int(words), int(panels),
                          shape.activations.planes());
  realizeInto(columns, result, target);
}

void PackedIm2Col::compileTo(const KernelOutputs &files,
                             const std::string &name) {
  compileOutputs(columns, {pixels}, files, name, target);
}

} // namespace qnnc::codegen
