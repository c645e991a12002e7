//===- Evaluator.cpp - Reference evaluator for the qnn dialect ------------===//

#include "qnn/Reference/Evaluator.h"
#include "qnn/Dialect/QNN/QNNOps.h"
#include "qnn/Dialect/QNN/ShapeUtils.h"
#include "qnn/Reference/TensorOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
namespace dialect = mlir::qnn;

namespace qnnc::ref {

Tensor tensorFromAttr(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  DType dt = dtypeFromMlir(type.getElementType());
  Tensor t(
      dt, std::vector<int64_t>(type.getShape().begin(), type.getShape().end()));
  if (isFloat(dt)) {
    int64_t i = 0;
    for (const APFloat &v : attr.getValues<APFloat>())
      t.data[i++] = v.convertToDouble();
  } else if (dt == DType::Bool) {
    int64_t i = 0;
    for (bool v : attr.getValues<bool>())
      t.data[i++] = v;
  } else {
    bool isUnsigned = type.getElementType().isUnsignedInteger();
    int64_t i = 0;
    for (const APInt &v : attr.getValues<APInt>())
      t.data[i++] = isUnsigned ? static_cast<double>(v.getZExtValue())
                               : static_cast<double>(v.getSExtValue());
  }
  return t;
}

DenseElementsAttr tensorToAttr(MLIRContext *ctx, const Tensor &t) {
  return tensorToAttr(RankedTensorType::get(t.shape, dtypeToMlir(ctx, t.dtype)), t);
}

DenseElementsAttr tensorToAttr(RankedTensorType type, const Tensor &t) {
  // The attribute's element type decides the encoding (a tensor held as f64 may become si2).
  Type elem = type.getElementType();
  if (elem.isF32()) {
    std::vector<float> v(t.data.begin(), t.data.end());
    return DenseElementsAttr::get(type, llvm::ArrayRef(v));
  }
  if (elem.isF64())
    return DenseElementsAttr::get(type, llvm::ArrayRef(t.data));
  if (elem.isSignlessInteger(1)) {
    llvm::SmallVector<bool> v;
    for (double d : t.data)
      v.push_back(d != 0);
    return DenseElementsAttr::get(type, llvm::ArrayRef<bool>(v));
  }
  unsigned width = elem.getIntOrFloatBitWidth();
  std::vector<APInt> v;
  v.reserve(t.data.size());
  for (double d : t.data)
    v.push_back(APInt(64, static_cast<uint64_t>(static_cast<int64_t>(d)),
                      /*isSigned=*/true)
                    .trunc(width));
  return DenseElementsAttr::get(type, v);
}

namespace {

std::vector<int64_t> vec(ArrayRef<int64_t> a) { return {a.begin(), a.end()}; }

std::vector<int64_t> shapeOf(Value v) {
  return vec(cast<RankedTensorType>(v.getType()).getShape());
}

DType dtypeOf(Value v) {
  return dtypeFromMlir(cast<ShapedType>(v.getType()).getElementType());
}

int64_t axisOf(int64_t axis, int64_t rank) {
  return *mlir::qnn::normalizeAxis(axis, rank);
}

Rounding rounding(StringRef name) {
  Rounding r = Rounding::HalfEven;
  parseRounding(name.str(), r); // verified by the op
  return r;
}

/// (x - zero point) for the integer ops; zero points are per-tensor or
/// per-row/column.
Tensor minusZeroPoint(const Tensor &x, const Tensor &zp,
                      int64_t axisForVector) {
  if (zp.numel() == 1 || zp.rank() == 0)
    return broadcastBinary(x, zp, DType::I64,
                           [](double a, double b) { return a - b; });
  std::vector<int64_t> shape(x.rank(), 1);
  shape[axisForVector] = zp.numel();
  return broadcastBinary(x, reshape(zp, shape), DType::I64,
                         [](double a, double b) { return a - b; });
}

ConvParams convParams(ArrayRef<int64_t> pads, ArrayRef<int64_t> strides,
                      ArrayRef<int64_t> dilations, int64_t group) {
  return {vec(pads), vec(strides), vec(dilations), group};
}

/// Requantizes an accumulator as QLinearMatMul/QLinearConv do: round-half-even
/// of acc * (a_scale * b_scale / y_scale) in f32, plus the zero point,
/// saturated.
Tensor requantize(const Tensor &acc, const Tensor &aScale, const Tensor &bScale,
                  const Tensor &yScale, const Tensor &yZp,
                  int64_t channelAxis) {
  Tensor r(yZp.dtype, acc.shape);
  std::vector<int64_t> st = acc.strides();
  for (int64_t i = 0; i < acc.numel(); ++i) {
    int64_t c = bScale.numel() == 1
                    ? 0
                    : (i / st[channelAxis]) % acc.shape[channelAxis];
    double scale =
        castTo(DType::F32, castTo(DType::F32, aScale.data[0] * bScale.data[c]) /
                               yScale.data[0]);
    double v =
        std::nearbyint(castTo(DType::F32, acc.data[i] * scale)) + yZp.data[0];
    r.data[i] = std::clamp(v, minValue(yZp.dtype), maxValue(yZp.dtype));
  }
  return r;
}

} // namespace

bool evaluateOp(Operation *op, const std::vector<const Tensor *> &in,
                std::vector<Tensor> &results, std::string &error) {
  auto one = [&](Tensor t) {
    results.push_back(std::move(t));
    return true;
  };
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case([&](dialect::ConstantOp c) {
        return one(tensorFromAttr(c.getValue()));
      })
      .Case([&](dialect::QuantOp q) {
        return one(quant(*in[0], *in[1], *in[2], q.getBitwidth(),
                         q.getIsSigned(), q.getNarrow(),
                         rounding(q.getRoundingMode())));
      })
      .Case([&](dialect::BipolarQuantOp) {
        return one(bipolarQuant(*in[0], *in[1]));
      })
      .Case([&](dialect::TruncOp t) {
        return one(trunc(*in[0], *in[1], *in[2], t.getInBitwidth(),
                         t.getOutBitwidth(), rounding(t.getRoundingMode())));
      })
      .Case([&](dialect::MultiThresholdOp m) {
        int64_t rank = in[0]->rank();
        int64_t axis =
            rank <= 1 ? 0 : (m.getDataLayout() == "NHWC" ? rank - 1 : 1);
        return one(multiThreshold(*in[0], *in[1], axis,
                                  m.getOutScale().convertToDouble(),
                                  m.getOutBias().convertToDouble()));
      })
      .Case([&](dialect::RequantizeOp q) {
        return one(requantize(*in[0], vec(q.getMultiplier()), vec(q.getShift()),
                              q.getInZeroPoint(), q.getOutZeroPoint(), q.getClampMin(),
                              q.getClampMax(), axisOf(q.getAxis(), in[0]->rank()),
                              dtypeOf(q.getY())));
      })
      .Case([&](dialect::QuantizeLinearOp q) {
        return one(quantizeLinear(*in[0], *in[1], *in[2],
                                  axisOf(q.getAxis(), in[0]->rank())));
      })
      .Case([&](dialect::DequantizeLinearOp d) {
        return one(dequantizeLinear(*in[0], *in[1], *in[2],
                                    axisOf(d.getAxis(), in[0]->rank()),
                                    dtypeOf(d.getY())));
      })
      .Case([&](dialect::MatMulIntegerOp m) {
        // A's zero point may be per row (axis -2 of A), B's per column (last
        // axis of B).
        Tensor a = minusZeroPoint(*in[0], *in[2],
                                  std::max<int64_t>(in[0]->rank() - 2, 0));
        Tensor b = minusZeroPoint(*in[1], *in[3], in[1]->rank() - 1);
        return one(matmul(a, b, DType::I32));
      })
      .Case([&](dialect::ConvIntegerOp c) {
        Tensor x = minusZeroPoint(*in[0], *in[2], 1);
        Tensor w = minusZeroPoint(*in[1], *in[3], 0);
        return one(conv(x, w, nullptr,
                        convParams(c.getPads(), c.getStrides(),
                                   c.getDilations(), c.getGroup()),
                        DType::I32, shapeOf(c.getY())));
      })
      .Case([&](dialect::QLinearMatMulOp m) {
        Tensor a = minusZeroPoint(*in[0], *in[2],
                                  std::max<int64_t>(in[0]->rank() - 2, 0));
        Tensor b = minusZeroPoint(*in[3], *in[5], in[3]->rank() - 1);
        Tensor acc = matmul(a, b, DType::I64);
        return one(
            requantize(acc, *in[1], *in[4], *in[6], *in[7], acc.rank() - 1));
      })
      .Case([&](dialect::QLinearConvOp c) {
        Tensor x = minusZeroPoint(*in[0], *in[2], 1);
        Tensor w = minusZeroPoint(*in[3], *in[5], 0);
        Tensor acc = conv(x, w, in.size() > 8 ? in[8] : nullptr,
                          convParams(c.getPads(), c.getStrides(),
                                     c.getDilations(), c.getGroup()),
                          DType::I64, shapeOf(c.getY()));
        return one(requantize(acc, *in[1], *in[4], *in[6], *in[7], 1));
      })
      .Case([&](dialect::ConvOp c) {
        return one(conv(*in[0], *in[1], in.size() > 2 ? in[2] : nullptr,
                        convParams(c.getPads(), c.getStrides(),
                                   c.getDilations(), c.getGroup()),
                        dtypeOf(c.getY()), shapeOf(c.getY())));
      })
      .Case([&](dialect::MatMulOp m) {
        return one(matmul(*in[0], *in[1], dtypeOf(m.getY())));
      })
      .Case([&](dialect::GemmOp g) {
        return one(gemm(*in[0], *in[1], g.getC() ? in[2] : nullptr,
                        g.getAlpha().convertToDouble(),
                        g.getBeta().convertToDouble(), g.getTransA(),
                        g.getTransB()));
      })
      .Case([&](dialect::BatchNormOp b) {
        return one(batchNorm(*in[0], *in[1], *in[2], *in[3], *in[4],
                             b.getEpsilon().convertToDouble()));
      })
      .Case([&](dialect::AddOp) { return one(add(*in[0], *in[1])); })
      .Case([&](dialect::SubOp) { return one(sub(*in[0], *in[1])); })
      .Case([&](dialect::MulOp) { return one(mul(*in[0], *in[1])); })
      .Case([&](dialect::DivOp) { return one(div(*in[0], *in[1])); })
      .Case([&](dialect::ReluOp) {
        return one(unary(*in[0], in[0]->dtype,
                         [](double v) { return v > 0 ? v : 0.0; }));
      })
      .Case([&](dialect::SignOp) {
        return one(unary(*in[0], in[0]->dtype, [](double v) {
          return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
        }));
      })
      .Case([&](dialect::ClipOp c) {
        double lo = c.getMin() ? c.getMin()->convertToDouble() : -INFINITY;
        double hi = c.getMax() ? c.getMax()->convertToDouble() : INFINITY;
        return one(unary(*in[0], in[0]->dtype,
                         [&](double v) { return std::clamp(v, lo, hi); }));
      })
      .Case([&](dialect::MaxPoolOp p) {
        PoolParams pp{vec(p.getKernelShape()), vec(p.getPads()),
                      vec(p.getStrides()), vec(p.getDilations())};
        return one(maxPool(*in[0], pp, shapeOf(p.getY())));
      })
      .Case([&](dialect::AveragePoolOp p) {
        PoolParams pp{vec(p.getKernelShape()),
                      vec(p.getPads()),
                      vec(p.getStrides()),
                      {},
                      p.getCountIncludePad()};
        return one(averagePool(*in[0], pp, shapeOf(p.getY())));
      })
      .Case([&](dialect::GlobalAveragePoolOp) {
        return one(globalAveragePool(*in[0]));
      })
      .Case<dialect::ReshapeOp, dialect::FlattenOp, dialect::SqueezeOp,
            dialect::UnsqueezeOp>([&](Operation *o) {
        return one(reshape(*in[0], shapeOf(o->getResult(0))));
      })
      .Case([&](dialect::CastOp c) {
        return one(unary(*in[0], dtypeOf(c.getY()), [](double v) { return v; }));
      })
      .Case([&](dialect::TransposeOp t) {
        return one(transpose(*in[0], vec(t.getPerm())));
      })
      .Case([&](dialect::ConcatOp c) {
        return one(concat(in, axisOf(c.getAxis(), in[0]->rank())));
      })
      .Case([&](dialect::SoftmaxOp s) {
        return one(softmax(*in[0], axisOf(s.getAxis(), in[0]->rank())));
      })
      .Case([&](dialect::ArgMaxOp a) {
        return one(argmax(*in[0], axisOf(a.getAxis(), in[0]->rank()),
                          a.getKeepdims(), a.getSelectLastIndex()));
      })
      .Case([&](dialect::TopKOp t) {
        Tensor values, indices;
        topk(*in[0], t.getK(), axisOf(t.getAxis(), in[0]->rank()),
             t.getLargest(), values, indices);
        results.push_back(std::move(values));
        results.push_back(std::move(indices));
        return true;
      })
      .Default([&](Operation *o) {
        error = "the reference evaluator does not know '" +
                o->getName().getStringRef().str() + "'";
        return false;
      });
}

bool evaluate(func::FuncOp func, const std::vector<Tensor> &inputs,
              std::vector<Tensor> &outputs, std::string &error,
              const TraceFn &trace) {
  Block &body = func.getBody().front();
  if (inputs.size() != body.getNumArguments()) {
    error = "the model has " + std::to_string(body.getNumArguments()) +
            " input(s), got " + std::to_string(inputs.size());
    return false;
  }
  llvm::DenseMap<Value, Tensor> values;
  for (auto [arg, t] : llvm::zip(body.getArguments(), inputs)) {
    auto type = cast<RankedTensorType>(arg.getType());
    if (vec(type.getShape()) != t.shape) {
      error = "input " + std::to_string(arg.getArgNumber()) +
              " must have shape " + mlir::qnn::shapeToString(type.getShape()) +
              ", got " + t.describe();
      return false;
    }
    Tensor converted = unary(t, dtypeFromMlir(type.getElementType()),
                             [](double v) { return v; });
    values[arg] = std::move(converted);
  }
  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        outputs.push_back(values.at(v));
      return true;
    }
    std::vector<const Tensor *> operands;
    for (Value v : op.getOperands())
      operands.push_back(&values.at(v));
    std::vector<Tensor> results;
    if (!evaluateOp(&op, operands, results, error))
      return false;
    if (trace)
      trace(&op, results);
    for (auto [v, t] : llvm::zip(op.getResults(), results))
      values[v] = std::move(t);
  }
  error = "function has no return";
  return false;
}

} // namespace qnnc::ref
