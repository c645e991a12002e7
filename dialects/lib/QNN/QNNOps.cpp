//===- QNNOps.cpp - qnn op verifiers and result type inference ------------===//

#include "qnn/Dialect/QNN/QNNOps.h"
#include "qnn/Dialect/QNN/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::qnn;

namespace {

using Types = SmallVectorImpl<Type>;

LogicalResult fail(std::optional<Location> loc, const Twine &message) {
  return emitOptionalError(loc, message);
}

std::string typeName(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

RankedTensorType rankedType(Value v) {
  return dyn_cast<RankedTensorType>(v.getType());
}

LogicalResult requireStatic(std::optional<Location> loc, ValueRange values) {
  for (Value v : values) {
    auto t = rankedType(v);
    if (!t || !t.hasStaticShape())
      return fail(loc, "operands must be tensors with static shapes");
  }
  return success();
}

LogicalResult inferSameAs(std::optional<Location> loc, Value x, Types &types) {
  if (failed(requireStatic(loc, x)))
    return failure();
  types.push_back(x.getType());
  return success();
}

/// `param` must broadcast to `x` without growing it (scales, zero points,
/// thresholds inputs).
LogicalResult checkParamBroadcast(std::optional<Location> loc, Value x,
                                  Value param, StringRef name) {
  auto xt = rankedType(x), pt = rankedType(param);
  auto b = broadcastShapes(xt.getShape(), pt.getShape());
  if (!b || ArrayRef<int64_t>(*b) != xt.getShape())
    return fail(loc, Twine(name) + " of shape " + shapeToString(pt.getShape()) +
                         " does not broadcast to the input shape " +
                         shapeToString(xt.getShape()));
  return success();
}

LogicalResult inferBroadcast(std::optional<Location> loc, Value lhs, Value rhs,
                             Types &types) {
  if (failed(requireStatic(loc, {lhs, rhs})))
    return failure();
  auto lt = rankedType(lhs), rt = rankedType(rhs);
  if (lt.getElementType() != rt.getElementType())
    return fail(
        loc, "operand element types differ: " + typeName(lt.getElementType()) +
                 " vs " + typeName(rt.getElementType()));
  auto shape = broadcastShapes(lt.getShape(), rt.getShape());
  if (!shape)
    return fail(loc, "shapes " + shapeToString(lt.getShape()) + " and " +
                         shapeToString(rt.getShape()) + " do not broadcast");
  types.push_back(RankedTensorType::get(*shape, lt.getElementType()));
  return success();
}

LogicalResult checkRoundingMode(std::optional<Location> loc, StringRef mode) {
  if (!llvm::is_contained({"ROUND", "CEIL", "FLOOR", "ROUND_TO_ZERO"}, mode))
    return fail(loc, "unknown rounding_mode '" + mode +
                         "' (expected ROUND, CEIL, FLOOR or "
                         "ROUND_TO_ZERO)");
  return success();
}

/// Shared shape rule of Conv, ConvInteger and QLinearConv.
LogicalResult inferConv(std::optional<Location> loc, Value x, Value w,
                        ArrayRef<int64_t> pads, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations, int64_t group,
                        Type elementType, Types &types) {
  if (failed(requireStatic(loc, {x, w})))
    return failure();
  ArrayRef<int64_t> xs = rankedType(x).getShape(),
                    ws = rankedType(w).getShape();
  if (xs.size() < 3 || ws.size() != xs.size())
    return fail(loc, "conv expects input (N, C, spatial...) and weight (M, "
                     "C/group, kernel...) of "
                     "the same rank >= 3, got " +
                         shapeToString(xs) + " and " + shapeToString(ws));
  size_t spatial = xs.size() - 2;
  if (pads.size() != 2 * spatial || strides.size() != spatial ||
      dilations.size() != spatial)
    return fail(loc, "conv expects " + Twine(2 * spatial) + " pads, " +
                         Twine(spatial) + " strides and " + Twine(spatial) +
                         " dilations");
  if (group < 1 || xs[1] % group != 0 || ws[0] % group != 0)
    return fail(loc, "group " + Twine(group) + " must divide input channels " +
                         Twine(xs[1]) + " and output channels " + Twine(ws[0]));
  if (ws[1] * group != xs[1])
    return fail(loc, "weight has " + Twine(ws[1]) +
                         " input channels per group, input has " +
                         Twine(xs[1]) + " channels in " + Twine(group) +
                         " group(s)");
  Shape out{xs[0], ws[0]};
  for (size_t i = 0; i < spatial; ++i) {
    if (pads[i] < 0 || pads[i + spatial] < 0 || strides[i] < 1 ||
        dilations[i] < 1)
      return fail(loc, "conv pads must be >= 0, strides and dilations >= 1");
    int64_t o = windowOutputSize(xs[2 + i], ws[2 + i], strides[i], dilations[i],
                                 pads[i], pads[i + spatial], false);
    if (o < 1)
      return fail(
          loc,
          "conv kernel does not fit the padded input in spatial dimension " +
              Twine(i));
    out.push_back(o);
  }
  types.push_back(RankedTensorType::get(out, elementType));
  return success();
}

LogicalResult inferPool(std::optional<Location> loc, Value x,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> pads,
                        ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                        bool ceilMode, Types &types) {
  if (failed(requireStatic(loc, x)))
    return failure();
  ArrayRef<int64_t> xs = rankedType(x).getShape();
  if (xs.size() < 3)
    return fail(loc,
                "pooling expects an input of rank >= 3 (N, C, spatial...)");
  size_t spatial = xs.size() - 2;
  if (kernel.size() != spatial || pads.size() != 2 * spatial ||
      strides.size() != spatial ||
      (!dilations.empty() && dilations.size() != spatial))
    return fail(loc, "pooling expects " + Twine(spatial) +
                         " kernel sizes and strides and " + Twine(2 * spatial) +
                         " pads");
  Shape out{xs[0], xs[1]};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t d = dilations.empty() ? 1 : dilations[i];
    if (kernel[i] < 1 || strides[i] < 1 || d < 1 || pads[i] < 0 ||
        pads[i + spatial] < 0)
      return fail(
          loc,
          "pooling kernel, strides and dilations must be >= 1 and pads >= 0");
    if (pads[i] >= kernel[i] || pads[i + spatial] >= kernel[i])
      return fail(loc, "pooling pads must be smaller than the kernel");
    int64_t o = windowOutputSize(xs[2 + i], kernel[i], strides[i], d, pads[i],
                                 pads[i + spatial], ceilMode);
    if (o < 1)
      return fail(
          loc, "pooling window does not fit the input in spatial dimension " +
                   Twine(i));
    out.push_back(o);
  }
  types.push_back(RankedTensorType::get(out, rankedType(x).getElementType()));
  return success();
}

/// QuantizeLinear / DequantizeLinear parameters: scalar or 1-D along `axis`.
LogicalResult checkQdqParams(std::optional<Location> loc, Value x, Value scale,
                             Value zp, int64_t axis) {
  auto xt = rankedType(x), st = rankedType(scale), zt = rankedType(zp);
  if (st.getShape() != zt.getShape())
    return fail(loc, "scale and zero_point must have the same shape");
  if (st.getRank() == 0 || (st.getRank() == 1 && st.getDimSize(0) == 1))
    return success();
  if (st.getRank() != 1)
    return fail(loc, "scale must be a scalar or 1-D (per-axis)");
  auto a = normalizeAxis(axis, xt.getRank());
  if (!a)
    return fail(loc, "axis " + Twine(axis) + " is out of range for rank " +
                         Twine(xt.getRank()));
  if (xt.getDimSize(*a) != st.getDimSize(0))
    return fail(loc, "per-axis scale has " + Twine(st.getDimSize(0)) +
                         " elements but axis " + Twine(*a) + " has " +
                         Twine(xt.getDimSize(*a)));
  return success();
}

Type si32(MLIRContext *ctx) {
  return IntegerType::get(ctx, 32, IntegerType::Signed);
}
Type si64(MLIRContext *ctx) {
  return IntegerType::get(ctx, 64, IntegerType::Signed);
}

} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  ElementsAttr value;
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseAttribute(value, "value", result.attributes))
    return failure();
  result.addTypes(value.getType());
  return success();
}

