//===- CheckIntegerOnly.cpp - Report what streamlining could not absorb ---===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_CHECKINTEGERONLY
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

bool hasFloatResult(Operation *op) {
  return llvm::any_of(op->getResultTypes(), [](Type t) {
    auto r = dyn_cast<RankedTensorType>(t);
    return r && isa<FloatType>(r.getElementType());
  });
}

/// The output affine: walking back from the return through [topk/argmax],
/// [add], [mul] to a cast of an integer value.
void collectOutputAffine(func::FuncOp func,
                         llvm::SmallPtrSetImpl<Operation *> &allowed) {
  func.walk([&](func::ReturnOp ret) {
    for (Value v : ret.getOperands()) {
      Operation *op = v.getDefiningOp();
      SmallVector<Operation *> chain;
      if (op && isa<TopKOp, ArgMaxOp>(op)) {
        chain.push_back(op);
        op = op->getOperand(0).getDefiningOp();
      }
      if (op && isa<AddOp>(op) && constantValue(op->getOperand(1))) {
        chain.push_back(op);
        op = op->getOperand(0).getDefiningOp();
      }
      if (op && isa<MulOp>(op) && constantValue(op->getOperand(1))) {
        chain.push_back(op);
        op = op->getOperand(0).getDefiningOp();
      }
      if (op && isa<CastOp>(op) && hasIntegerElements(op->getOperand(0))) {
        chain.push_back(op);
        allowed.insert(chain.begin(), chain.end());
      }
    }
  });
}

std::string reason(Operation *op) {
  if (auto q = dyn_cast<QuantOp>(op))
    return "a " + std::to_string(q.getBitwidth()) +
           "-bit quantizer (thresholds are used up to 4 bits; integer "
           "requantization of wider "
           "activations is not implemented yet)";
  if (isa<MatMulOp, ConvOp, GemmOp>(op))
    return "its operands are not both integer-valued (a quantizer or weight "
           "quantizer is "
           "missing, or partial sums exceed f32's exact range)";
  if (op->use_empty())
    return "its result is unused";
  Operation *user = *op->getUsers().begin();
  return "its user '" + user->getName().getStringRef().str() +
         "' cannot absorb it";
}

struct CheckIntegerOnlyPass
    : mlir::qnn::impl::CheckIntegerOnlyBase<CheckIntegerOnlyPass> {
  using CheckIntegerOnlyBase::CheckIntegerOnlyBase;
  void runOnOperation() override {
    llvm::SmallPtrSet<Operation *, 8> allowed;
    collectOutputAffine(getOperation(), allowed);
    bool failedAny = false;
    getOperation().walk([&](Operation *op) {
      if (!isa<QNNDialect>(op->getDialect()) ||
          isa<ConstantOp, MultiThresholdOp>(op) || allowed.count(op))
        return;
      // Layout ops on the float model input are fine: the first thresholds read
      // it.
      if (isLayoutOp(op) && isa<BlockArgument>(op->getOperand(0)))
        return;
      if (!hasFloatResult(op))
        return;
      std::string message = "'" + op->getName().getStringRef().str() +
                            "' still computes in floating point: " + reason(op);
      if (failOnFloat) {
        op->emitError(message);
        failedAny = true;
      } else {
        op->emitWarning(message);
      }
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
