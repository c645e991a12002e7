//===- RemoveIdentities.cpp - Drop ops that do nothing --------------------===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_REMOVEIDENTITIES
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

bool isIdentity(Operation *op) {
  // squeeze(unsqueeze(x)) back to x's type.
  if (isa<SqueezeOp, ReshapeOp>(op))
    if (Operation *in = op->getOperand(0).getDefiningOp())
      if (isa<UnsqueezeOp, ReshapeOp>(in) &&
          in->getOperand(0).getType() == op->getResult(0).getType()) {
        op->getResult(0).replaceAllUsesWith(in->getOperand(0));
        return false; // the pair becomes dead; the walk's cleanup removes it
      }
  if (op->getNumResults() != 1 || op->getNumOperands() == 0 ||
      op->getResult(0).getType() != op->getOperand(0).getType())
    return false;
  auto all = [&](double v) {
    auto c = constantValue(op->getOperand(1));
    return c && std::all_of(c->data.begin(), c->data.end(),
                            [&](double d) { return d == v; });
  };
  if (isa<MulOp, DivOp>(op))
    return all(1.0);
  if (isa<AddOp, SubOp>(op))
    return all(0.0);
  if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, CastOp>(op))
    return true;
  if (auto t = dyn_cast<TransposeOp>(op)) {
    for (auto [i, p] : llvm::enumerate(t.getPerm()))
      if (int64_t(i) != p)
        return false;
    return true;
  }
  if (auto c = dyn_cast<ClipOp>(op))
    return !c.getMin() && !c.getMax();
  return false;
}

struct RemoveIdentitiesPass
    : mlir::qnn::impl::RemoveIdentitiesBase<RemoveIdentitiesPass> {
  void runOnOperation() override {
    SmallVector<Operation *> dead;
    getOperation().walk([&](Operation *op) {
      if (isIdentity(op)) {
        op->getResult(0).replaceAllUsesWith(op->getOperand(0));
        dead.push_back(op);
      }
    });
    for (Operation *op : dead)
      op->erase();
    // Ops left without users by a folded pair, then constants.
    eraseDeadOps(getOperation());
  }
};

} // namespace
