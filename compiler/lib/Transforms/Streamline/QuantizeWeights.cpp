//===- QuantizeWeights.cpp - Quantizers on constants to integer weights ---===//

#include "StreamlineUtils.h"
#include "qnn/Reference/TensorOps.h"
#include "qnn/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_QUANTIZEWEIGHTS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

bool allEqual(const Tensor &t, double v) {
  return std::all_of(t.data.begin(), t.data.end(),
                     [&](double d) { return d == v; });
}

/// cast(levels) -> [add(-zeropt)] -> [mul(scale)]: the dequantization,
/// bit-exact in f32 because levels and zero points are small integers.
Value dequantize(OpBuilder &b, Location loc, Value levels, Value scale,
                 const Tensor &zeropt, RankedTensorType floatType) {
  Value v = b.create<CastOp>(loc, floatType, levels);
  if (!allEqual(zeropt, 0)) {
    Tensor neg =
        ref::unary(zeropt, ref::DType::F32, [](double d) { return -d; });
    v = b.create<AddOp>(loc, v, createF32Constant(b, loc, neg));
  }
  if (!allEqual(*constantValue(scale), 1))
    v = b.create<MulOp>(loc, v, scale);
  return v;
}

struct QuantizeWeightsPass
    : mlir::qnn::impl::QuantizeWeightsBase<QuantizeWeightsPass> {
  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<QuantOp, BipolarQuantOp>(op) && constantValue(op->getOperand(0)))
        candidates.push_back(op);
    });
    for (Operation *op : candidates)
      rewrite(op);
    eraseDeadOps(getOperation());
  }

  void rewrite(Operation *op) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    Tensor w = *constantValue(op->getOperand(0));
    for (unsigned i = 1; i < op->getNumOperands(); ++i)
      if (!constantValue(op->getOperand(i))) {
        op->emitWarning(
            "weight quantizer left alone: its scale and zero point must be "
            "constants");
        return;
      }
    Tensor zero(ref::DType::F32, {}, {0.0});
    Tensor levels, zeropt = zero;
    std::string dtype;
    IntegerType elem;
    auto si = [&](unsigned w) {
      return IntegerType::get(&getContext(), w, IntegerType::Signed);
    };
    if (auto q = dyn_cast<QuantOp>(op)) {
      ref::Rounding mode;
      ref::parseRounding(q.getRoundingMode().str(), mode);
      zeropt = *constantValue(q.getZeropt());
      int64_t bits = q.getBitwidth();
      levels = ref::quantLevels(w, *constantValue(q.getScale()), zeropt, bits,
                                q.getIsSigned(), q.getNarrow(), mode);
      if (q.getIsSigned() && bits == 1) {
        dtype = "BIPOLAR";
        elem = si(2);
      } else {
        dtype = (q.getIsSigned() ? "INT" : "UINT") + std::to_string(bits);
        elem = IntegerType::get(&getContext(), bits,
                                q.getIsSigned() ? IntegerType::Signed
                                                : IntegerType::Unsigned);
      }
    } else {
      levels = ref::unary(w, ref::DType::F64,
                          [](double v) { return v >= 0 ? 1.0 : -1.0; });
      dtype = "BIPOLAR";
      elem = si(2);
    }
    Value q = createConstant(b, loc, RankedTensorType::get(levels.shape, elem),
                             levels, dtype);
    Value v = dequantize(b, loc, q, op->getOperand(1), zeropt,
                         cast<RankedTensorType>(op->getResult(0).getType()));
    op->getResult(0).replaceAllUsesWith(v);
    op->erase();
  }
};

} // namespace
