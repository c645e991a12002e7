//===- MoveAffine.cpp - Move mul/add towards the next threshold -----------===//

#include "StreamlineUtils.h"
#include "qnn/Reference/TensorOps.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_MOVEAFFINE
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

bool powersOfTwo(const Tensor &t) {
  return std::all_of(t.data.begin(), t.data.end(), [](double v) {
    int e;
    return v != 0 && std::frexp(std::abs(v), &e) == 0.5;
  });
}

/// matmul(mul(x, s), W) -> mul(matmul(x, W), s) for scalar s, and
/// matmul(x, mul(W, s)) -> mul(matmul(x, W), s) for s scalar or per output
/// column.
struct MoveMulPastMatMul : OpRewritePattern<MatMulOp> {
  MoveMulPastMatMul(MLIRContext *ctx, bool exactOnly)
      : OpRewritePattern(ctx), exactOnly(exactOnly) {}
  bool exactOnly;

  LogicalResult matchAndRewrite(MatMulOp mm,
                                PatternRewriter &rewriter) const override {
    for (unsigned side = 0; side < 2; ++side) {
      auto mul = mm->getOperand(side).getDefiningOp<MulOp>();
      if (!mul || !mul->hasOneUse())
        continue;
      auto s = constantValue(mul.getRhs());
      if (!s || (exactOnly && !powersOfTwo(*s)))
        continue;
      bool scalar = s->numel() == 1;
      // A per-column scale of W: varies only along W's last axis.
      bool perColumn =
          side == 1 && isPerChannel(*s, tensorType(mul.getOutput()).getShape(),
                                    tensorType(mul.getOutput()).getRank() - 1);
      if (!scalar && !perColumn)
        continue;
      if (tensorType(mul.getOutput()) != tensorType(mul.getLhs()))
        continue; // the mul broadcasts its input: not a pure scaling
      Location loc = mm.getLoc();
      Value a = side == 0 ? mul.getLhs() : mm.getA();
      Value w = side == 1 ? mul.getLhs() : mm.getB();
      Value inner = rewriter.create<MatMulOp>(loc, a, w);
      Value scale = mul.getRhs();
      if (!scalar) { // reshape [.., N] scale to broadcast on the result's last
                     // axis
        Tensor flat = ref::reshape(*s, {s->numel()});
        scale = createF32Constant(rewriter, loc, flat);
      }
      rewriter.replaceOpWithNewOp<MulOp>(mm, inner, scale);
      return success();
    }
    return failure();
  }
};

/// matmul(add(x, b), W) -> add(matmul(x, W), b W) for constant b and W, b
/// broadcast over rows.
struct MoveAddPastMatMul : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp mm,
                                PatternRewriter &rewriter) const override {
    auto add = mm.getA().getDefiningOp<AddOp>();
    auto w = constantValue(mm.getB());
    if (!add || !add->hasOneUse() || !w ||
        tensorType(add.getOutput()) != tensorType(add.getLhs()))
      return failure();
    auto b = constantValue(add.getRhs());
    int64_t k = w->shape[0];
    if (!b || w->rank() != 2 ||
        !isPerChannel(*b, tensorType(add.getLhs()).getShape(),
                      tensorType(add.getLhs()).getRank() - 1))
      return failure();
    Tensor row = ref::reshape(
        b->numel() == 1
            ? Tensor(b->dtype, {k}, std::vector<double>(k, b->data[0]))
            : *b,
        {1, k});
    Tensor bw = ref::matmul(row, *w, ref::DType::F32);
    Location loc = mm.getLoc();
    Value inner = rewriter.create<MatMulOp>(loc, add.getLhs(), mm.getB());
    rewriter.replaceOpWithNewOp<AddOp>(
        mm, inner,
        createF32Constant(rewriter, loc, ref::reshape(bw, {bw.numel()})));
    return success();
  }
};

