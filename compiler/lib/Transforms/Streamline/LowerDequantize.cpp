//===- LowerDequantize.cpp - DequantizeLinear to cast, add, mul -----------===//

#include "StreamlineUtils.h"
#include "qnn/Reference/TensorOps.h"
#include "qnn/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_LOWERDEQUANTIZE
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

struct LowerDequantizePass : mlir::qnn::impl::LowerDequantizeBase<LowerDequantizePass> {
  void runOnOperation() override {
    SmallVector<DequantizeLinearOp> ops;
    getOperation().walk([&](DequantizeLinearOp op) { ops.push_back(op); });
    for (DequantizeLinearOp op : ops) {
      auto s = constantValue(op.getScale()), zp = constantValue(op.getZeroPoint());
      if (!s || !zp) {
        op.emitWarning("dequantize_linear left alone: its scale and zero point must be "
                       "constants");
        continue;
      }
      auto xType = op.getX().getType();
      int64_t rank = xType.getRank();
      // Per-axis parameters broadcast along `axis`: shape (C, 1, ..., 1) after that axis.
      std::vector<int64_t> shape;
      if (s->numel() > 1) {
        int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
        shape.assign(rank - axis, 1);
        shape[0] = s->numel();
      }
      OpBuilder b(op);
      Location loc = op.getLoc();
      Value v = b.create<CastOp>(loc, op.getType(), op.getX());
      if (std::any_of(zp->data.begin(), zp->data.end(), [](double d) { return d != 0; })) {
        Tensor neg = ref::unary(*zp, ref::DType::F32, [](double d) { return -d; });
        v = b.create<AddOp>(loc, v, createF32Constant(b, loc, ref::reshape(neg, shape)));
      }
      Tensor scale = ref::unary(*s, ref::DType::F32, [](double d) { return d; });
      v = b.create<MulOp>(loc, v, createF32Constant(b, loc, ref::reshape(scale, shape)));
      op.replaceAllUsesWith(v);
      op.erase();
    }
    eraseDeadOps(getOperation());
  }
};

} // namespace
