//===- Requantize.cpp - 8-bit quantize_linear to integer requantization ---===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_REQUANTIZE
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;

namespace {

/// ratio = multiplier * 2^-shift with a 31-bit multiplier.
std::pair<int64_t, int64_t> fixedPoint(double ratio) {
  int exponent;
  std::frexp(ratio, &exponent); // ratio = f * 2^exponent, f in [0.5, 1)
  int64_t shift = std::clamp<int64_t>(31 - exponent, 1, 62);
  int64_t multiplier = std::llround(std::ldexp(ratio, int(shift)));
  if (multiplier >= (int64_t(1) << 31)) {
    multiplier /= 2;
    --shift;
  }
  return {multiplier, shift};
}

struct RequantizePass : mlir::qnn::impl::RequantizeBase<RequantizePass> {
  void runOnOperation() override {
    SmallVector<QuantizeLinearOp> ops;
    getOperation().walk([&](QuantizeLinearOp q) { ops.push_back(q); });
    for (QuantizeLinearOp q : ops)
      convert(q);
    eraseDeadOps(getOperation());
  }

  void convert(QuantizeLinearOp q) {
    auto sOut = constantValue(q.getScale()),
         zpOut = constantValue(q.getZeroPoint());
    if (!sOut || !zpOut || sOut->numel() != 1)
      return;
    // Match [relu](mul([add(] cast(int) [, c)], S)) or [relu](cast(int)).
    Value v = q.getX();
    bool relu = false;
    if (auto r = v.getDefiningOp<ReluOp>()) {
      relu = true;
      v = r.getX();
    }
    auto deq = matchDequantized(v);
    if (!deq)
      return;
    Tensor scale = deq->scale;
    int64_t inZeroPoint = deq->zeroPoint;
    Value acc = deq->q;
    auto accType = tensorType(acc);
    int64_t axis = channelAxis(accType.getRank());
    if (!isPerChannel(scale, accType.getShape(), axis) ||
        std::any_of(scale.data.begin(), scale.data.end(),
                    [](double s) { return s <= 0; })) {
      q.emitWarning(
          "not requantized: the accumulator's scale must be positive and "
          "per-tensor or per-channel");
      return;
    }
    SmallVector<int64_t> multipliers, shifts;
    bool identity = scale.numel() == 1;
    for (double s : scale.data) {
      double ratio = s / sOut->data[0];
      auto [m, sh] = fixedPoint(ratio);
      multipliers.push_back(m);
      shifts.push_back(sh);
      identity &= ratio == 1.0;
    }
    auto outType =
        cast_or_null<IntegerType>(q.getY().getType().getElementType());
    int64_t zp = int64_t(zpOut->data[0]);
    int64_t lo =
        outType.isUnsigned() ? 0 : -(int64_t(1) << (outType.getWidth() - 1));
    int64_t hi = outType.isUnsigned()
                     ? (int64_t(1) << outType.getWidth()) - 1
                     : (int64_t(1) << (outType.getWidth() - 1)) - 1;
    if (relu) // relu(v) >= 0 quantizes to >= zp: the relu becomes the clamp's
              // lower bound
      lo = std::max(lo, zp);
    OpBuilder b(q);
    if (identity && inZeroPoint == zp && accType.getElementType() == outType &&
        !relu) {
      q.replaceAllUsesWith(acc);
      q.erase();
      return;
    }
    auto r = b.create<RequantizeOp>(
        q.getLoc(), q.getY().getType(), acc,
        b.getDenseI64ArrayAttr(multipliers), b.getDenseI64ArrayAttr(shifts),
        b.getI64IntegerAttr(inZeroPoint), b.getI64IntegerAttr(zp),
        b.getI64IntegerAttr(lo), b.getI64IntegerAttr(hi),
        b.getI64IntegerAttr(axis), TypeAttr::get(outType));
    q.replaceAllUsesWith(r.getResult());
    q.erase();
  }
};

} // namespace