/// max_pool(mul(x, s)) -> mul(max_pool(x), s) for s > 0 per channel (max does
/// not commute with a negative scale), and max_pool(add(x, b)) ->
/// add(max_pool(x), b). Exact: rounding is monotone.
struct MoveAffinePastMaxPool : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp pool,
                                PatternRewriter &rewriter) const override {
    Operation *op = pool.getX().getDefiningOp();
    if (!op || !isa<MulOp, AddOp>(op) || !op->hasOneUse())
      return failure();
    auto c = constantValue(op->getOperand(1));
    auto xType = tensorType(op->getOperand(0));
    if (!c || tensorType(op->getResult(0)) != xType ||
        !isPerChannel(*c, xType.getShape(), 1))
      return failure();
    if (isa<MulOp>(op) && std::any_of(c->data.begin(), c->data.end(),
                                      [](double v) { return v <= 0; })) {
      return failure();
    }
    IRMapping map;
    map.map(pool.getX(), op->getOperand(0));
    Operation *newPool = rewriter.clone(*pool, map);
    newPool->getResult(0).setType(pool.getType());
    Operation *newOp =
        rewriter.create(op->getLoc(), op->getName().getIdentifier(),
                        {newPool->getResult(0), op->getOperand(1)},
                        {pool.getType()}, op->getAttrs());
    rewriter.replaceOp(pool, newOp->getResults());
    return success();
  }
};

/// layout(mul(x, s)) -> mul(layout(x), s) and likewise for add, for scalar
/// constants.
struct MoveScalarPastLayout : RewritePattern {
  MoveScalarPastLayout(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *layout,
                                PatternRewriter &rewriter) const override {
    if (!isLayoutOp(layout))
      return failure();
    Operation *op = layout->getOperand(0).getDefiningOp();
    if (!op || !isa<MulOp, AddOp>(op) || !op->hasOneUse())
      return failure();
    auto c = constantValue(op->getOperand(1));
    if (!c || c->numel() != 1 ||
        tensorType(op->getResult(0)) != tensorType(op->getOperand(0)) ||
        !tensorType(op->getResult(0)).getElementType().isF32())
      return failure();
    IRMapping map;
    map.map(layout->getOperand(0), op->getOperand(0));
    Operation *newLayout = rewriter.clone(*layout, map);
    Value scalar =
        createF32Constant(rewriter, op->getLoc(), ref::reshape(*c, {}));
    Operation *newOp =
        rewriter.create(op->getLoc(), op->getName().getIdentifier(),
                        {newLayout->getResult(0), scalar},
                        {layout->getResult(0).getType()}, op->getAttrs());
    rewriter.replaceOp(layout, newOp->getResults());
    return success();
  }
};

