//===- CollapseAffine.cpp - Chains of constant mul/add to one of each -----===//

#include "StreamlineUtils.h"
#include "qnn/Reference/TensorOps.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_COLLAPSEAFFINE
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

/// The constant operand of a float mul/add whose other operand is `inner`'s
/// result.
template <typename OpTy> std::optional<Tensor> constantRhs(OpTy op) {
  if (!tensorType(op.getOutput()).getElementType().isF32())
    return std::nullopt;
  return constantValue(op.getRhs());
}

/// op(op(x, a), b) -> op(x, a (op) b) for mul and add.
template <typename OpTy> struct CollapseSame : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getLhs().template getDefiningOp<OpTy>();
    if (!inner || !inner->hasOneUse())
      return failure();
    auto a = constantRhs(inner), b = constantRhs(outer);
    if (!a || !b)
      return failure();
    Tensor c =
        ref::broadcastBinary(*a, *b, ref::DType::F32, [](double x, double y) {
          return std::is_same_v<OpTy, MulOp> ? x * y : x + y;
        });
    rewriter.replaceOpWithNewOp<OpTy>(
        outer, inner.getLhs(), createF32Constant(rewriter, outer.getLoc(), c));
    return success();
  }
};

/// mul(add(x, b), a) -> add(mul(x, a), b * a): muls first, then adds.
struct MulBeforeAdd : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    auto add = mul.getLhs().getDefiningOp<AddOp>();
    if (!add || !add->hasOneUse())
      return failure();
    auto a = constantRhs(mul), b = constantRhs(add);
    if (!a || !b)
      return failure();
    Tensor ba = ref::broadcastBinary(*b, *a, ref::DType::F32,
                                     [](double x, double y) { return x * y; });
    Location loc = mul.getLoc();
    Value scaled = rewriter.create<MulOp>(loc, add.getLhs(), mul.getRhs());
    rewriter.replaceOpWithNewOp<AddOp>(mul, scaled,
                                       createF32Constant(rewriter, loc, ba));
    return success();
  }
};

struct CollapseAffinePass
    : mlir::qnn::impl::CollapseAffineBase<CollapseAffinePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CollapseSame<MulOp>, CollapseSame<AddOp>, MulBeforeAdd>(
        &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
