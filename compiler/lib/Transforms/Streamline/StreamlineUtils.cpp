#include "StreamlineUtils.h"
#include "qnn/Reference/Evaluator.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

namespace mlir::qnn::streamline {

std::optional<Tensor> constantValue(Value v) {
  if (auto c = v.getDefiningOp<ConstantOp>())
    return qnnc::ref::tensorFromAttr(c.getValue());
  return std::nullopt;
}

Value createConstant(OpBuilder &b, Location loc, RankedTensorType type,
                     const Tensor &t, StringRef dtype) {
  auto attr = cast<ElementsAttr>(qnnc::ref::tensorToAttr(type, t));
  return b.create<ConstantOp>(
      loc, type, attr, dtype.empty() ? StringAttr() : b.getStringAttr(dtype));
}

Value createF32Constant(OpBuilder &b, Location loc, const Tensor &t) {
  return createConstant(b, loc, RankedTensorType::get(t.shape, b.getF32Type()),
                        t);
}

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

bool hasIntegerElements(Value v) {
  return isa<IntegerType>(tensorType(v).getElementType());
}

static std::pair<int64_t, int64_t> typeRange(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  if (!i)
    return {INT32_MIN, INT32_MAX};
  unsigned w = std::min(i.getWidth(), 32u);
  if (i.isUnsigned())
    return {0, w >= 32 ? INT32_MAX : (int64_t(1) << w) - 1};
  if (w == 1)
    return {0, 1};
  return {-(int64_t(1) << (w - 1)), (int64_t(1) << (w - 1)) - 1};
}

std::pair<int64_t, int64_t> integerRange(Value v) {
  if (auto t = constantValue(v)) {
    if (t->data.empty())
      return {0, 0};
    auto [mn, mx] = std::minmax_element(t->data.begin(), t->data.end());
    return {int64_t(*mn), int64_t(*mx)};
  }
  Operation *def = v.getDefiningOp();
  if (auto mt = dyn_cast_or_null<MultiThresholdOp>(def)) {
    int64_t steps = tensorType(mt.getThresholds()).getDimSize(1);
    double a = mt.getOutBias().convertToDouble();
    double b = a + mt.getOutScale().convertToDouble() * steps;
    return {int64_t(std::floor(std::min(a, b))),
            int64_t(std::ceil(std::max(a, b)))};
  }
  if (auto c = dyn_cast_or_null<CastOp>(def))
    if (hasIntegerElements(c.getX()))
      return integerRange(c.getX());
  if (auto m = dyn_cast_or_null<MatMulOp>(def)) {
    if (hasIntegerElements(m.getA()) && hasIntegerElements(m.getB())) {
      auto [alo, ahi] = integerRange(m.getA());
      auto [blo, bhi] = integerRange(m.getB());
      int64_t k = tensorType(m.getA()).getShape().back();
      int64_t p[] = {alo * blo, alo * bhi, ahi * blo, ahi * bhi};
      int64_t lo = *std::min_element(p, p + 4),
              hi = *std::max_element(p, p + 4);
      return {std::max<int64_t>(INT32_MIN, k * std::min<int64_t>(lo, 0)),
              std::min<int64_t>(INT32_MAX, k * std::max<int64_t>(hi, 0))};
    }
  }
  return typeRange(tensorType(v).getElementType());
}

int64_t channelAxis(int64_t rank, StringRef layout) {
  if (rank <= 1)
    return 0;
  return layout == "NHWC" ? rank - 1 : 1;
}

bool isPerChannel(const Tensor &c, ArrayRef<int64_t> shape, int64_t axis) {
  int64_t rank = shape.size(), crank = c.rank();
  if (crank > rank)
    return false;
  for (int64_t i = 0; i < crank; ++i) {
    int64_t d =
        rank - crank + i; // aligned from the right, as broadcasting does
    if (d != axis && c.shape[i] != 1)
      return false;
  }
  return true;
}

std::vector<int64_t> probeShape(ArrayRef<int64_t> shape, int64_t axis) {
  std::vector<int64_t> p(shape.size(), 1);
  if (!shape.empty())
    p[axis] = shape[axis];
  return p;
}

namespace {
// Finite f32 values in increasing order <-> consecutive integers.
int64_t floatKey(float f) {
  int32_t i;
  std::memcpy(&i, &f, 4);
  return i >= 0 ? int64_t(i) : -int64_t(i & 0x7fffffff);
}
float keyFloat(int64_t k) {
  int32_t i = k >= 0 ? int32_t(k) : int32_t((-k) | 0x80000000);
  float f;
  std::memcpy(&f, &i, 4);
  return f;
}
} // namespace

Tensor ThresholdSearch::run() const {
  Tensor out(qnnc::ref::DType::F64, {channels, thresholds});
  int64_t kLo = integerDomain ? lo : floatKey(-FLT_MAX);
  int64_t kHi = integerDomain ? hi : floatKey(FLT_MAX);
  auto value = [&](int64_t key) {
    return integerDomain ? double(key) : double(keyFloat(key));
  };
  std::vector<char> hit(channels);
  for (int64_t k = 0; k < thresholds; ++k) {
    // Invariant: the answer lies in (left, right]; right = kHi + 1 means
    // "never".
    std::vector<int64_t> left(channels, kLo - 1), right(channels, kHi + 1);
    std::vector<double> x(channels);
    for (bool searching = true; searching;) {
      searching = false;
      for (int64_t c = 0; c < channels; ++c) {
        int64_t mid = left[c] + (right[c] - left[c]) / 2;
        if (right[c] - left[c] > 1)
          searching = true;
        else
          mid = std::min(right[c], kHi); // settled: probe anything valid
        x[c] = value(std::max(mid, kLo));
      }
      if (!searching)
        break;
      reached(k, x, hit);
      for (int64_t c = 0; c < channels; ++c) {
        if (right[c] - left[c] <= 1)
          continue;
        int64_t mid = left[c] + (right[c] - left[c]) / 2;
        (hit[c] ? right[c] : left[c]) = mid;
      }
    }
    for (int64_t c = 0; c < channels; ++c) {
      double t;
      if (right[c] > kHi)
        t = integerDomain ? double(hi) + 1
                          : std::numeric_limits<double>::infinity();
      else if (right[c] == kLo && !integerDomain)
        t = -std::numeric_limits<double>::infinity();
      else
        t = value(right[c]);
      out.data[c * thresholds + k] = t;
    }
  }
  return out;
}

bool isLayoutOp(Operation *op) {
  return isa<ReshapeOp, FlattenOp, TransposeOp, SqueezeOp, UnsqueezeOp>(op);
}

ProbeEvaluator::ProbeEvaluator(Operation *op, unsigned probeIndex)
    : op(op), probeIndex(probeIndex), constants(op->getNumOperands()) {
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    if (i != probeIndex)
      constants[i] = *constantValue(op->getOperand(i));
}

Tensor ProbeEvaluator::operator()(const Tensor &probe) const {
  std::vector<const Tensor *> operands;
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    operands.push_back(i == probeIndex ? &probe : &constants[i]);
  std::vector<Tensor> results;
  std::string error;
  bool ok = qnnc::ref::evaluateOp(op, operands, results, error);
  (void)ok;
  assert(ok && "probe evaluation of a known op failed");
  return results[0];
}

std::optional<Dequantized> matchDequantized(Value v) {
  Dequantized d;
  if (auto mul = v.getDefiningOp<MulOp>()) {
    auto s = constantValue(mul.getRhs());
    if (!s || tensorType(mul.getOutput()) != tensorType(mul.getLhs()))
      return std::nullopt;
    d.scale = *s;
    v = mul.getLhs();
  }
  if (auto add = v.getDefiningOp<AddOp>()) {
    auto c = constantValue(add.getRhs());
    if (!c || c->numel() != 1 || c->data[0] != std::floor(c->data[0]) ||
        tensorType(add.getOutput()) != tensorType(add.getLhs()))
      return std::nullopt;
    d.zeroPoint = -int64_t(c->data[0]);
    v = add.getLhs();
  }
  auto cast = v.getDefiningOp<CastOp>();
  if (!cast || !hasIntegerElements(cast.getX()))
    return std::nullopt;
  d.q = cast.getX();
  return d;
}

void eraseDeadOps(Operation *root) {
  for (bool erased = true; erased;) {
    SmallVector<Operation *> unused;
    root->walk([&](Operation *op) {
      if (isa_and_nonnull<QNNDialect>(op->getDialect()) && op->use_empty() &&
          isPure(op))
        unused.push_back(op);
    });
    for (Operation *op : unused)
      op->erase();
    erased = !unused.empty();
  }
}

bool otherOperandsConstant(Operation *op, unsigned except) {
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    if (i != except && !op->getOperand(i).getDefiningOp<ConstantOp>())
      return false;
  return true;
}

} // namespace mlir::qnn::streamline
