//===- NormalizeAffine.cpp - Sub to Add, Div to Mul -----------------------===//

#include "StreamlineUtils.h"
#include "qnn/Reference/TensorOps.h"
#include "qnn/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_NORMALIZEAFFINE
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

struct NormalizeAffinePass
    : mlir::qnn::impl::NormalizeAffineBase<NormalizeAffinePass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<SubOp, DivOp>(op) && constantValue(op->getOperand(1)))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      Tensor c = *constantValue(op->getOperand(1));
      bool isFloat = ref::isFloat(c.dtype);
      if (isa<DivOp>(op) && !isFloat) {
        op->emitWarning(
            "integer division truncates; it is not a multiplication");
        continue;
      }
      OpBuilder b(op);
      Tensor inverse = ref::unary(
          c, c.dtype, [&](double v) { return isa<SubOp>(op) ? -v : 1.0 / v; });
      Value k = createConstant(b, op->getLoc(), tensorType(op->getOperand(1)),
                               inverse);
      Operation *replacement =
          isa<SubOp>(op) ? b.create<AddOp>(op->getLoc(), op->getOperand(0), k)
                               .getOperation()
                         : b.create<MulOp>(op->getLoc(), op->getOperand(0), k)
                               .getOperation();
      op->getResult(0).replaceAllUsesWith(replacement->getResult(0));
      op->erase();
    }
    eraseDeadOps(getOperation());
  }
};

} // namespace
