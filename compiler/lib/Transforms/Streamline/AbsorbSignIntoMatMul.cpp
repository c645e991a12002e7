//===- AbsorbSignIntoMatMul.cpp - Negative channel scales into weights ----===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_ABSORBSIGNINTOMATMUL
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

struct AbsorbSignIntoMatMulPass
    : mlir::qnn::impl::AbsorbSignIntoMatMulBase<AbsorbSignIntoMatMulPass> {
  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<MulOp, BatchNormOp>(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates)
      absorb(op);
    eraseDeadOps(getOperation());
  }

  void absorb(Operation *op) {
    auto castOp = op->getOperand(0).getDefiningOp<CastOp>();
    if (!castOp || !otherOperandsConstant(op, 0))
      return;
    auto mm = castOp.getX().getDefiningOp<MatMulOp>();
    if (!mm || !hasIntegerElements(mm.getY()) ||
        tensorType(mm.getY()).getRank() != 2)
      return;
    // The per-channel magnitude's sign, per output column.
    Value signSource =
        isa<MulOp>(op) ? op->getOperand(1) : cast<BatchNormOp>(op).getScale();
    Tensor signs = *constantValue(signSource);
    int64_t n = tensorType(mm.getY()).getDimSize(1);
    if (!isPerChannel(signs, tensorType(mm.getY()).getShape(), 1))
      return;
    auto column = [&](int64_t c) {
      return signs.data[signs.numel() == 1 ? 0 : c];
    };
    bool anyNegative = false;
    for (int64_t c = 0; c < n; ++c)
      anyNegative |= column(c) < 0;
    if (!anyNegative)
      return;
    auto wConst = mm.getB().getDefiningOp<ConstantOp>();
    if (!wConst || !castOp->hasOneUse() || !mm->hasOneUse()) {
      op->emitWarning("negative scale not absorbed: the matmul's weights must "
                      "be a constant "
                      "used once");
      return;
    }
    Tensor w = *constantValue(wConst);
    int64_t k = w.shape[0];
    for (int64_t c = 0; c < n; ++c)
      if (column(c) < 0)
        for (int64_t r = 0; r < k; ++r)
          w.data[r * n + c] = -w.data[r * n + c];
    // Bipolar and narrow weights stay in range; INTn may need one more bit for
    // -min.
    auto wType = tensorType(wConst);
    auto elem = cast<IntegerType>(wType.getElementType());
    std::string dtype = wConst.getDtype().value_or("").str();
    double maxV = *std::max_element(w.data.begin(), w.data.end());
    unsigned width = elem.getWidth();
    if (elem.isSigned() && maxV > std::ldexp(1.0, width - 1) - 1) {
      ++width;
      if (!dtype.empty() && dtype != "BIPOLAR" && dtype != "TERNARY")
        dtype = "INT" + std::to_string(width);
    }
    OpBuilder b(mm);
    auto newType = RankedTensorType::get(
        wType.getShape(),
        IntegerType::get(&getContext(), width, elem.getSignedness()));
    Value newW = createConstant(b, wConst.getLoc(), newType, w, dtype);
    mm.getBMutable().assign(newW);
    if (wConst->use_empty())
      wConst->erase();

    // Flip the op's parameters for the negated channels: s -> -s (mul); scale
    // -> -scale and mean -> -mean (batchnorm), which computes the same values
    // bit for bit.
    auto negate = [&](Value param) {
      Tensor t = *constantValue(param);
      Tensor full = t;
      if (t.numel() == 1) // a negative scalar applies to every channel
        full = Tensor(t.dtype, {n}, std::vector<double>(n, t.data[0]));
      for (int64_t c = 0; c < n; ++c)
        if (column(c) < 0)
          full.data[c] = -full.data[c];
      std::vector<int64_t> shape =
          full.numel() == t.numel() ? t.shape : std::vector<int64_t>{n};
      return createConstant(
          b, op->getLoc(),
          RankedTensorType::get(shape, tensorType(param).getElementType()),
          Tensor(full.dtype, shape, full.data));
    };
    b.setInsertionPoint(op);
    if (auto bn = dyn_cast<BatchNormOp>(op)) {
      Value scale = negate(bn.getScale()), mean = negate(bn.getMean());
      bn.getScaleMutable().assign(scale);
      bn.getMeanMutable().assign(mean);
    } else {
      op->setOperand(1, negate(op->getOperand(1)));
    }
  }
};

} // namespace
