//===- IntegerMatMul.cpp - Float matmuls of integers to integer matmuls ---===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_INTEGERMATMUL
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

/// The integer tensor behind a float operand: the input of an int->float cast,
/// or a new integer constant for an f32 constant that holds only small
/// integers.
Value integerSource(OpBuilder &b, Value v) {
  if (auto c = v.getDefiningOp<CastOp>())
    return hasIntegerElements(c.getX()) ? c.getX() : Value();
  auto t = constantValue(v);
  if (!t || t->data.empty())
    return {};
  for (double d : t->data)
    if (d != std::floor(d) || std::abs(d) > 32767)
      return {};
  auto [mn, mx] = std::minmax_element(t->data.begin(), t->data.end());
  bool bipolar = std::all_of(t->data.begin(), t->data.end(),
                             [](double d) { return d == 1 || d == -1; });
  unsigned bits = 2;
  while (*mn < -std::ldexp(1.0, bits - 1) ||
         *mx > std::ldexp(1.0, bits - 1) - 1)
    ++bits;
  auto type = RankedTensorType::get(
      t->shape, IntegerType::get(b.getContext(), bits, IntegerType::Signed));
  return createConstant(b, v.getLoc(), type, *t,
                        bipolar ? "BIPOLAR" : "INT" + std::to_string(bits));
}

struct IntegerMatMulPass
    : mlir::qnn::impl::IntegerMatMulBase<IntegerMatMulPass> {
  void runOnOperation() override {
    SmallVector<MatMulOp> candidates;
    getOperation().walk([&](MatMulOp mm) {
      if (!hasIntegerElements(mm.getY()))
        candidates.push_back(mm);
    });
    for (MatMulOp mm : candidates)
      convert(mm);
    eraseDeadOps(getOperation());
  }

  void convert(MatMulOp mm) {
    OpBuilder b(mm);
    Value a = integerSource(b, mm.getA());
    Value w = a ? integerSource(b, mm.getB()) : Value();
    if (!a || !w) {
      for (Value v : {a, w})
        if (v && v.getDefiningOp<ConstantOp>() && v.use_empty())
          v.getDefiningOp()->erase();
      return;
    }
    auto [alo, ahi] = integerRange(a);
    auto [wlo, whi] = integerRange(w);
    double k = tensorType(a).getShape().back();
    double bound = k * std::max(std::abs(double(alo)), std::abs(double(ahi))) *
                   std::max(std::abs(double(wlo)), std::abs(double(whi)));
    if (bound > (1 << 24)) {
      mm.emitWarning("matmul left in floating point: partial sums up to ")
          << bound
          << " may round in f32, so an integer matmul would not be "
             "bit-identical";
      return;
    }
    auto intMm = b.create<MatMulOp>(mm.getLoc(), a, w);
    mm.replaceAllUsesWith(
        b.create<CastOp>(mm.getLoc(), mm.getType(), intMm).getResult());
    mm.erase();
  }
};

} // namespace
