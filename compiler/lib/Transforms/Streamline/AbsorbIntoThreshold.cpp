//===- AbsorbIntoThreshold.cpp - Fold monotone ops into thresholds --------===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_ABSORBINTOTHRESHOLD
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

/// Per-channel direction of `op` as a function of operand 0: +1 increasing, -1
/// decreasing somewhere, 0 not an absorbable op.
int direction(Operation *op) {
  auto allSigns = [](const Tensor &t) {
    bool neg = std::any_of(t.data.begin(), t.data.end(),
                           [](double v) { return v < 0; });
    return neg ? -1 : 1;
  };
  if (isa<AddOp, SubOp, CastOp, ReluOp>(op))
    return 1;
  if (isa<MulOp, DivOp>(op))
    return allSigns(*constantValue(op->getOperand(1)));
  if (auto bn = dyn_cast<BatchNormOp>(op))
    return allSigns(*constantValue(bn.getScale()));
  return 0;
}

struct AbsorbIntoThresholdPass
    : mlir::qnn::impl::AbsorbIntoThresholdBase<AbsorbIntoThresholdPass> {
  void runOnOperation() override {
    // Absorb repeatedly: each step moves a multithreshold one op up its input
    // chain.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<MultiThresholdOp> mts;
      getOperation().walk([&](MultiThresholdOp mt) { mts.push_back(mt); });
      for (MultiThresholdOp mt : mts)
        changed |= absorb(mt);
    }
    eraseDeadOps(getOperation());
  }

  bool absorb(MultiThresholdOp mt) {
    Operation *op = mt.getX().getDefiningOp();
    if (!op || op->getNumOperands() == 0 || !otherOperandsConstant(op, 0) ||
        constantValue(op->getOperand(0)) || !constantValue(mt.getThresholds()))
      return false;
    int dir = direction(op);
    if (dir == 0)
      return false;
    auto xType = tensorType(mt.getX());
    int64_t axis = channelAxis(xType.getRank(), mt.getDataLayout());
    for (unsigned i = 1; i < op->getNumOperands(); ++i)
      if (!isPerChannel(*constantValue(op->getOperand(i)), xType.getShape(),
                        axis)) {
        mt.emitWarning("'")
            << op->getName()
            << "' not absorbed: its constant is not per-channel";
        return false;
      }
    if (dir < 0) {
      mt.emitWarning("'")
          << op->getName()
          << "' not absorbed: it decreases in some channel (negative scale); "
             "run qnn-absorb-sign-into-matmul first";
      return false;
    }
    Value input = op->getOperand(0);
    Tensor oldT = *constantValue(mt.getThresholds());
    int64_t channels = xType.getRank() ? xType.getDimSize(axis) : 1;
    std::vector<int64_t> probe = probeShape(xType.getShape(), axis);
    // Each channel of the probe sees that channel's constants; thresholds
    // become per-channel unless both the op's constants and the thresholds are
    // per-tensor.
    bool scalarOp = true;
    for (unsigned i = 1; i < op->getNumOperands(); ++i)
      scalarOp &= constantValue(op->getOperand(i))->numel() == 1;
    int64_t rows = (scalarOp && oldT.shape[0] == 1) ? 1 : channels;

    ThresholdSearch search;
    search.channels = channels;
    search.thresholds = oldT.shape[1];
    search.integerDomain = hasIntegerElements(input);
    std::tie(search.lo, search.hi) = integerRange(input);
    ref::DType probeType =
        ref::dtypeFromMlir(tensorType(input).getElementType());
    ProbeEvaluator evaluate(op, 0);
    search.reached = [&](int64_t k, const std::vector<double> &v,
                         std::vector<char> &out) {
      Tensor result = evaluate(Tensor(probeType, probe, v));
      for (int64_t c = 0; c < channels; ++c) {
        double t = oldT.data[(oldT.shape[0] == 1 ? 0 : c) * oldT.shape[1] + k];
        out[c] = result.data[c] >= t;
      }
    };
    Tensor newT = search.run();
    if (rows == 1)
      newT = Tensor(newT.dtype, {1, newT.shape[1]},
                    std::vector<double>(newT.data.begin(),
                                        newT.data.begin() + newT.shape[1]));
    OpBuilder b(mt);
    Type tElem =
        search.integerDomain
            ? Type(IntegerType::get(&getContext(), 32, IntegerType::Signed))
            : Type(b.getF32Type());
    if (search.integerDomain)
      for (double &t : newT.data)
        t = std::clamp<double>(t, INT32_MIN, INT32_MAX);
    Value t = createConstant(b, mt.getLoc(),
                             RankedTensorType::get(newT.shape, tElem), newT);
    mt.getXMutable().assign(input);
    mt.getThresholdsMutable().assign(t);
    return true;
  }
};

} // namespace