void ConstantOp::print(OpAsmPrinter &p) {
  p.printOptionalAttrDict((*this)->getAttrs(), {"value"});
  p << ' ';
  p.printAttribute(getValue());
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

/// Value range of a FINN-style data type name; false if the name is unknown.
static bool dtypeRange(StringRef dtype, int64_t &lo, int64_t &hi, bool &bipolar) {
  bipolar = dtype == "BIPOLAR";
  unsigned bits;
  if (bipolar) {
    lo = -1, hi = 1;
  } else if (dtype == "TERNARY") {
    lo = -1, hi = 1;
  } else if (dtype.consume_front("UINT") && !dtype.getAsInteger(10, bits) && bits >= 1 &&
             bits <= 32) {
    lo = 0, hi = (int64_t(1) << bits) - 1;
  } else if (dtype.consume_front("INT") && !dtype.getAsInteger(10, bits) && bits >= 2 &&
             bits <= 32) {
    lo = -(int64_t(1) << (bits - 1)), hi = (int64_t(1) << (bits - 1)) - 1;
  } else {
    return false;
  }
  return true;
}

LogicalResult ConstantOp::verify() {
  if (auto dtype = getDtype()) {
    int64_t lo, hi;
    bool bipolar;
    if (!dtypeRange(*dtype, lo, hi, bipolar))
      return emitOpError("unknown dtype '") << *dtype << "'";
    auto intType = dyn_cast<IntegerType>(getType().getElementType());
    if (!intType)
      return emitOpError("dtype '") << *dtype << "' needs an integer element type";
    for (const APInt &v : getValue().getValues<APInt>()) {
      int64_t x = intType.isUnsigned() ? (int64_t)v.getZExtValue() : v.getSExtValue();
      if (x < lo || x > hi || (bipolar && x == 0))
        return emitOpError("value ") << x << " is not in dtype " << *dtype;
    }
  }
  if (getValue().getType() != getType())
    return emitOpError("value type ")
           << getValue().getType() << " differs from result type " << getType();
  if (!getType().hasStaticShape())
    return emitOpError("constants must have a static shape");
  return success();
}

//===----------------------------------------------------------------------===//
// Quantizers
//===----------------------------------------------------------------------===//

LogicalResult QuantOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc, Adaptor a,
                                        Types &types) {
  if (failed(requireStatic(loc, a.getOperands())) ||
      failed(checkParamBroadcast(loc, a.getX(), a.getScale(), "scale")) ||
      failed(checkParamBroadcast(loc, a.getX(), a.getZeropt(), "zeropt")))
    return failure();
  return inferSameAs(loc, a.getX(), types);
}

