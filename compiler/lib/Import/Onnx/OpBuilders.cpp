//===- OpBuilders.cpp - One ONNX/QONNX node to qnn ops --------------------===//
//
// Each builder turns ONNX inputs that must be compile-time constants (Reshape's
// shape, Quant's bit-width, TopK's k, ...) into attributes, resolves ONNX
// defaults and version differences, and leaves shape checking to the op's type
// inference.
//
//===----------------------------------------------------------------------===//

#include "NodeContext.h"
#include "qnn/Dialect/QNN/QNNOps.h"
#include "qnn/Dialect/QNN/ShapeUtils.h"

#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <functional>

using namespace mlir;

namespace qnnc::onnximport {

using ref::DType;
using ref::Tensor;

namespace {

NamedAttribute named(NodeContext &ctx, StringRef name, Attribute a) {
  return NamedAttribute(StringAttr::get(ctx.context(), name), a);
}
NamedAttribute i64(NodeContext &ctx, StringRef name, int64_t v) {
  return named(ctx, name, ctx.builder.getI64IntegerAttr(v));
}
NamedAttribute f64(NodeContext &ctx, StringRef name, double v) {
  return named(ctx, name, ctx.builder.getF64FloatAttr(v));
}
NamedAttribute flag(NodeContext &ctx, StringRef name, bool v) {
  return named(ctx, name, ctx.builder.getBoolAttr(v));
}
NamedAttribute str(NodeContext &ctx, StringRef name, StringRef v) {
  return named(ctx, name, ctx.builder.getStringAttr(v));
}
NamedAttribute array(NodeContext &ctx, StringRef name, ArrayRef<int64_t> v) {
  return named(ctx, name, ctx.builder.getDenseI64ArrayAttr(v));
}

/// A constant scalar input (bit-widths, k): must be a compile-time constant
/// with an integral value.
bool constantInt(NodeContext &ctx, size_t i, const char *what, int64_t &out) {
  const Tensor *t = ctx.constant(i);
  if (!t)
    return ctx.error(std::string(what) + " (input " + std::to_string(i) +
                     ") must be a compile-time constant");
  if (t->numel() != 1 || t->data[0] != std::floor(t->data[0]))
    return ctx.error(std::string(what) + " must be a single integer value");
  out = static_cast<int64_t>(t->data[0]);
  return true;
}

/// A constant float input or attribute (Clip bounds).
bool optionalConstantFloat(NodeContext &ctx, size_t i,
                           std::optional<double> &out) {
  if (!ctx.hasInput(i))
    return true;
  const Tensor *t = ctx.constant(i);
  if (!t || t->numel() != 1)
    return ctx.error("input " + std::to_string(i) +
                     " must be a constant scalar");
  out = t->data[0];
  return true;
}

bool spatialRank(NodeContext &ctx, int64_t &spatial) {
  spatial = ctx.type(0).getRank() - 2;
  if (spatial < 1)
    return ctx.error(
        "expects an input of rank >= 3 (N, C, spatial...), got rank " +
        std::to_string(ctx.type(0).getRank()));
  return true;
}

/// Resolves kernel, strides, dilations and explicit pads (auto_pad included) of
/// Conv and pooling nodes.
bool windowAttrs(NodeContext &ctx, std::vector<int64_t> kernel,
                 std::vector<int64_t> &pads, std::vector<int64_t> &strides,
                 std::vector<int64_t> &dilations) {
  int64_t spatial = kernel.size();
  strides = ctx.attrInts("strides", std::vector<int64_t>(spatial, 1));
  dilations = ctx.attrInts("dilations", std::vector<int64_t>(spatial, 1));
  pads = ctx.attrInts("pads", std::vector<int64_t>(2 * spatial, 0));
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return ctx.error("strides, dilations and pads must have " +
                     std::to_string(spatial) + ", " + std::to_string(spatial) +
                     " and " + std::to_string(2 * spatial) + " entries");
  std::string autoPad = ctx.attrString("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    std::fill(pads.begin(), pads.end(), 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    auto in = ctx.type(0).getShape();
    for (int64_t i = 0; i < spatial; ++i) {
      if (strides[i] < 1)
        return ctx.error("strides must be >= 1");
      int64_t out = (in[2 + i] + strides[i] - 1) / strides[i];
      int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] +
                                               (kernel[i] - 1) * dilations[i] +
                                               1 - in[2 + i]);
      int64_t small = total / 2;
      pads[i] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[i + spatial] = total - pads[i];
    }
  } else if (autoPad != "NOTSET") {
    return ctx.error("unknown auto_pad '" + autoPad + "'");
  }
  return true;
}

