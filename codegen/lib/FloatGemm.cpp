#include "qnn/Codegen/FloatGemm.h"
#include "Realize.h"

using namespace Halide;

namespace qnnc::codegen {

FloatGemm::FloatGemm(int64_t n, int64_t k, int64_t m, const Target &target)
    : n(n), k(k), m(m), target(target) {
  // ---- Algorithm ----
  Var o("o"), col("col");
  RDom r(0, int(k), "r");
  Func acc("acc");
  acc(o, col) = cast<double>(0);
  // A product of two f32 is exact in f64, so contracting it into an FMA
  // changes nothing; the sum order (k ascending) is the reference's.
  acc(o, col) += cast<double>(input(r, col)) * cast<double>(weights(o, r));
  output(o, col) = cast<float>(acc(o, col));

  // ---- Schedule ----
  // Vectors of output channels: each step broadcasts one input value and
  // loads one contiguous weight vector; the accumulators stay in registers.
  const int vector = std::max(1, target.natural_vector_size<double>());
  Var oo("oo"), oi("oi");
  output.bound(o, 0, int(m)).bound(col, 0, int(n));
  output.split(o, oo, oi, vector * 4, TailStrategy::GuardWithIf)
      .vectorize(oi, vector);
  acc.compute_at(output, oo).vectorize(o, vector);
  acc.update().reorder(o, r).vectorize(o, vector);
  input.dim(0).set_bounds(0, int(k)).dim(1).set_bounds(0, int(n));
  weights.dim(0).set_bounds(0, int(m)).dim(1).set_bounds(0, int(k));
}

std::vector<float> FloatGemm::run(const std::vector<float> &in,
                                  const std::vector<float> &w) {
  Buffer<float> x(const_cast<float *>(in.data()), int(k), int(n));
  Buffer<float> wb(const_cast<float *>(w.data()), int(m), int(k));
  input.set(x);
  weights.set(wb);
  std::vector<float> out(size_t(n * m));
  Buffer<float> result(out.data(), int(m), int(n));
  realizeInto(output, result, target);
  return out;
}

void FloatGemm::compileTo(const KernelOutputs &files, const std::string &name) {
  compileOutputs(output, {input, weights}, files, name, target);
}

} // namespace qnnc::codegen