LogicalResult QuantOp::verify() {
  if (getBitwidth() < 1 || getBitwidth() > 32)
    return emitOpError("bitwidth must be in [1, 32], got ") << getBitwidth();
  if (getBitwidth() == 1 && !getIsSigned() && getNarrow())
    return emitOpError(
        "an unsigned narrow 1-bit quantizer has no representable values");
  return checkRoundingMode(getLoc(), getRoundingMode());
}

LogicalResult BipolarQuantOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getOperands())) ||
      failed(checkParamBroadcast(loc, a.getX(), a.getScale(), "scale")))
    return failure();
  return inferSameAs(loc, a.getX(), types);
}

LogicalResult TruncOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc, Adaptor a,
                                        Types &types) {
  if (failed(requireStatic(loc, a.getOperands())) ||
      failed(checkParamBroadcast(loc, a.getX(), a.getScale(), "scale")) ||
      failed(checkParamBroadcast(loc, a.getX(), a.getZeropt(), "zeropt")))
    return failure();
  return inferSameAs(loc, a.getX(), types);
}

LogicalResult TruncOp::verify() {
  if (getOutBitwidth() < 1 || getOutBitwidth() > getInBitwidth() ||
      getInBitwidth() > 32)
    return emitOpError("expects 1 <= out_bitwidth <= in_bitwidth <= 32, got ")
           << getOutBitwidth() << " and " << getInBitwidth();
  return checkRoundingMode(getLoc(), getRoundingMode());
}