template <typename OpTy>
bool convLike(NodeContext &ctx, size_t weightInput, size_t minIn,
              size_t maxIn) {
  int64_t spatial;
  if (!ctx.requireInputs(minIn, maxIn) || !spatialRank(ctx, spatial))
    return false;
  auto wShape = ctx.type(weightInput).getShape();
  if (static_cast<int64_t>(wShape.size()) != spatial + 2)
    return ctx.error("weight must have rank " + std::to_string(spatial + 2));
  std::vector<int64_t> kernel(wShape.begin() + 2, wShape.end());
  kernel = ctx.attrInts("kernel_shape", kernel);
  if (std::vector<int64_t>(wShape.begin() + 2, wShape.end()) != kernel)
    return ctx.error(
        "kernel_shape does not match the weight's spatial dimensions");
  std::vector<int64_t> pads, strides, dilations;
  if (!windowAttrs(ctx, kernel, pads, strides, dilations))
    return false;
  SmallVector<Value> operands;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (ctx.hasInput(i))
      operands.push_back(ctx.value(i));
  return ctx.emit<OpTy>(operands, {array(ctx, "pads", pads),
                                   array(ctx, "strides", strides),
                                   array(ctx, "dilations", dilations),
                                   i64(ctx, "group", ctx.attrInt("group", 1))});
}

/// ONNX makes zero points optional (default: 0 of the quantized type, uint8
/// when no type is known). The qnn ops always take them, so missing ones become
/// constants here.
Value zeroPoint(NodeContext &ctx, size_t i, Type elementType,
                ArrayRef<int64_t> shape = {}) {
  if (ctx.hasInput(i))
    return ctx.value(i);
  auto type = RankedTensorType::get(shape, elementType);
  Attribute zero = isa<FloatType>(elementType)
                       ? Attribute(FloatAttr::get(elementType, 0.0))
                       : Attribute(IntegerAttr::get(elementType, 0));
  return ctx.builder.create<qnn::ConstantOp>(
      ctx.loc(), cast<ElementsAttr>(DenseElementsAttr::get(type, zero)));
}

Type ui8(NodeContext &ctx) {
  return IntegerType::get(ctx.context(), 8, IntegerType::Unsigned);
}

bool poolLike(NodeContext &ctx, bool isMax) {
  int64_t spatial;
  if (!ctx.requireInputs(1, 1) || !spatialRank(ctx, spatial))
    return false;
  if (!ctx.hasAttr("kernel_shape"))
    return ctx.error("kernel_shape is required");
  std::vector<int64_t> kernel = ctx.attrInts("kernel_shape", {}), pads, strides,
                       dilations;
  if (static_cast<int64_t>(kernel.size()) != spatial)
    return ctx.error("kernel_shape must have " + std::to_string(spatial) +
                     " entries");
  if (!windowAttrs(ctx, kernel, pads, strides, dilations))
    return false;
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    return ctx.error("the Indices output of MaxPool is not supported");
  SmallVector<NamedAttribute> attrs{
      array(ctx, "kernel_shape", kernel), array(ctx, "pads", pads),
      array(ctx, "strides", strides),
      flag(ctx, "ceil_mode", ctx.attrInt("ceil_mode", 0))};
  if (isMax) {
    if (ctx.attrInt("storage_order", 0) != 0)
      return ctx.error("storage_order 1 is not supported");
    attrs.push_back(array(ctx, "dilations", dilations));
    return ctx.emit<qnn::MaxPoolOp>(ctx.value(0), attrs);
  }
  if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
    return ctx.error("AveragePool with dilations is not supported");
  attrs.push_back(
      flag(ctx, "count_include_pad", ctx.attrInt("count_include_pad", 0)));
  return ctx.emit<qnn::AveragePoolOp>(ctx.value(0), attrs);
}

