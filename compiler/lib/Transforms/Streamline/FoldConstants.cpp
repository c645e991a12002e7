//===- FoldConstants.cpp - Evaluate ops on constants ----------------------===//

#include "StreamlineUtils.h"
#include "qnn/Reference/Evaluator.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_FOLDCONSTANTS
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

bool isQuantizer(Operation *op) {
  return isa<QuantOp, BipolarQuantOp, TruncOp, MultiThresholdOp,
             QuantizeLinearOp, DequantizeLinearOp>(op);
}

struct FoldAllConstantOperands : RewritePattern {
  FoldAllConstantOperands(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (op->getDialect() == nullptr || !isa<QNNDialect>(op->getDialect()) ||
        isa<ConstantOp, CastOp>(op) || isQuantizer(op) ||
        op->getNumOperands() == 0)
      return failure();
    std::vector<Tensor> values;
    for (Value v : op->getOperands()) {
      auto t = constantValue(v);
      if (!t)
        return failure();
      values.push_back(std::move(*t));
    }
    std::vector<const Tensor *> operands;
    for (const Tensor &t : values)
      operands.push_back(&t);
    std::vector<Tensor> results;
    std::string error;
    if (!qnnc::ref::evaluateOp(op, operands, results, error))
      return failure();
    SmallVector<Value> replacements;
    // Data movement keeps the value set of quantized weights (dtype).
    StringRef dtype;
    if (isLayoutOp(op))
      if (auto c = op->getOperand(0).getDefiningOp<ConstantOp>())
        dtype = c.getDtype().value_or("");
    for (auto [result, t] : llvm::zip(op->getResults(), results))
      replacements.push_back(
          createConstant(rewriter, op->getLoc(), tensorType(result), t, dtype));
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

/// layout(cast(const)) -> cast(layout'(const)): keeps quantized weights integer
/// constants.
struct HoistLayoutAboveConstantCast : RewritePattern {
  HoistLayoutAboveConstantCast(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isLayoutOp(op))
      return failure();
    auto cast = op->getOperand(0).getDefiningOp<CastOp>();
    if (!cast)
      return failure();
    auto source = cast.getX().getDefiningOp<ConstantOp>();
    if (!source)
      return failure();
    Tensor value = *constantValue(source);
    std::vector<Tensor> results;
    std::string error;
    if (!qnnc::ref::evaluateOp(op, {&value}, results, error))
      return failure();
    auto outType = tensorType(op->getResult(0));
    auto intType = RankedTensorType::get(
        outType.getShape(), tensorType(cast.getX()).getElementType());
    Value folded = createConstant(rewriter, op->getLoc(), intType, results[0],
                                  source.getDtype().value_or(""));
    rewriter.replaceOpWithNewOp<CastOp>(op, outType, folded);
    return success();
  }
};

struct FoldConstantsPass
    : mlir::qnn::impl::FoldConstantsBase<FoldConstantsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldAllConstantOperands, HoistLayoutAboveConstantCast>(
        &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