LogicalResult MultiThresholdOp::inferReturnTypes(MLIRContext *ctx,
                                                 std::optional<Location> loc,
                                                 Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getOperands())))
    return failure();
  auto xt = rankedType(a.getX());
  Type elem = a.getOutType() ? *a.getOutType() : Float32Type::get(ctx);
  if (!isa<FloatType, IntegerType>(elem))
    return fail(loc, "out_type must be a float or integer type");
  types.push_back(RankedTensorType::get(xt.getShape(), elem));
  return success();
}

LogicalResult MultiThresholdOp::verify() {
  auto xt = getX().getType(), tt = getThresholds().getType();
  if (getDataLayout() != "NCHW" && getDataLayout() != "NHWC")
    return emitOpError("data_layout must be NCHW or NHWC, got '")
           << getDataLayout() << "'";
  if (xt.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  if (tt.getRank() != 2)
    return emitOpError("thresholds must have shape (C, B) or (1, B), got ")
           << shapeToString(tt.getShape());
  bool channelsLast = getDataLayout() == "NHWC" || xt.getRank() <= 2;
  int64_t channels = xt.getRank() == 1
                         ? 1
                         : xt.getDimSize(channelsLast ? xt.getRank() - 1 : 1);
  if (tt.getDimSize(0) != 1 && tt.getDimSize(0) != channels)
    return emitOpError("thresholds have ")
           << tt.getDimSize(0) << " rows but the input has " << channels
           << " channels";
  return success();
}

LogicalResult QuantizeLinearOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getOperands())) ||
      failed(checkQdqParams(loc, a.getX(), a.getScale(), a.getZeroPoint(),
                            a.getAxis())))
    return failure();
  types.push_back(
      RankedTensorType::get(rankedType(a.getX()).getShape(),
                            rankedType(a.getZeroPoint()).getElementType()));
  return success();
}

LogicalResult QuantizeLinearOp::verify() {
  unsigned width = getY().getType().getElementTypeBitWidth();
  if (width != 8 && width != 16 && width != 32)
    return emitOpError("quantizes to 8, 16 or 32-bit integers, not ")
           << getY().getType().getElementType();
  return success();
}

LogicalResult DequantizeLinearOp::inferReturnTypes(MLIRContext *,
                                                   std::optional<Location> loc,
                                                   Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getOperands())) ||
      failed(checkQdqParams(loc, a.getX(), a.getScale(), a.getZeroPoint(),
                            a.getAxis())))
    return failure();
  types.push_back(
      RankedTensorType::get(rankedType(a.getX()).getShape(),
                            rankedType(a.getScale()).getElementType()));
  return success();
}

LogicalResult DequantizeLinearOp::verify() {
  if (getX().getType().getElementType() !=
      getZeroPoint().getType().getElementType())
    return emitOpError("input and zero_point element types differ");
  return success();
}

//===----------------------------------------------------------------------===//
// Integer linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatMulIntegerOp::inferReturnTypes(MLIRContext *ctx,
                                                std::optional<Location> loc,
                                                Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getOperands())))
    return failure();
  auto shape = matmulShape(rankedType(a.getA()).getShape(),
                           rankedType(a.getB()).getShape());
  if (!shape)
    return fail(loc, "matmul operand shapes " +
                         shapeToString(rankedType(a.getA()).getShape()) +
                         " and " +
                         shapeToString(rankedType(a.getB()).getShape()) +
                         " are incompatible");
  types.push_back(RankedTensorType::get(*shape, si32(ctx)));
  return success();
}

LogicalResult ConvIntegerOp::inferReturnTypes(MLIRContext *ctx,
                                              std::optional<Location> loc,
                                              Adaptor a, Types &types) {
  return inferConv(loc, a.getX(), a.getW(), a.getPads(), a.getStrides(),
                   a.getDilations(), a.getGroup(), si32(ctx), types);
}

LogicalResult QLinearMatMulOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getOperands())))
    return failure();
  auto shape = matmulShape(rankedType(a.getA()).getShape(),
                           rankedType(a.getB()).getShape());
  if (!shape)
    return fail(loc, "matmul operand shapes " +
                         shapeToString(rankedType(a.getA()).getShape()) +
                         " and " +
                         shapeToString(rankedType(a.getB()).getShape()) +
                         " are incompatible");
  types.push_back(RankedTensorType::get(
      *shape, rankedType(a.getYZeroPoint()).getElementType()));
  return success();
}

