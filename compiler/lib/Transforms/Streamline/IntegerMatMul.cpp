//===- IntegerMatMul.cpp - Float matmuls of integers to integer matmuls ---===//

#include "StreamlineUtils.h"
#include "qnn/Dialect/QNN/ShapeUtils.h"
#include "qnn/Reference/TensorOps.h"
#include "qnn/Transforms/Passes.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_INTEGERMATMUL
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

/// The integer tensor behind a float operand: the input of an int->float cast,
/// or a new integer constant for an f32 constant that holds only small
/// integers.
Value integerSource(OpBuilder &b, Value v) {
  if (auto c = v.getDefiningOp<CastOp>())
    return hasIntegerElements(c.getX()) ? c.getX() : Value();
  auto t = constantValue(v);
  if (!t || t->data.empty())
    return {};
  for (double d : t->data)
    if (d != std::floor(d) || std::abs(d) > 32767)
      return {};
  auto [mn, mx] = std::minmax_element(t->data.begin(), t->data.end());
  bool bipolar = std::all_of(t->data.begin(), t->data.end(),
                             [](double d) { return d == 1 || d == -1; });
  unsigned bits = 2;
  while (*mn < -std::ldexp(1.0, bits - 1) ||
         *mx > std::ldexp(1.0, bits - 1) - 1)
    ++bits;
  auto type = RankedTensorType::get(
      t->shape, IntegerType::get(b.getContext(), bits, IntegerType::Signed));
  return createConstant(b, v.getLoc(), type, *t,
                        bipolar ? "BIPOLAR" : "INT" + std::to_string(bits));
}

/// The integer tensors behind the operands of a float matmul/conv and the
/// largest |partial sum| over `k` products, or std::nullopt (after erasing a
/// constant made for nothing) when an operand is not integer-valued.
std::optional<std::tuple<Value, Value, double>>
integerOperands(OpBuilder &b, Value x, Value w, bool reduceOverLastDim) {
  Value xi = integerSource(b, x);
  Value wi = xi ? integerSource(b, w) : Value();
  if (!xi || !wi) {
    for (Value v : {xi, wi})
      if (v && v.getDefiningOp<ConstantOp>() && v.use_empty())
        v.getDefiningOp()->erase();
    return std::nullopt;
  }
  auto [xlo, xhi] = integerRange(xi);
  auto [wlo, whi] = integerRange(wi);
  // matmul: K is the activations' last dimension; conv: the weights' C*KH*KW.
  double k = reduceOverLastDim
                 ? double(tensorType(xi).getShape().back())
                 : double(numElements(tensorType(wi).getShape().drop_front()));
  double bound = k * std::max(std::abs(double(xlo)), std::abs(double(xhi))) *
                 std::max(std::abs(double(wlo)), std::abs(double(whi)));
  return std::make_tuple(xi, wi, bound);
}

