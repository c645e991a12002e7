//===- QuantToThreshold.cpp - Activation quantizers to multithresholds ----===//

#include "StreamlineUtils.h"
#include "qnn/Reference/TensorOps.h"
#include "qnn/Transforms/Passes.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_QUANTTOTHRESHOLD
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

/// How a quantizer maps its input to integer levels, per channel of a probe
/// tensor.
struct LevelMap {
  std::vector<double> levels; // increasing
  std::function<Tensor(const Tensor &probe)> levelOf;
};

std::string dtypeName(const std::vector<double> &levels, bool &isSigned,
                      unsigned &bits) {
  double lo = levels.front(), hi = levels.back();
  if (levels.size() == 2 && lo == -1 && hi == 1) {
    isSigned = true, bits = 2;
    return "BIPOLAR";
  }
  isSigned = lo < 0;
  bits = 1;
  while (isSigned ? (lo < -std::ldexp(1.0, bits - 1) ||
                     hi > std::ldexp(1.0, bits - 1) - 1)
                  : hi > std::ldexp(1.0, bits) - 1)
    ++bits;
  if (isSigned && bits < 2)
    bits = 2;
  return (isSigned ? "INT" : "UINT") + std::to_string(bits);
}

struct QuantToThresholdPass
    : mlir::qnn::impl::QuantToThresholdBase<QuantToThresholdPass> {
  using QuantToThresholdBase::QuantToThresholdBase;

  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<QuantOp, BipolarQuantOp, SignOp>(op) &&
          !constantValue(op->getOperand(0)))
        candidates.push_back(op);
      if (auto mt = dyn_cast<MultiThresholdOp>(op))
        if (!mt.getOutType())
          candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      if (auto mt = dyn_cast<MultiThresholdOp>(op))
        retypeMultiThreshold(mt);
      else
        convert(op);
    }
    eraseDeadOps(getOperation());
  }

  /// A float multithreshold with integral out_scale/out_bias produces integers:
  /// say so in its type (and cast back for its users, which later passes
  /// absorb).
  void retypeMultiThreshold(MultiThresholdOp mt) {
    double scale = mt.getOutScale().convertToDouble(),
           bias = mt.getOutBias().convertToDouble();
    if (scale != std::floor(scale) || bias != std::floor(bias) || scale == 0)
      return;
    int64_t steps = tensorType(mt.getThresholds()).getDimSize(1);
    std::vector<double> levels;
    for (int64_t k = 0; k <= steps; ++k)
      levels.push_back(bias + scale * k);
    if (scale < 0)
      std::reverse(levels.begin(), levels.end());
    bool isSigned;
    unsigned bits;
    std::string dtype = dtypeName(levels, isSigned, bits);
    auto elem = IntegerType::get(&getContext(), bits,
                                 isSigned ? IntegerType::Signed
                                          : IntegerType::Unsigned);
    OpBuilder b(mt);
    auto intMt = b.create<MultiThresholdOp>(
        mt.getLoc(), RankedTensorType::get(mt.getType().getShape(), elem),
        mt.getX(), mt.getThresholds(), b.getStringAttr(dtype),
        mt.getOutScaleAttr(), mt.getOutBiasAttr(), mt.getDataLayoutAttr(),
        TypeAttr::get(elem));
    Value back = b.create<CastOp>(mt.getLoc(), mt.getType(), intMt);
    mt.replaceAllUsesWith(back);
    mt.erase();
  }

  void convert(Operation *op) {
    Value x = op->getOperand(0);
    auto xType = tensorType(x);
    int64_t axis = channelAxis(xType.getRank());
    std::vector<int64_t> probe = probeShape(xType.getShape(), axis);
    int64_t channels = xType.getRank() ? xType.getDimSize(axis) : 1;
    bool perTensor = true;
    for (unsigned i = 1; i < op->getNumOperands(); ++i) {
      auto c = constantValue(op->getOperand(i));
      if (!c || !isPerChannel(*c, xType.getShape(), axis)) {
        op->emitWarning("quantizer left in floating point: its scale and zero "
                        "point must be "
                        "per-tensor or per-channel constants");
        return;
      }
      perTensor &= c->numel() == 1;
    }
    if (perTensor) { // one row of thresholds serves every channel
      channels = 1;
      std::fill(probe.begin(), probe.end(), 1);
    }
    LevelMap map;
    std::string dtype;
    double outScale = 1;
    Tensor zeropt(ref::DType::F32, {}, {0.0});
    if (auto q = dyn_cast<QuantOp>(op)) {
      int64_t bits = q.getBitwidth();
      if (bits > maxBits) {
        op->emitWarning("a ")
            << bits << "-bit quantizer is not turned into thresholds (at most "
            << int64_t(maxBits) << " bits: 2^n - 1 thresholds per channel)";
        return;
      }
      Tensor s = *constantValue(q.getScale());
      zeropt = *constantValue(q.getZeropt());
      if (std::any_of(s.data.begin(), s.data.end(),
                      [](double v) { return v <= 0; })) {
        op->emitWarning(
            "quantizer left in floating point: its scale must be positive");
        return;
      }
      ref::Rounding mode;
      ref::parseRounding(q.getRoundingMode().str(), mode);
      bool isSigned = q.getIsSigned(), narrow = q.getNarrow();
      if (bits == 1 && isSigned) {
        map.levels = {-1, 1};
      } else {
        double lo =
            isSigned ? -std::ldexp(1.0, bits - 1) + (narrow ? 1 : 0) : 0;
        double hi = isSigned ? std::ldexp(1.0, bits - 1) - 1
                             : std::ldexp(1.0, bits) - 1 - (narrow ? 1 : 0);
        for (double l = lo; l <= hi; ++l)
          map.levels.push_back(l);
      }
      map.levelOf = [=](const Tensor &p) {
        return ref::quantLevels(p, s, zeropt, bits, isSigned, narrow, mode);
      };
    } else if (isa<BipolarQuantOp>(op)) {
      map.levels = {-1, 1};
      map.levelOf = [](const Tensor &p) {
        return ref::unary(p, ref::DType::F64,
                          [](double v) { return v >= 0 ? 1.0 : -1.0; });
      };
    } else {
      map.levels = {-1, 0, 1};
      map.levelOf = [](const Tensor &p) {
        return ref::unary(p, ref::DType::F64, [](double v) {
          return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
        });
      };
    }
    bool isSigned;
    unsigned bits;
    dtype = dtypeName(map.levels, isSigned, bits);
    if (dtype == "BIPOLAR")
      outScale = 2;

    ThresholdSearch search;
    search.channels = channels;
    search.thresholds = map.levels.size() - 1;
    search.integerDomain = hasIntegerElements(x);
    std::tie(search.lo, search.hi) = integerRange(x);
    ref::DType probeType = qnnc::ref::dtypeFromMlir(xType.getElementType());
    search.reached = [&](int64_t k, const std::vector<double> &v,
                         std::vector<char> &out) {
      Tensor p(probeType, probe, v);
      Tensor levels = map.levelOf(p);
      for (int64_t c = 0; c < channels; ++c)
        out[c] = levels.data[c] >= map.levels[k + 1];
    };
    Tensor thresholds = search.run();

    OpBuilder b(op);
    Location loc = op->getLoc();
    auto elem = IntegerType::get(&getContext(), bits,
                                 isSigned ? IntegerType::Signed
                                          : IntegerType::Unsigned);
    auto tType = RankedTensorType::get(
        thresholds.shape,
        search.integerDomain
            ? Type(IntegerType::get(&getContext(), 32, IntegerType::Signed))
            : Type(b.getF32Type()));
    Value t = createConstant(b, loc, tType, thresholds);
    auto mt = b.create<MultiThresholdOp>(
        loc, RankedTensorType::get(xType.getShape(), elem), x, t,
        b.getStringAttr(dtype), b.getF64FloatAttr(outScale),
        b.getF64FloatAttr(map.levels.front()), b.getStringAttr("NCHW"),
        TypeAttr::get(elem));
    auto floatType = cast<RankedTensorType>(op->getResult(0).getType());
    Value v = b.create<CastOp>(loc, floatType, mt);
    if (std::any_of(zeropt.data.begin(), zeropt.data.end(),
                    [](double d) { return d != 0; }))
      v = b.create<AddOp>(
          loc, v,
          createF32Constant(b, loc,
                            ref::unary(zeropt, ref::DType::F32,
                                       [](double d) { return -d; })));
    if (!isa<SignOp>(op)) {
      Tensor s = *constantValue(op->getOperand(1));
      if (std::any_of(s.data.begin(), s.data.end(),
                      [](double d) { return d != 1; }))
        v = b.create<MulOp>(loc, v, op->getOperand(1));
    }
    op->getResult(0).replaceAllUsesWith(v);
    op->erase();
  }
};

} // namespace