LogicalResult QLinearConvOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor a, Types &types) {
  return inferConv(loc, a.getX(), a.getW(), a.getPads(), a.getStrides(),
                   a.getDilations(), a.getGroup(),
                   rankedType(a.getYZeroPoint()).getElementType(), types);
}

//===----------------------------------------------------------------------===//
// Layer ops
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc, Adaptor a,
                                       Types &types) {
  if (a.getBias()) {
    auto bt = rankedType(a.getBias());
    auto wt = rankedType(a.getW());
    if (!bt || bt.getRank() != 1 || !wt || bt.getDimSize(0) != wt.getDimSize(0))
      return fail(loc,
                  "conv bias must be 1-D with one value per output channel");
  }
  return inferConv(loc, a.getX(), a.getW(), a.getPads(), a.getStrides(),
                   a.getDilations(), a.getGroup(),
                   rankedType(a.getX()).getElementType(), types);
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc, Adaptor a,
                                         Types &types) {
  if (failed(requireStatic(loc, a.getOperands())))
    return failure();
  auto at = rankedType(a.getA()), bt = rankedType(a.getB());
  // Integer operands of any widths (streamlined graphs) accumulate exactly in si32.
  bool integer = isa<IntegerType>(at.getElementType()) &&
                 isa<IntegerType>(bt.getElementType());
  if (at.getElementType() != bt.getElementType() && !integer)
    return fail(loc, "matmul operand element types differ");
  auto shape = matmulShape(at.getShape(), bt.getShape());
  if (!shape)
    return fail(loc, "matmul operand shapes " + shapeToString(at.getShape()) +
                         " and " + shapeToString(bt.getShape()) +
                         " are incompatible");
  Type elem = integer ? IntegerType::get(at.getContext(), 32, IntegerType::Signed)
                      : at.getElementType();
  types.push_back(RankedTensorType::get(*shape, elem));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc, Adaptor a,
                                       Types &types) {
  if (failed(requireStatic(loc, a.getOperands())))
    return failure();
  auto at = rankedType(a.getA()), bt = rankedType(a.getB());
  if (at.getRank() != 2 || bt.getRank() != 2)
    return fail(loc, "gemm operands must be 2-D");
  int64_t m = at.getDimSize(a.getTransA() ? 1 : 0),
          k = at.getDimSize(a.getTransA() ? 0 : 1);
  int64_t kb = bt.getDimSize(a.getTransB() ? 1 : 0),
          n = bt.getDimSize(a.getTransB() ? 0 : 1);
  if (k != kb)
    return fail(loc, "gemm inner dimensions differ: " + Twine(k) + " vs " +
                         Twine(kb));
  if (a.getC()) {
    auto b = broadcastShapes({m, n}, rankedType(a.getC()).getShape());
    if (!b || ArrayRef<int64_t>(*b) != ArrayRef<int64_t>{m, n})
      return fail(loc, "gemm C does not broadcast to the result shape");
  }
  types.push_back(RankedTensorType::get({m, n}, at.getElementType()));
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getOperands())))
    return failure();
  auto xt = rankedType(a.getX());
  if (xt.getRank() < 2)
    return fail(loc, "batchnorm input must have rank >= 2");
  for (Value p : {a.getScale(), a.getBias(), a.getMean(), a.getVar()}) {
    auto pt = rankedType(p);
    if (pt.getRank() != 1 || pt.getDimSize(0) != xt.getDimSize(1))
      return fail(loc, "batchnorm parameters must be 1-D with " +
                           Twine(xt.getDimSize(1)) + " channels, got " +
                           shapeToString(pt.getShape()));
  }
  types.push_back(xt);
  return success();
}

#define QNN_BINARY_INFER(OP)                                                   \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor a, Types &types) {   \
    return inferBroadcast(loc, a.getLhs(), a.getRhs(), types);                 \
  }
