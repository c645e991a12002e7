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

bool isIdentity(Operation *op);

/// The value `op` reproduces unchanged, if any: its input for no-op ops, the
/// input of the pair for squeeze(unsqueeze(x)) / reshape(reshape(x)) back to
/// x's type.
Value identitySource(Operation *op) {
  if (isa<SqueezeOp, ReshapeOp>(op))
    if (Operation *in = op->getOperand(0).getDefiningOp())
      if (isa<UnsqueezeOp, ReshapeOp>(in) &&
          in->getOperand(0).getType() == op->getResult(0).getType())
        return in->getOperand(0);
  return isIdentity(op) ? op->getOperand(0) : Value();
}

bool isIdentity(Operation *op) {
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
      if (Value source = identitySource(op)) {
        op->getResult(0).replaceAllUsesWith(source);
        dead.push_back(op);
      }
    });
    for (Operation *op : dead)
      op->erase();
    // The first op of a folded pair and constants left without users.
    eraseDeadOps(getOperation());
  }
};

} // namespace
