#include "qnn/Codegen/OutputHeads.h"
#include "Realize.h"

using namespace Halide;

namespace qnnc::codegen {

Dequantize::Dequantize(int64_t channels, int64_t n, int64_t scales,
                       int64_t biases, const Target &target, bool rowMajor,
                       Type type)
    : target(target), input(type, 2, "input") {
  Var c("c"), col("col");
  Expr s = scale(scales == 1 ? Expr(0) : Expr(c));
  Expr b = bias(biases == 1 ? Expr(0) : Expr(c));
  Expr x = rowMajor ? input(c, col) : input(col, c);
  output(c, col) = strict_float(cast<float>(x) * s + b);
  output.bound(c, 0, int(channels)).bound(col, 0, int(n));
  if (rowMajor)
    input.dim(0).set_bounds(0, int(channels)).dim(1).set_bounds(0, int(n));
  else
    input.dim(0).set_bounds(0, int(n)).dim(1).set_bounds(0, int(channels));
  scale.dim(0).set_bounds(0, int(scales));
  bias.dim(0).set_bounds(0, int(biases));
}

void Dequantize::compileTo(const KernelOutputs &files,
                           const std::string &name) {
  compileOutputs(output, {input, scale, bias}, files, name, target);
}

ArgMax::ArgMax(int64_t channels, int64_t n, const Target &target)
    : channels(channels), n(n), target(target) {
  Var i("i"), col("col");
  RDom r(0, int(channels), "r");
  // Halide's argmax keeps the first of equal maxima.
  output(i, col) = cast<int64_t>(argmax(input(r, col))[0]);
  output.bound(i, 0, 1).bound(col, 0, int(n));
  input.dim(0).set_bounds(0, int(channels)).dim(1).set_bounds(0, int(n));
}

std::vector<int64_t> ArgMax::run(const std::vector<float> &x) {
  Buffer<float> in(const_cast<float *>(x.data()), int(channels), int(n));
  input.set(in);
  std::vector<int64_t> out(static_cast<size_t>(n));
  Buffer<int64_t> result(out.data(), 1, int(n));
  realizeInto(output, result, target);
  return out;
}

void ArgMax::compileTo(const KernelOutputs &files, const std::string &name) {
  compileOutputs(output, {input}, files, name, target);
}

} // namespace qnnc::codegen