struct IntegerMatMulPass
    : mlir::qnn::impl::IntegerMatMulBase<IntegerMatMulPass> {
  using IntegerMatMulBase::IntegerMatMulBase;

  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<MatMulOp, ConvOp>(op) && !hasIntegerElements(op->getResult(0)))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      auto mm = dyn_cast<MatMulOp>(op);
      if (mm && convertExact(mm))
        continue;
      auto conv = dyn_cast<ConvOp>(op);
      if (conv && convertExactConv(conv))
        continue;
      if (!exactOnly)
        convertDequantized(op);
    }
    if (!exactOnly)
      absorbIntegerBiases();
    eraseDeadOps(getOperation());
  }

  /// matmul of integer-valued operands without scales: bit-exact when f32 sums
  /// are exact.
  bool convertExact(MatMulOp mm) {
    OpBuilder b(mm);
    auto operands = integerOperands(b, mm.getA(), mm.getB(), true);
    if (!operands)
      return false;
    auto [a, w, bound] = *operands;
    if (bound > (1 << 24)) {
      if (exactOnly)
        mm.emitWarning("matmul left in floating point: partial sums up to ")
            << bound
            << " may round in f32, so an integer matmul would not be "
               "bit-identical";
      return false;
    }
    auto intMm = b.create<MatMulOp>(mm.getLoc(), a, w);
    mm.replaceAllUsesWith(
        b.create<CastOp>(mm.getLoc(), mm.getType(), intMm).getResult());
    mm.erase();
    return true;
  }

  /// conv of integer-valued activations and weights without bias: a
  /// conv_integer with zero points 0, exact under the same f32 bound.
  bool convertExactConv(ConvOp conv) {
    if (conv.getBias())
      return false;
    OpBuilder b(conv);
    auto operands = integerOperands(b, conv.getX(), conv.getW(), false);
    if (!operands)
      return false;
    auto [x, w, bound] = *operands;
    if (bound > (1 << 24))
      return false;
    Location loc = conv.getLoc();
    Value acc = b.create<ConvIntegerOp>(
        loc, x, w, zeroPointConstant(b, loc, x, 0),
        zeroPointConstant(b, loc, w, 0), conv.getPadsAttr(),
        conv.getStridesAttr(), conv.getDilationsAttr(), conv.getGroupAttr());
    conv.replaceAllUsesWith(
        b.create<CastOp>(loc, conv.getType(), acc).getResult());
    conv.erase();
    return true;
  }

  Value zeroPointConstant(OpBuilder &b, Location loc, Value q, int64_t zp) {
    auto type = RankedTensorType::get({}, tensorType(q).getElementType());
    return createConstant(b, loc, type,
                          Tensor(qnnc::ref::DType::I64, {}, {double(zp)}));
  }

  /// matmul/conv of dequantized operands -> integer matmul/conv, then one scale
  /// per output channel (s_x * s_w).
  void convertDequantized(Operation *op) {
    bool isConv = isa<ConvOp>(op);
    auto x = matchDequantized(op->getOperand(0)),
         w = matchDequantized(op->getOperand(1));
    if (!x || !w || x->scale.numel() != 1)
      return;
    auto yType = tensorType(op->getResult(0));
    auto wShape = tensorType(op->getOperand(1)).getShape();
    // Weight scales: per output channel (conv: axis 0 of W; matmul: W's last
    // axis).
    int64_t wAxis = isConv ? 0 : int64_t(wShape.size()) - 1;
    if (!isPerChannel(w->scale, wShape, wAxis))
      return;
    int64_t channels = wShape[wAxis];
    auto [xlo, xhi] = integerRange(x->q);
    auto [wlo, whi] = integerRange(w->q);
    double k =
        isConv ? double(numElements(wShape.drop_front())) : double(wShape[0]);
    double xmax = std::max(std::abs(double(xlo - x->zeroPoint)),
                           std::abs(double(xhi - x->zeroPoint)));
    double wmax = std::max(std::abs(double(wlo - w->zeroPoint)),
                           std::abs(double(whi - w->zeroPoint)));
    if (k * xmax * wmax >= double(INT32_MAX)) {
      op->emitWarning(
          "not converted to integers: the accumulator could exceed 32 bits");
      return;
    }
    OpBuilder b(op);
    Location loc = op->getLoc();
    Value xz = zeroPointConstant(b, loc, x->q, x->zeroPoint);
    Value wz = zeroPointConstant(b, loc, w->q, w->zeroPoint);
    std::vector<double> perChannel(channels);
    for (int64_t c = 0; c < channels; ++c)
      perChannel[c] = double(float(
          x->scale.data[0] * w->scale.data[w->scale.numel() == 1 ? 0 : c]));
    std::vector<int64_t> sShape(isConv ? yType.getRank() - 1 : 1, 1);
    sShape[0] = channels;
    Tensor scale(qnnc::ref::DType::F32, sShape, perChannel);
    Value acc, floatBias;
    if (auto conv = dyn_cast<ConvOp>(op)) {
      acc = b.create<ConvIntegerOp>(
          loc, x->q, w->q, xz, wz, conv.getPadsAttr(), conv.getStridesAttr(),
          conv.getDilationsAttr(), conv.getGroupAttr());
      if (Value bias = conv.getBias()) {
        // An integer bias in the accumulator's scale joins the accumulator.
        auto bq = matchDequantized(bias);
        auto bConst = bq ? constantValue(bq->q) : std::nullopt;
        bool sameScale = bq && bConst && bq->zeroPoint == 0;
        for (int64_t c = 0; sameScale && c < channels; ++c) {
          double sb = bq->scale.data[bq->scale.numel() == 1 ? 0 : c];
          sameScale =
              std::abs(sb - perChannel[c]) <= 1e-6 * std::abs(perChannel[c]);
        }
        if (sameScale) {
          auto si32 = IntegerType::get(&getContext(), 32, IntegerType::Signed);
          Value bi = createConstant(b, loc, RankedTensorType::get(sShape, si32),
                                    qnnc::ref::reshape(*bConst, sShape));
          acc = b.create<AddOp>(loc, acc, bi);
        } else {
          floatBias = bias;
        }
      }
    } else {
      acc = b.create<MatMulIntegerOp>(loc, x->q, w->q, xz, wz);
    }
    Value y = b.create<CastOp>(loc, yType, acc);
    y = b.create<MulOp>(loc, y, createF32Constant(b, loc, scale));
    if (floatBias) {
      std::vector<int64_t> bShape(yType.getRank() - 1, 1);
      bShape[0] = channels;
      y = b.create<AddOp>(
          loc, y,
          b.create<ReshapeOp>(loc, floatBias, b.getDenseI64ArrayAttr(bShape)));
    }
    op->getResult(0).replaceAllUsesWith(y);
    op->erase();
  }

  /// add(mul(cast(acc), S), mul(cast(b), S)) -> mul(cast(add(acc, b)), S) for a
  /// constant integer bias b in the accumulator's scale (matmul biases after
  /// qnn-gemm-to-matmul).
  void absorbIntegerBiases() {
    SmallVector<AddOp> adds;
    getOperation().walk([&](AddOp add) { adds.push_back(add); });
    for (AddOp add : adds) {
      auto accMul = add.getLhs().getDefiningOp<MulOp>();
      auto bias = matchDequantized(add.getRhs());
      if (!accMul || !bias || bias->zeroPoint != 0)
        continue;
      auto accCast = accMul.getLhs().getDefiningOp<CastOp>();
      auto s = constantValue(accMul.getRhs());
      auto bConst = constantValue(bias->q);
      if (!accCast || !s || !bConst ||
          !isa_and_nonnull<MatMulIntegerOp, ConvIntegerOp>(
              accCast.getX().getDefiningOp()) ||
          s->numel() != bias->scale.numel() || bConst->numel() != s->numel())
        continue;
      bool same = true;
      for (int64_t i = 0; i < s->numel(); ++i)
        same &= std::abs(s->data[i] - bias->scale.data[i]) <=
                1e-6 * std::abs(s->data[i]);
      if (!same)
        continue;
      OpBuilder b(add);
      auto accType = tensorType(accCast.getX());
      Value bi = createConstant(
          b, add.getLoc(),
          RankedTensorType::get(bConst->shape, accType.getElementType()),
          *bConst);
      Value sum = b.create<AddOp>(add.getLoc(), accCast.getX(), bi);
      Value y = b.create<CastOp>(add.getLoc(), add.getType(), sum);
      add.replaceAllUsesWith(
          b.create<MulOp>(add.getLoc(), y, accMul.getRhs()).getResult());
      add.erase();
    }
  }
};

} // namespace