QNN_BINARY_INFER(AddOp)
QNN_BINARY_INFER(SubOp)
QNN_BINARY_INFER(MulOp)
QNN_BINARY_INFER(DivOp)
#undef QNN_BINARY_INFER

LogicalResult ReluOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc, Adaptor a,
                                       Types &types) {
  return inferSameAs(loc, a.getX(), types);
}

LogicalResult SignOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc, Adaptor a,
                                       Types &types) {
  return inferSameAs(loc, a.getX(), types);
}

LogicalResult ClipOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc, Adaptor a,
                                       Types &types) {
  return inferSameAs(loc, a.getX(), types);
}

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() &&
      getMin()->convertToDouble() > getMax()->convertToDouble())
    return emitOpError("min ")
           << getMin()->convertToDouble() << " is greater than max "
           << getMax()->convertToDouble();
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a, Types &types) {
  return inferPool(loc, a.getX(), a.getKernelShape(), a.getPads(),
                   a.getStrides(), a.getDilations(), a.getCeilMode(), types);
}

LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor a, Types &types) {
  return inferPool(loc, a.getX(), a.getKernelShape(), a.getPads(),
                   a.getStrides(), {}, a.getCeilMode(), types);
}

LogicalResult GlobalAveragePoolOp::inferReturnTypes(MLIRContext *,
                                                    std::optional<Location> loc,
                                                    Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  if (xt.getRank() < 3)
    return fail(loc, "global_average_pool expects an input of rank >= 3");
  Shape out(xt.getShape());
  std::fill(out.begin() + 2, out.end(), 1);
  types.push_back(RankedTensorType::get(out, xt.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  if (llvm::any_of(a.getShape(), [](int64_t d) { return d < 0; }) ||
      numElements(a.getShape()) != xt.getNumElements())
    return fail(loc, "cannot reshape " + shapeToString(xt.getShape()) + " to " +
                         shapeToString(a.getShape()));
  types.push_back(RankedTensorType::get(a.getShape(), xt.getElementType()));
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  int64_t axis = a.getAxis() < 0 ? a.getAxis() + xt.getRank() : a.getAxis();
  if (axis < 0 || axis > xt.getRank())
    return fail(loc, "flatten axis " + Twine(a.getAxis()) + " is out of range");
  int64_t outer = numElements(xt.getShape().take_front(axis));
  types.push_back(RankedTensorType::get(
      {outer, xt.getNumElements() / std::max<int64_t>(outer, 1)},
      xt.getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  ArrayRef<int64_t> perm = a.getPerm();
  SmallVector<bool> seen(xt.getRank(), false);
  Shape out;
  if ((int64_t)perm.size() != xt.getRank())
    return fail(loc, "transpose perm must have one entry per dimension");
  for (int64_t p : perm) {
    if (p < 0 || p >= xt.getRank() || seen[p])
      return fail(loc, "transpose perm is not a permutation");
    seen[p] = true;
    out.push_back(xt.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(out, xt.getElementType()));
  return success();
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  SmallVector<bool> drop(xt.getRank(), false);
  for (int64_t axis : a.getAxes()) {
    auto n = normalizeAxis(axis, xt.getRank());
    if (!n || xt.getDimSize(*n) != 1)
      return fail(loc, "squeeze axis " + Twine(axis) +
                           " is out of range or not of size 1");
    drop[*n] = true;
  }
  Shape out;
  for (int64_t i = 0; i < xt.getRank(); ++i)
    if (!drop[i])
      out.push_back(xt.getDimSize(i));
  types.push_back(RankedTensorType::get(out, xt.getElementType()));
  return success();
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  int64_t rank = xt.getRank() + a.getAxes().size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : a.getAxes()) {
    auto n = normalizeAxis(axis, rank);
    if (!n || inserted[*n])
      return fail(loc, "unsqueeze axis " + Twine(axis) +
                           " is out of range or repeated");
    inserted[*n] = true;
  }
  Shape out;
  for (int64_t i = 0, j = 0; i < rank; ++i)
    out.push_back(inserted[i] ? 1 : xt.getDimSize(j++));
  types.push_back(RankedTensorType::get(out, xt.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc, Adaptor a,
                                         Types &types) {
  if (a.getInputs().empty())
    return fail(loc, "concat needs at least one input");
  if (failed(requireStatic(loc, a.getInputs())))
    return failure();
  auto first = rankedType(a.getInputs()[0]);
  auto axis = normalizeAxis(a.getAxis(), first.getRank());
  if (!axis)
    return fail(loc, "concat axis " + Twine(a.getAxis()) + " is out of range");
  Shape out(first.getShape());
  out[*axis] = 0;
  for (Value v : a.getInputs()) {
    auto t = rankedType(v);
    if (t.getElementType() != first.getElementType() ||
        t.getRank() != first.getRank())
      return fail(loc,
                  "concat inputs must have the same element type and rank");
    for (int64_t i = 0; i < t.getRank(); ++i)
      if (i != *axis && t.getDimSize(i) != first.getDimSize(i))
        return fail(loc, "concat inputs differ in dimension " + Twine(i) +
                             ": " + shapeToString(first.getShape()) + " vs " +
                             shapeToString(t.getShape()));
    out[*axis] += t.getDimSize(*axis);
  }
  types.push_back(RankedTensorType::get(out, first.getElementType()));
  return success();
}

LogicalResult RequantizeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                             Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  if (!isa<IntegerType>(a.getOutType()))
    return fail(loc, "out_type must be an integer type");
  types.push_back(RankedTensorType::get(rankedType(a.getX()).getShape(), a.getOutType()));
  return success();
}

LogicalResult RequantizeOp::verify() {
  auto xt = getX().getType();
  size_t n = getMultiplier().size();
  if (n == 0 || getShift().size() != n)
    return emitOpError("needs as many shifts as multipliers (one, or one per channel)");
  if (n > 1) {
    auto axis = normalizeAxis(getAxis(), xt.getRank());
    if (!axis || xt.getDimSize(*axis) != int64_t(n))
      return emitOpError("has ") << n << " multipliers but axis " << getAxis()
                                 << " does not have that many channels";
  }
  for (auto [m, sh] : llvm::zip(getMultiplier(), getShift()))
    if (m < 0 || m >= (int64_t(1) << 31) || sh < 1 || sh > 62)
      return emitOpError("multipliers must be in [0, 2^31) and shifts in [1, 62]");
  if (getClampMin() > getClampMax())
    return emitOpError("clamp_min is greater than clamp_max");
  return success();
}

LogicalResult CastOp::verify() {
  if (getX().getType().getShape() != getY().getType().getShape())
    return emitOpError("cast must keep the shape");
  return success();
}

//===----------------------------------------------------------------------===//
// Output heads
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a, Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  if (!normalizeAxis(a.getAxis(), rankedType(a.getX()).getRank()))
    return fail(loc, "softmax axis " + Twine(a.getAxis()) + " is out of range");
  types.push_back(a.getX().getType());
  return success();
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc, Adaptor a,
                                         Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  auto axis = normalizeAxis(a.getAxis(), xt.getRank());
  if (!axis)
    return fail(loc, "argmax axis " + Twine(a.getAxis()) + " is out of range");
  Shape out(xt.getShape());
  if (a.getKeepdims())
    out[*axis] = 1;
  else
    out.erase(out.begin() + *axis);
  types.push_back(RankedTensorType::get(out, si64(ctx)));
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc, Adaptor a,
                                       Types &types) {
  if (failed(requireStatic(loc, a.getX())))
    return failure();
  auto xt = rankedType(a.getX());
  auto axis = normalizeAxis(a.getAxis(), xt.getRank());
  if (!axis)
    return fail(loc, "topk axis " + Twine(a.getAxis()) + " is out of range");
  if (a.getK() < 1 || a.getK() > xt.getDimSize(*axis))
    return fail(loc, "topk k = " + Twine(a.getK()) + " must be in [1, " +
                         Twine(xt.getDimSize(*axis)) + "]");
  Shape out(xt.getShape());
  out[*axis] = a.getK();
  types.push_back(RankedTensorType::get(out, xt.getElementType()));
  types.push_back(RankedTensorType::get(out, si64(ctx)));
  return success();
}

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/QNNOps.cpp.inc"
