//===- BatchNormToAffine.cpp - Batch normalization to mul + add -----------===//

#include "StreamlineUtils.h"
#include "qnn/Transforms/Passes.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_BATCHNORMTOAFFINE
#include "qnn/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::streamline;
namespace ref = qnnc::ref;

namespace {

struct BatchNormToAffinePass
    : mlir::qnn::impl::BatchNormToAffineBase<BatchNormToAffinePass> {
  void runOnOperation() override {
    SmallVector<BatchNormOp> ops;
    getOperation().walk([&](BatchNormOp bn) { ops.push_back(bn); });
    for (BatchNormOp bn : ops) {
      if (!otherOperandsConstant(bn, 0)) {
        bn.emitWarning("batchnorm parameters are not constants; not converted");
        continue;
      }
      Tensor scale = *constantValue(bn.getScale()),
             bias = *constantValue(bn.getBias());
      Tensor mean = *constantValue(bn.getMean()),
             var = *constantValue(bn.getVar());
      double eps = bn.getEpsilon().convertToDouble();
      int64_t c = scale.numel(), rank = bn.getType().getRank();
      // Shape (C, 1, ..., 1) broadcasts along axis 1 of an (N, C, ...) tensor.
      std::vector<int64_t> shape{c};
      shape.resize(rank - 1, 1);
      Tensor a(ref::DType::F32, shape), b(ref::DType::F32, shape);
      for (int64_t i = 0; i < c; ++i) {
        double ai = scale.data[i] / std::sqrt(var.data[i] + eps);
        a.data[i] = ref::castTo(ref::DType::F32, ai);
        b.data[i] =
            ref::castTo(ref::DType::F32, bias.data[i] - mean.data[i] * ai);
      }
      OpBuilder builder(bn);
      Location loc = bn.getLoc();
      Value mul = builder.create<MulOp>(loc, bn.getX(),
                                        createF32Constant(builder, loc, a));
      Value add =
          builder.create<AddOp>(loc, mul, createF32Constant(builder, loc, b));
      bn.replaceAllUsesWith(add);
      bn.erase();
    }
    eraseDeadOps(getOperation());
  }
};

} // namespace
