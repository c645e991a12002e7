#include "qnn/Codegen/PackedMaxPool.h"
#include "Realize.h"

#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

PackedMaxPool::PackedMaxPool(const PoolShape &s, const Operand &op,
                             const Target &target)
    : shape(s), target(target), planes(op.planes()) {
  if (op.encoding == Encoding::TwosComplement)
    throw std::invalid_argument(
        "max pooling on packed words needs unsigned or bipolar activations");
  const int cw = int(wordsFor(s.c));
  Var word("word"), x("x"), y("y"), plane("plane");
  const bool inside = s.padTop == 0 && s.padLeft == 0 &&
                      (s.outH() - 1) * s.strideY + s.kh <= s.h &&
                      (s.outW() - 1) * s.strideX + s.kw <= s.w;
  Func padded =
      inside ? Func(pixels)
             : BoundaryConditions::constant_exterior(pixels, cast<uint64_t>(0));
  // The window is unrolled at construction: per position, the running maximum
  // of each plane. For 64 lanes at once: a lane of B beats the running max A
  // where, from the top plane down, the first differing plane has B's bit set.
  std::vector<Expr> best;
  for (int ky = 0; ky < int(s.kh); ++ky)
    for (int kx = 0; kx < int(s.kw); ++kx) {
      Expr ix = x * int(s.strideX) - int(s.padLeft) + kx;
      Expr iy = y * int(s.strideY) - int(s.padTop) + ky;
      std::vector<Expr> next;
      for (int p = 0; p < planes; ++p)
        next.push_back(padded(word, ix, iy, p));
      if (best.empty()) {
        best = next;
        continue;
      }
      if (planes == 1) {
        best[0] = best[0] | next[0];
        continue;
      }
      Expr greater = cast<uint64_t>(0), equal = ~cast<uint64_t>(0);
      for (int p = planes - 1; p >= 0; --p) {
        greater = greater | (equal & next[p] & ~best[p]);
        equal = equal & ~(next[p] ^ best[p]);
      }
      for (int p = 0; p < planes; ++p)
        best[p] = (next[p] & greater) | (best[p] & ~greater);
    }
  pooled(word, x, y, plane) = planes == 1 ? best[0] : mux(plane, best);
  // Words of a pixel are contiguous: vectorize across them when there are
  // enough.
  const int vector = std::max(1, target.natural_vector_size<uint64_t>());
  pooled.bound(plane, 0, planes).unroll(plane);
  if (cw >= vector) {
    pooled.vectorize(word, vector, TailStrategy::GuardWithIf);
  } else if (cw == 1 && s.outW() >= vector) {
    // One word per pixel (up to 64 channels): a vector of output pixels, each
    // window position one strided load.
    pooled.vectorize(x, vector, TailStrategy::ShiftInwards);
  }
  pixels.dim(0).set_bounds(0, cw).dim(1).set_bounds(0, int(s.w));
  pixels.dim(2).set_bounds(0, int(s.h)).dim(3).set_bounds(0, planes);
}

std::vector<uint64_t> PackedMaxPool::run(const std::vector<uint64_t> &packed) {
  const int cw = int(wordsFor(shape.c));
  Buffer<uint64_t> in(const_cast<uint64_t *>(packed.data()), cw, int(shape.w),
                      int(shape.h), planes);
  pixels.set(in);
  std::vector<uint64_t> out(
      std::size_t(cw * shape.outW() * shape.outH() * planes));
  Buffer<uint64_t> result(out.data(), cw, int(shape.outW()), int(shape.outH()),
                          planes);
  realizeInto(pooled, result, target);
  return out;
}

void PackedMaxPool::compileTo(const KernelOutputs &files,
                              const std::string &name) {
  compileOutputs(pooled, {pixels}, files, name, target);
}

} // namespace qnnc::codegen