std::string upper(std::string s) {
  for (char &c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool buildQuant(NodeContext &ctx) {
  int64_t bits;
  if (!ctx.requireInputs(4, 4) || !constantInt(ctx, 3, "bitwidth", bits))
    return false;
  return ctx.emit<qnn::QuantOp>(
      {ctx.value(0), ctx.value(1), ctx.value(2)},
      {i64(ctx, "bitwidth", bits),
       flag(ctx, "is_signed", ctx.attrInt("signed", 1)),
       flag(ctx, "narrow", ctx.attrInt("narrow", 1)),
       str(ctx, "rounding_mode",
           upper(ctx.attrString("rounding_mode", "ROUND")))});
}

bool buildTrunc(NodeContext &ctx) {
  int64_t inBits, outBits;
  if (!ctx.requireInputs(5, 5) || !constantInt(ctx, 3, "in_bitwidth", inBits) ||
      !constantInt(ctx, 4, "out_bitwidth", outBits))
    return false;
  return ctx.emit<qnn::TruncOp>(
      {ctx.value(0), ctx.value(1), ctx.value(2)},
      {i64(ctx, "in_bitwidth", inBits), i64(ctx, "out_bitwidth", outBits),
       str(ctx, "rounding_mode",
           upper(ctx.attrString("rounding_mode", "FLOOR")))});
}

bool buildMultiThreshold(NodeContext &ctx) {
  if (!ctx.requireInputs(2, 2))
    return false;
  if (!ctx.hasAttr("out_dtype"))
    return ctx.error("attribute out_dtype is required");
  return ctx.emit<qnn::MultiThresholdOp>(
      {ctx.value(0), ctx.value(1)},
      {str(ctx, "out_dtype", ctx.attrString("out_dtype", "")),
       f64(ctx, "out_scale", ctx.attrFloat("out_scale", 1.0f)),
       f64(ctx, "out_bias", ctx.attrFloat("out_bias", 0.0f)),
       str(ctx, "data_layout", ctx.attrString("data_layout", "NCHW"))});
}

template <typename OpTy> bool binary(NodeContext &ctx) {
  return ctx.requireInputs(2, 2) &&
         ctx.emit<OpTy>({ctx.value(0), ctx.value(1)});
}

template <typename OpTy> bool unaryOp(NodeContext &ctx) {
  return ctx.requireInputs(1, 1) && ctx.emit<OpTy>(ctx.value(0));
}

bool buildClip(NodeContext &ctx) {
  std::optional<double> lo, hi;
  if (ctx.opset < 11) {
    if (!ctx.requireInputs(1, 1))
      return false;
    if (ctx.hasAttr("min"))
      lo = ctx.attrFloat("min", 0);
    if (ctx.hasAttr("max"))
      hi = ctx.attrFloat("max", 0);
  } else if (!ctx.requireInputs(1, 3) || !optionalConstantFloat(ctx, 1, lo) ||
             !optionalConstantFloat(ctx, 2, hi)) {
    return false;
  }
  SmallVector<NamedAttribute> attrs;
  if (lo)
    attrs.push_back(f64(ctx, "min", *lo));
  if (hi)
    attrs.push_back(f64(ctx, "max", *hi));
  return ctx.emit<qnn::ClipOp>(ctx.value(0), attrs);
}

bool buildGemm(NodeContext &ctx) {
  if (!ctx.requireInputs(2, 3))
    return false;
  SmallVector<Value> operands{ctx.value(0), ctx.value(1)};
  if (ctx.hasInput(2))
    operands.push_back(ctx.value(2));
  return ctx.emit<qnn::GemmOp>(operands,
                               {f64(ctx, "alpha", ctx.attrFloat("alpha", 1.0f)),
                                f64(ctx, "beta", ctx.attrFloat("beta", 1.0f)),
                                flag(ctx, "transA", ctx.attrInt("transA", 0)),
                                flag(ctx, "transB", ctx.attrInt("transB", 0))});
}

bool buildBatchNorm(NodeContext &ctx) {
  if (!ctx.requireInputs(5, 5))
    return false;
  if (ctx.attrInt("training_mode", 0))
    return ctx.error("training_mode is not supported (inference only)");
  return ctx.emit<qnn::BatchNormOp>(
      {ctx.value(0), ctx.value(1), ctx.value(2), ctx.value(3), ctx.value(4)},
      {f64(ctx, "epsilon", ctx.attrFloat("epsilon", 1e-5f))});
}

bool buildReshape(NodeContext &ctx) {
  std::vector<int64_t> shape;
  auto in = ctx.type(0).getShape();
  if (!ctx.requireInputs(2, 2) ||
      !reshapeTarget(ctx, std::vector<int64_t>(in.begin(), in.end()), shape))
    return false;
  return ctx.emit<qnn::ReshapeOp>(ctx.value(0), {array(ctx, "shape", shape)});
}

bool buildTranspose(NodeContext &ctx) {
  if (!ctx.requireInputs(1, 1))
    return false;
  int64_t rank = ctx.type(0).getRank();
  std::vector<int64_t> perm(rank);
  for (int64_t i = 0; i < rank; ++i)
    perm[i] = rank - 1 - i;
  return ctx.emit<qnn::TransposeOp>(
      ctx.value(0), {array(ctx, "perm", ctx.attrInts("perm", perm))});
}

bool buildSqueeze(NodeContext &ctx) {
  std::vector<int64_t> axes;
  auto in = ctx.type(0).getShape();
  if (!ctx.requireInputs(1, 2) ||
      !squeezeAxes(ctx, std::vector<int64_t>(in.begin(), in.end()), axes))
    return false;
  return ctx.emit<qnn::SqueezeOp>(ctx.value(0), {array(ctx, "axes", axes)});
}

bool buildUnsqueeze(NodeContext &ctx) {
  std::vector<int64_t> axes;
  if (!ctx.requireInputs(1, 2) || !axesOperand(ctx, 1, axes))
    return false;
  return ctx.emit<qnn::UnsqueezeOp>(ctx.value(0), {array(ctx, "axes", axes)});
}

bool buildConcat(NodeContext &ctx) {
  if (!ctx.hasAttr("axis"))
    return ctx.error("attribute axis is required");
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    inputs.push_back(ctx.value(i));
  return ctx.emit<qnn::ConcatOp>(inputs,
                                 {i64(ctx, "axis", ctx.attrInt("axis", 0))});
}

bool buildSoftmax(NodeContext &ctx) {
  if (!ctx.requireInputs(1, 1))
    return false;
  int64_t rank = ctx.type(0).getRank();
  int64_t axis = ctx.attrInt("axis", ctx.opset < 13 ? 1 : -1);
  auto norm = mlir::qnn::normalizeAxis(axis, rank);
  // Before opset 13 Softmax works on the input flattened to 2-D at `axis`; that
  // equals the one-axis form only when axis is the last one.
  if (ctx.opset < 13 && norm && *norm != rank - 1)
    return ctx.error(
        "Softmax before opset 13 is supported only along the last axis");
  return ctx.emit<qnn::SoftmaxOp>(ctx.value(0), {i64(ctx, "axis", axis)});
}

bool buildArgMax(NodeContext &ctx) {
  return ctx.requireInputs(1, 1) &&
         ctx.emit<qnn::ArgMaxOp>(
             ctx.value(0), {i64(ctx, "axis", ctx.attrInt("axis", 0)),
                            flag(ctx, "keepdims", ctx.attrInt("keepdims", 1)),
                            flag(ctx, "select_last_index",
                                 ctx.attrInt("select_last_index", 0))});
}

bool buildTopK(NodeContext &ctx) {
  int64_t k;
  if (ctx.opset < 10) {
    if (!ctx.requireInputs(1, 1))
      return false;
    k = ctx.attrInt("k", 1);
  } else if (!ctx.requireInputs(2, 2) || !constantInt(ctx, 1, "K", k)) {
    return false;
  }
  return ctx.emit<qnn::TopKOp>(ctx.value(0),
                               {i64(ctx, "k", k),
                                i64(ctx, "axis", ctx.attrInt("axis", -1)),
                                flag(ctx, "largest", ctx.attrInt("largest", 1)),
                                flag(ctx, "sorted", ctx.attrInt("sorted", 1))});
}

bool buildQuantizeLinear(NodeContext &ctx) {
  if (!ctx.requireInputs(2, 3))
    return false;
  auto scaleShape = ctx.type(1).getShape();
  return ctx.emit<qnn::QuantizeLinearOp>(
      {ctx.value(0), ctx.value(1), zeroPoint(ctx, 2, ui8(ctx), scaleShape)},
      {i64(ctx, "axis", ctx.attrInt("axis", 1))});
}

bool buildDequantizeLinear(NodeContext &ctx) {
  if (!ctx.requireInputs(2, 3))
    return false;
  auto scaleShape = ctx.type(1).getShape();
  return ctx.emit<qnn::DequantizeLinearOp>(
      {ctx.value(0), ctx.value(1),
       zeroPoint(ctx, 2, ctx.type(0).getElementType(), scaleShape)},
      {i64(ctx, "axis", ctx.attrInt("axis", 1))});
}

bool buildMatMulInteger(NodeContext &ctx) {
  if (!ctx.requireInputs(2, 4))
    return false;
  return ctx.emit<qnn::MatMulIntegerOp>(
      {ctx.value(0), ctx.value(1),
       zeroPoint(ctx, 2, ctx.type(0).getElementType()),
       zeroPoint(ctx, 3, ctx.type(1).getElementType())});
}

bool buildConvInteger(NodeContext &ctx) {
  if (!ctx.requireInputs(2, 4))
    return false;
  // Materialize omitted zero points so the op always has four operands.
  Value xz = zeroPoint(ctx, 2, ctx.type(0).getElementType());
  Value wz = zeroPoint(ctx, 3, ctx.type(1).getElementType());
  int64_t spatial;
  if (!spatialRank(ctx, spatial))
    return false;
  auto wShape = ctx.type(1).getShape();
  std::vector<int64_t> kernel(
      wShape.begin() + std::min<size_t>(2, wShape.size()), wShape.end());
  std::vector<int64_t> pads, strides, dilations;
  if (static_cast<int64_t>(kernel.size()) != spatial)
    return ctx.error("weight must have rank " + std::to_string(spatial + 2));
  if (!windowAttrs(ctx, kernel, pads, strides, dilations))
    return false;
  return ctx.emit<qnn::ConvIntegerOp>(
      {ctx.value(0), ctx.value(1), xz, wz},
      {array(ctx, "pads", pads), array(ctx, "strides", strides),
       array(ctx, "dilations", dilations),
       i64(ctx, "group", ctx.attrInt("group", 1))});
}

bool buildQLinearMatMul(NodeContext &ctx) {
  if (!ctx.requireInputs(8, 8))
    return false;
  SmallVector<Value> operands;
  for (size_t i = 0; i < 8; ++i)
    operands.push_back(ctx.value(i));
  return ctx.emit<qnn::QLinearMatMulOp>(operands);
}

using Builder = std::function<bool(NodeContext &)>;

const llvm::StringMap<Builder> &standardBuilders() {
  static const llvm::StringMap<Builder> builders = {
      {"Conv",
       [](NodeContext &c) { return convLike<qnn::ConvOp>(c, 1, 2, 3); }},
      {"QLinearConv",
       [](NodeContext &c) { return convLike<qnn::QLinearConvOp>(c, 3, 8, 9); }},
      {"ConvInteger", buildConvInteger},
      {"MatMul", binary<qnn::MatMulOp>},
      {"MatMulInteger", buildMatMulInteger},
      {"QLinearMatMul", buildQLinearMatMul},
      {"Gemm", buildGemm},
      {"BatchNormalization", buildBatchNorm},
      {"Add", binary<qnn::AddOp>},
      {"Sub", binary<qnn::SubOp>},
      {"Mul", binary<qnn::MulOp>},
      {"Div", binary<qnn::DivOp>},
      {"Relu", unaryOp<qnn::ReluOp>},
      {"Sign", unaryOp<qnn::SignOp>},
      {"Clip", buildClip},
      {"MaxPool", [](NodeContext &c) { return poolLike(c, true); }},
      {"AveragePool", [](NodeContext &c) { return poolLike(c, false); }},
      {"GlobalAveragePool", unaryOp<qnn::GlobalAveragePoolOp>},
      {"Reshape", buildReshape},
      {"Flatten",
       [](NodeContext &c) {
         return c.requireInputs(1, 1) &&
                c.emit<qnn::FlattenOp>(c.value(0),
                                       {i64(c, "axis", c.attrInt("axis", 1))});
       }},
      {"Transpose", buildTranspose},
      {"Squeeze", buildSqueeze},
      {"Unsqueeze", buildUnsqueeze},
      {"Concat", buildConcat},
      {"Softmax", buildSoftmax},
      {"ArgMax", buildArgMax},
      {"TopK", buildTopK},
      {"QuantizeLinear", buildQuantizeLinear},
      {"DequantizeLinear", buildDequantizeLinear},
      // Some Brevitas exports put Quant in the default domain.
      {"Quant", buildQuant},
  };
  return builders;
}

const llvm::StringMap<Builder> &customBuilders() {
  static const llvm::StringMap<Builder> builders = {
      {"Quant", buildQuant},
      {"IntQuant", buildQuant},
      {"BipolarQuant",
       [](NodeContext &c) {
         return c.requireInputs(2, 2) &&
                c.emit<qnn::BipolarQuantOp>({c.value(0), c.value(1)});
       }},
      {"Trunc", buildTrunc},
      {"MultiThreshold", buildMultiThreshold},
  };
  return builders;
}

} // namespace

bool reshapeTarget(NodeContext &ctx, const std::vector<int64_t> &in,
                   std::vector<int64_t> &out) {
  const Tensor *t = ctx.constant(1);
  if (!t)
    return ctx.error(
        "the target shape (input 1) must be a compile-time constant");
  bool allowZero = ctx.attrInt("allowzero", 0);
  int64_t known = 1, inferred = -1;
  out.clear();
  for (int64_t i = 0; i < t->numel(); ++i) {
    int64_t d = static_cast<int64_t>(t->data[i]);
    if (d == 0 && !allowZero) {
      if (i >= static_cast<int64_t>(in.size()))
        return ctx.error(
            "shape entry 0 refers to a dimension the input does not have");
      d = in[i];
    }
    if (d == -1) {
      if (inferred >= 0)
        return ctx.error("the target shape has more than one -1");
      inferred = i;
    } else if (d < 0) {
      return ctx.error("the target shape has a negative entry " +
                       std::to_string(d));
    } else {
      known *= d;
    }
    out.push_back(d);
  }
  int64_t total = mlir::qnn::numElements(in);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      return ctx.error("cannot reshape " + mlir::qnn::shapeToString(in) +
                       " to " + mlir::qnn::shapeToString(out));
    out[inferred] = total / known;
  }
  if (mlir::qnn::numElements(out) != total)
    return ctx.error("cannot reshape " + mlir::qnn::shapeToString(in) + " (" +
                     std::to_string(total) + " elements) to " +
                     mlir::qnn::shapeToString(out));
  return true;
}