/// squeeze/unsqueeze of axes >= 2 keeps the batch and channel axes, so
/// per-channel elementwise ops (mul/add by per-channel constants, batchnorm,
/// cast) commute with it: layout(op(x)) -> op(layout(x)). Exact: the same
/// values are computed.
struct MoveChannelOpPastSqueeze : RewritePattern {
  MoveChannelOpPastSqueeze(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  static bool keepsChannels(Operation *layout) {
    ArrayRef<int64_t> axes;
    if (auto s = dyn_cast<SqueezeOp>(layout))
      axes = s.getAxes();
    else if (auto u = dyn_cast<UnsqueezeOp>(layout))
      axes = u.getAxes();
    else
      return false;
    if (tensorType(layout->getOperand(0)).getRank() < 2 ||
        tensorType(layout->getResult(0)).getRank() < 2)
      return false;
    return llvm::all_of(axes, [](int64_t a) { return a >= 2; });
  }

  LogicalResult matchAndRewrite(Operation *layout,
                                PatternRewriter &rewriter) const override {
    if (!keepsChannels(layout))
      return failure();
    Operation *op = layout->getOperand(0).getDefiningOp();
    if (!op || !op->hasOneUse() || !isa<MulOp, AddOp, BatchNormOp, CastOp>(op))
      return failure();
    auto inType = tensorType(op->getOperand(0));
    auto outType = tensorType(layout->getResult(0));
    int64_t channels = inType.getDimSize(1);
    SmallVector<Value> operands;
    for (unsigned i = 1; i < op->getNumOperands(); ++i) {
      auto c = constantValue(op->getOperand(i));
      if (!c)
        return failure();
      if (isa<BatchNormOp>(op)) { // 1-D per-channel parameters: unchanged
        operands.push_back(op->getOperand(i));
        continue;
      }
      if (tensorType(op->getResult(0)) != inType ||
          !isPerChannel(*c, inType.getShape(), 1))
        return failure();
      std::vector<int64_t> shape(outType.getRank(), 1);
      shape[1] = c->numel() == 1 ? 1 : channels;
      operands.push_back(createConstant(
          rewriter, op->getLoc(),
          RankedTensorType::get(shape,
                                tensorType(op->getOperand(i)).getElementType()),
          ref::reshape(*c, shape)));
    }
    IRMapping map;
    map.map(layout->getOperand(0), op->getOperand(0));
    Operation *newLayout = rewriter.clone(*layout, map);
    newLayout->getResult(0).setType(
        RankedTensorType::get(outType.getShape(), inType.getElementType()));
    operands.insert(operands.begin(), newLayout->getResult(0));
    Operation *newOp =
        rewriter.create(op->getLoc(), op->getName().getIdentifier(), operands,
                        {layout->getResult(0).getType()}, op->getAttrs());
    rewriter.replaceOp(layout, newOp->getResults());
    return success();
  }
};

/// layout(cast(x)) -> cast(layout(x)) and max_pool(cast(x)) ->
/// cast(max_pool(x)) for integer x: data movement and max commute with the
/// exact int -> f32 conversion, and the integer graph should carry the integers
/// as far as possible.
struct MoveCastDown : RewritePattern {
  MoveCastDown(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isLayoutOp(op) && !isa<MaxPoolOp>(op))
      return failure();
    auto cast = op->getOperand(0).getDefiningOp<CastOp>();
    if (!cast || !cast->hasOneUse() || !hasIntegerElements(cast.getX()))
      return failure();
    IRMapping map;
    map.map(cast.getY(), cast.getX());
    Operation *moved = rewriter.clone(*op, map);
    auto outType = tensorType(op->getResult(0));
    moved->getResult(0).setType(RankedTensorType::get(
        outType.getShape(), tensorType(cast.getX()).getElementType()));
    rewriter.replaceOpWithNewOp<CastOp>(op, outType, moved->getResult(0));
    return success();
  }
};

/// transpose(op(x, c)) -> op(transpose(x), transpose(c)) for mul/add with a
/// constant: the constant is transposed with the same permutation (after
/// padding its rank).
struct MoveTransposeUp : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp t,
                                PatternRewriter &rewriter) const override {
    Operation *op = t.getX().getDefiningOp();
    if (!op || !isa<MulOp, AddOp>(op) || !op->hasOneUse())
      return failure();
    auto c = constantValue(op->getOperand(1));
    auto xType = tensorType(op->getOperand(0));
    if (!c || tensorType(op->getResult(0)) != xType ||
        c->rank() > xType.getRank())
      return failure();
    std::vector<int64_t> padded(xType.getRank() - c->rank(), 1);
    padded.insert(padded.end(), c->shape.begin(), c->shape.end());
    std::vector<int64_t> perm(t.getPerm().begin(), t.getPerm().end());
    Tensor ct = ref::transpose(ref::reshape(*c, padded), perm);
    Location loc = op->getLoc();
    Value x = rewriter.create<TransposeOp>(t.getLoc(), op->getOperand(0),
                                           t.getPermAttr());
    Value k = createConstant(
        rewriter, loc,
        RankedTensorType::get(ct.shape,
                              tensorType(op->getOperand(1)).getElementType()),
        ct);
    Operation *newOp = rewriter.create(loc, op->getName().getIdentifier(),
                                       {x, k}, {t.getType()}, op->getAttrs());
    rewriter.replaceOp(t, newOp->getResults());
    return success();
  }
};

struct MoveAffinePass : mlir::qnn::impl::MoveAffineBase<MoveAffinePass> {
  using MoveAffineBase::MoveAffineBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MoveMulPastMatMul>(&getContext(), exactOnly);
    patterns.add<MoveAffinePastMaxPool, MoveScalarPastLayout,
                 MoveChannelOpPastSqueeze, MoveCastDown, MoveTransposeUp>(
        &getContext());
    if (!exactOnly)
      patterns.add<MoveAddPastMatMul>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
