#include "qnn/Codegen/PackedMaxPool.h"
#include "Realize.h"

#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

PackedMaxPool::PackedMaxPool(const PoolShape &s, const Operand &op,
                             const Target &target)
    : shape(s), target(target) {
  if (op.planes() != 1)
    throw std::invalid_argument(
        "max pooling on packed words needs one-bit activations");
  const int cw = int(wordsFor(s.c));
  Var word("word"), x("x"), y("y");
  RDom win(0, int(s.kw), 0, int(s.kh), "window");
  Func padded =
      BoundaryConditions::constant_exterior(pixels, cast<uint64_t>(0));
  Expr ix = x * int(s.strideX) - int(s.padLeft) + win.x;
  Expr iy = y * int(s.strideY) - int(s.padTop) + win.y;
  pooled(word, x, y) = cast<uint64_t>(0);
  pooled(word, x, y) = pooled(word, x, y) | padded(word, ix, iy);
  // Words of a pixel are contiguous: vectorize across them when there are
  // enough.
  const int vector = std::max(1, target.natural_vector_size<uint64_t>());
  if (cw >= vector)
    pooled.update().vectorize(word, vector, TailStrategy::GuardWithIf);
  pixels.dim(0)
      .set_bounds(0, cw)
      .dim(1)
      .set_bounds(0, int(s.w))
      .dim(2)
      .set_bounds(0, int(s.h));
}

std::vector<uint64_t> PackedMaxPool::run(const std::vector<uint64_t> &packed) {
  const int cw = int(wordsFor(shape.c));
  Buffer<uint64_t> in(const_cast<uint64_t *>(packed.data()), cw, int(shape.w),
                      int(shape.h));
  pixels.set(in);
  std::vector<uint64_t> out(std::size_t(cw * shape.outW() * shape.outH()));
  Buffer<uint64_t> result(out.data(), cw, int(shape.outW()), int(shape.outH()));
  realizeInto(pooled, result, target);
  return out;
}

} // namespace qnnc::codegen