bool axesOperand(NodeContext &ctx, size_t inputIndex,
                 std::vector<int64_t> &axes) {
  if (ctx.opset < 13 || !ctx.hasInput(inputIndex)) {
    axes = ctx.attrInts("axes", {});
    return true;
  }
  const Tensor *t = ctx.constant(inputIndex);
  if (!t)
    return ctx.error("axes (input " + std::to_string(inputIndex) +
                     ") must be a compile-time constant");
  axes.assign(t->data.begin(), t->data.end());
  return true;
}

bool squeezeAxes(NodeContext &ctx, const std::vector<int64_t> &in,
                 std::vector<int64_t> &axes) {
  if (!axesOperand(ctx, 1, axes))
    return false;
  int64_t rank = in.size();
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i)
      if (in[i] == 1)
        axes.push_back(i);
    return true;
  }
  for (int64_t &a : axes) {
    auto n = mlir::qnn::normalizeAxis(a, rank);
    if (!n || in[*n] != 1)
      return ctx.error("Squeeze axis " + std::to_string(a) +
                       " is out of range or not of size 1");
    a = *n;
  }
  return true;
}

bool buildNode(NodeContext &ctx) {
  bool custom = !ctx.node.domain().empty() && ctx.node.domain() != "ai.onnx";
  const auto &table = custom ? customBuilders() : standardBuilders();
  auto it = table.find(ctx.opType());
  if (it == table.end())
    return ctx.error(std::string("unsupported operator") +
                     (custom ? " in this custom domain" : ""));
  return it->second(ctx);
}

} // namespace qnnc::onnximport
