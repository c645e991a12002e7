//===- GemmToMatMul.cpp - Gemm to matmul, scale and bias ------------------===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_GEMMTOMATMUL
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

struct GemmToMatMulPass : mlir::qnn::impl::GemmToMatMulBase<GemmToMatMulPass> {
  void runOnOperation() override {
    SmallVector<GemmOp> ops;
    getOperation().walk([&](GemmOp op) { ops.push_back(op); });
    for (GemmOp op : ops) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto transposed = [&](Value v, bool t) -> Value {
        if (!t)
          return v;
        return b.create<TransposeOp>(loc, v, b.getDenseI64ArrayAttr({1, 0}));
      };
      Value y = b.create<MatMulOp>(loc, transposed(op.getA(), op.getTransA()),
                                   transposed(op.getB(), op.getTransB()));
      auto scalar = [&](double v) {
        return createF32Constant(b, loc,
                                 Tensor(qnnc::ref::DType::F32, {}, {v}));
      };
      double alpha = op.getAlpha().convertToDouble(),
             beta = op.getBeta().convertToDouble();
      if (alpha != 1)
        y = b.create<MulOp>(loc, y, scalar(alpha));
      if (Value c = op.getC()) {
        if (beta != 1)
          c = b.create<MulOp>(loc, c, scalar(beta));
        y = b.create<AddOp>(loc, y, c);
      }
      op.replaceAllUsesWith(y);
      op.erase();
    }
  }
};

} // namespace
