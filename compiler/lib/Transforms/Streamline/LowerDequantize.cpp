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

/// QLinearConv / QLinearMatMul -> dequantize_linear of the operands, the float
/// op, and quantize_linear of the result: the QDQ form that the rest of the
/// pipeline turns into conv_integer / matmul_integer + requantize. The bias
/// (si32 in the scale x_scale * w_scale) becomes cast(bias) * x_scale *
/// w_scale.
void expandQLinear(Operation *op) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto dq = [&](Value q, Value s, Value zp, int64_t axis) -> Value {
    auto type = RankedTensorType::get(tensorType(q).getShape(), b.getF32Type());
    return b.create<DequantizeLinearOp>(loc, type, q, s, zp,
                                        b.getI64IntegerAttr(axis));
  };
  Value y;
  Value yScale, yZero;
  if (auto c = dyn_cast<QLinearConvOp>(op)) {
    Value x = dq(c.getX(), c.getXScale(), c.getXZeroPoint(), 1);
    Value w = dq(c.getW(), c.getWScale(), c.getWZeroPoint(), 0);
    Value bias;
    if (Value bq = c.getBias()) {
      auto sx = constantValue(c.getXScale()), sw = constantValue(c.getWScale());
      Tensor sb =
          qnnc::ref::broadcastBinary(*sw, *sx, qnnc::ref::DType::F32,
                                     [](double a, double b) { return a * b; });
      auto fType =
          RankedTensorType::get(tensorType(bq).getShape(), b.getF32Type());
      bias = b.create<MulOp>(
          loc, b.create<CastOp>(loc, fType, bq),
          createF32Constant(b, loc, qnnc::ref::reshape(sb, {sb.numel()})));
    }
    SmallVector<Value> operands{x, w};
    if (bias)
      operands.push_back(bias);
    y = b.create<ConvOp>(loc, operands, c->getAttrs());
    yScale = c.getYScale(), yZero = c.getYZeroPoint();
  } else {
    auto m = cast<QLinearMatMulOp>(op);
    Value a = dq(m.getA(), m.getAScale(), m.getAZeroPoint(), 1);
    int64_t lastAxis = tensorType(m.getB()).getRank() - 1;
    Value w = dq(m.getB(), m.getBScale(), m.getBZeroPoint(), lastAxis);
    y = b.create<MatMulOp>(loc, a, w);
    yScale = m.getYScale(), yZero = m.getYZeroPoint();
  }
  Value q = b.create<QuantizeLinearOp>(loc, op->getResult(0).getType(), y,
                                       yScale, yZero, b.getI64IntegerAttr(1));
  op->getResult(0).replaceAllUsesWith(q);
  op->erase();
}

struct LowerDequantizePass
    : mlir::qnn::impl::LowerDequantizeBase<LowerDequantizePass> {
  void runOnOperation() override {
    SmallVector<Operation *> qlinear;
    getOperation().walk([&](Operation *op) {
      if (isa<QLinearConvOp, QLinearMatMulOp>(op) &&
          otherOperandsConstant(op, 0))
        qlinear.push_back(op);
    });
    for (Operation *op : qlinear)
      expandQLinear(op);
    SmallVector<DequantizeLinearOp> ops;
    getOperation().walk([&](DequantizeLinearOp op) { ops.push_back(op); });
    for (DequantizeLinearOp op : ops) {
      auto s = constantValue(op.getScale()),
           zp = constantValue(op.getZeroPoint());
      if (!s || !zp) {
        op.emitWarning(
            "dequantize_linear left alone: its scale and zero point must be "
            "constants");
        continue;
      }
      auto xType = op.getX().getType();
      int64_t rank = xType.getRank();
      // Per-axis parameters broadcast along `axis`: shape (C, 1, ..., 1) after
      // that axis.
      std::vector<int64_t> shape;
      if (s->numel() > 1) {
        int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
        shape.assign(rank - axis, 1);
        shape[0] = s->numel();
      }
      OpBuilder b(op);
      Location loc = op.getLoc();
      Value v = b.create<CastOp>(loc, op.getType(), op.getX());
      if (std::any_of(zp->data.begin(), zp->data.end(),
                      [](double d) { return d != 0; })) {
        Tensor neg =
            ref::unary(*zp, ref::DType::F32, [](double d) { return -d; });
        v = b.create<AddOp>(
            loc, v, createF32Constant(b, loc, ref::reshape(neg, shape)));
      }
      Tensor scale =
          ref::unary(*s, ref::DType::F32, [](double d) { return d; });
      v = b.create<MulOp>(
          loc, v, createF32Constant(b, loc, ref::reshape(scale, shape)));
      op.replaceAllUsesWith(v);
      op.erase();
    }
    eraseDeadOps(getOperation());
  }
};

} // namespace
