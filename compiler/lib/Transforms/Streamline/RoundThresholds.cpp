//===- RoundThresholds.cpp - Integer thresholds for integer inputs --------===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_ROUNDTHRESHOLDS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

struct RoundThresholdsPass
    : mlir::qnn::impl::RoundThresholdsBase<RoundThresholdsPass> {
  void runOnOperation() override {
    getOperation().walk([&](MultiThresholdOp mt) {
      if (!hasIntegerElements(mt.getX()))
        return;
      auto t = constantValue(mt.getThresholds());
      if (!t) {
        mt.emitWarning("thresholds are not constant; not rounded");
        return;
      }
      auto [lo, hi] = integerRange(mt.getX());
      Tensor rounded = *t;
      for (double &v : rounded.data)
        v = std::min(std::clamp(std::ceil(v), double(lo), double(hi) + 1),
                     double(INT32_MAX));
      auto si32 = IntegerType::get(&getContext(), 32, IntegerType::Signed);
      if (rounded.data == t->data &&
          tensorType(mt.getThresholds()).getElementType() == si32)
        return;
      OpBuilder b(mt);
      mt.getThresholdsMutable().assign(createConstant(
          b, mt.getLoc(), RankedTensorType::get(rounded.shape, si32), rounded));
    });
    eraseDeadOps(getOperation());
  }
};

} // namespace
