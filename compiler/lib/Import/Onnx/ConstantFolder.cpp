//===- ConstantFolder.cpp - Fold ONNX shape arithmetic at import ----------===//
//
// Exporters compute shapes at run time (Shape -> Gather -> Unsqueeze -> Concat
// -> Reshape) and sometimes bit-widths (Pow, Ceil). With static input shapes
// all of it is constant: folding it here, with the reference evaluator's
// semantics, leaves the qnn function free of shape arithmetic. Quantizers on
// constants are deliberately not folded: weight quantization is streamlining's
// job and must stay visible in the IR.
//
//===----------------------------------------------------------------------===//

#include "NodeContext.h"
#include "OnnxTensor.h"
#include "qnn/Dialect/QNN/ShapeUtils.h"
#include "qnn/Reference/TensorOps.h"

#include <cmath>
#include <functional>

namespace qnnc::onnximport {

using ref::DType;
using ref::Tensor;

namespace {

Tensor int64Tensor(const std::vector<int64_t> &v) {
  return Tensor(DType::I64, {static_cast<int64_t>(v.size())},
                std::vector<double>(v.begin(), v.end()));
}

std::vector<int64_t> ints(const Tensor &t) {
  return {t.data.begin(), t.data.end()};
}

bool foldConstantOp(NodeContext &ctx) {
  if (ctx.hasAttr("value")) {
    Tensor t;
    std::string error;
    if (!tensorFromProto(ctx.attr("value")->t(), ".", t, error))
      return ctx.error(error);
    ctx.setConstantOutput(0, std::move(t));
  } else if (ctx.hasAttr("value_float")) {
    ctx.setConstantOutput(
        0, Tensor(DType::F32, {}, {ctx.attrFloat("value_float", 0)}));
  } else if (ctx.hasAttr("value_floats")) {
    const auto &f = ctx.attr("value_floats")->floats();
    ctx.setConstantOutput(0, Tensor(DType::F32, {f.size()},
                                    std::vector<double>(f.begin(), f.end())));
  } else if (ctx.hasAttr("value_int")) {
    ctx.setConstantOutput(
        0, Tensor(DType::I64, {}, {double(ctx.attrInt("value_int", 0))}));
  } else if (ctx.hasAttr("value_ints")) {
    ctx.setConstantOutput(0, int64Tensor(ctx.attrInts("value_ints", {})));
  } else {
    return ctx.error("Constant without a supported value attribute");
  }
  return true;
}

using Unary = std::function<double(double)>;
using Binary = std::function<double(double, double)>;

} // namespace

bool foldConstantNode(NodeContext &ctx) {
  const std::string &op = ctx.opType();
  if (!ctx.node.domain().empty() && ctx.node.domain() != "ai.onnx")
    return false;
  if (op == "Constant")
    return foldConstantOp(ctx), true;
  // Pass-throughs at inference time (also for non-constant inputs).
  if (op == "Identity" || op == "Dropout") {
    if (!ctx.requireInputs(1, 3))
      return true;
    if (const Tensor *t = ctx.constant(0))
      ctx.setConstantOutput(0, *t);
    else
      ctx.setOutput(0, ctx.value(0));
    return true;
  }
  if (op == "Shape") {
    if (!ctx.requireInputs(1, 1))
      return true;
    auto shape = ctx.type(0).getShape();
    int64_t rank = shape.size();
    int64_t start = ctx.attrInt("start", 0), end = ctx.attrInt("end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    ctx.setConstantOutput(
        0, int64Tensor(std::vector<int64_t>(
               shape.begin() + start, shape.begin() + std::max(start, end))));
    return true;
  }

  std::vector<const Tensor *> in;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) {
      in.push_back(nullptr);
      continue;
    }
    const Tensor *t = ctx.constant(i);
    if (!t)
      return false; // not all inputs constant: an op builder handles it
    in.push_back(t);
  }
  if (in.empty() && op != "ConstantOfShape")
    return false;
  auto need = [&](size_t min, size_t max) {
    return ctx.requireInputs(min, max);
  };
  auto out = [&](Tensor t) {
    ctx.setConstantOutput(0, std::move(t));
    return true;
  };
  auto unaryOp = [&](const Unary &fn) {
    return need(1, 1) && out(ref::unary(*in[0], in[0]->dtype, fn));
  };
  auto binaryOp = [&](const Binary &fn) {
    if (!need(2, 2))
      return true;
    if (!mlir::qnn::broadcastShapes(in[0]->shape, in[1]->shape))
      return ctx.error("shapes " + mlir::qnn::shapeToString(in[0]->shape) +
                       " and " + mlir::qnn::shapeToString(in[1]->shape) +
                       " do not broadcast");
    return out(ref::broadcastBinary(*in[0], *in[1], in[0]->dtype, fn));
  };

  if (op == "Add")
    return binaryOp([](double a, double b) { return a + b; }), true;
  if (op == "Sub")
    return binaryOp([](double a, double b) { return a - b; }), true;
  if (op == "Mul")
    return binaryOp([](double a, double b) { return a * b; }), true;
  if (op == "Div") {
    bool isInt = !ref::isFloat(in[0]->dtype);
    return binaryOp([isInt](double a, double b) {
             return isInt ? (b == 0 ? 0.0 : std::trunc(a / b)) : a / b;
           }),
           true;
  }
  if (op == "Pow")
    return binaryOp([](double a, double b) { return std::pow(a, b); }), true;
  if (op == "Min")
    return binaryOp([](double a, double b) { return std::min(a, b); }), true;
  if (op == "Max")
    return binaryOp([](double a, double b) { return std::max(a, b); }), true;
  if (op == "Ceil")
    return unaryOp([](double v) { return std::ceil(v); }), true;
  if (op == "Floor")
    return unaryOp([](double v) { return std::floor(v); }), true;
  if (op == "Neg")
    return unaryOp([](double v) { return -v; }), true;
  if (op == "Sqrt")
    return unaryOp([](double v) { return std::sqrt(v); }), true;
  if (op == "Cast") {
    if (!need(1, 1))
      return true;
    auto to = dtypeFromOnnx(ctx.attrInt("to", 0));
    if (!to)
      return ctx.error("Cast to unsupported type " +
                       onnxTypeName(ctx.attrInt("to", 0))),
             true;
    return out(ref::unary(*in[0], *to, [](double v) { return v; })), true;
  }
  if (op == "Gather") {
    if (!need(2, 2))
      return true;
    auto axis = mlir::qnn::normalizeAxis(ctx.attrInt("axis", 0), in[0]->rank());
    if (!axis)
      return ctx.error("Gather axis is out of range"), true;
    for (double i : in[1]->data)
      if (i < -in[0]->shape[*axis] || i >= in[0]->shape[*axis])
        return ctx.error("Gather index " + std::to_string(int64_t(i)) +
                         " is out of range"),
               true;
    return out(ref::gather(*in[0], *in[1], *axis)), true;
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    std::vector<int64_t> axes, shape = in[0]->shape;
    if (op == "Squeeze") {
      if (!squeezeAxes(ctx, shape, axes))
        return true;
      std::vector<int64_t> outShape;
      for (int64_t i = 0; i < in[0]->rank(); ++i)
        if (std::find(axes.begin(), axes.end(), i) == axes.end())
          outShape.push_back(shape[i]);
      return out(ref::reshape(*in[0], outShape)), true;
    }
    if (!axesOperand(ctx, 1, axes))
      return true;
    int64_t rank = shape.size() + axes.size();
    for (int64_t &a : axes)
      a = a < 0 ? a + rank : a;
    std::sort(axes.begin(), axes.end());
    for (int64_t a : axes) {
      if (a < 0 || a > static_cast<int64_t>(shape.size()))
        return ctx.error("Unsqueeze axis out of range"), true;
      shape.insert(shape.begin() + a, 1);
    }
    return out(ref::reshape(*in[0], shape)), true;
  }
  if (op == "Concat") {
    if (in.empty() || std::count(in.begin(), in.end(), nullptr))
      return ctx.error("Concat needs at least one input and no omitted inputs"),
             true;
    auto axis = mlir::qnn::normalizeAxis(ctx.attrInt("axis", 0), in[0]->rank());
    if (!axis)
      return ctx.error("Concat axis is out of range"), true;
    for (const Tensor *t : in)
      for (int64_t d = 0; d < in[0]->rank(); ++d)
        if (t->rank() != in[0]->rank() ||
            (d != *axis && t->shape[d] != in[0]->shape[d]))
          return ctx.error("Concat inputs have incompatible shapes"), true;
    return out(ref::concat(in, *axis)), true;
  }
  if (op == "Reshape") {
    std::vector<int64_t> shape;
    if (!need(2, 2) || !reshapeTarget(ctx, in[0]->shape, shape))
      return true;
    return out(ref::reshape(*in[0], shape)), true;
  }
  if (op == "Flatten") {
    auto axis = ctx.attrInt("axis", 1);
    int64_t rank = in[0]->rank();
    axis = axis < 0 ? axis + rank : axis;
    if (axis < 0 || axis > rank)
      return ctx.error("Flatten axis is out of range"), true;
    int64_t outer = 1;
    for (int64_t i = 0; i < axis; ++i)
      outer *= in[0]->shape[i];
    return out(ref::reshape(
               *in[0], {outer, in[0]->numel() / std::max<int64_t>(outer, 1)})),
           true;
  }
  if (op == "Transpose") {
    std::vector<int64_t> perm(in[0]->rank());
    for (int64_t i = 0; i < in[0]->rank(); ++i)
      perm[i] = in[0]->rank() - 1 - i;
    perm = ctx.attrInts("perm", perm);
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i)
      if (sorted.size() != static_cast<size_t>(in[0]->rank()) ||
          sorted[i] != int64_t(i))
        return ctx.error("Transpose perm is not a permutation"), true;
    return out(ref::transpose(*in[0], perm)), true;
  }
  if (op == "Slice") {
    if (!need(3, 5))
      return true;
    std::vector<int64_t> starts = ints(*in[1]), ends = ints(*in[2]), axes,
                         steps;
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
    if (in.size() > 3 && in[3])
      axes = ints(*in[3]);
    steps.assign(starts.size(), 1);
    if (in.size() > 4 && in[4])
      steps = ints(*in[4]);
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        steps.size() != starts.size())
      return ctx.error("Slice starts, ends, axes and steps must have the same "
                       "length"),
             true;
    for (size_t i = 0; i < axes.size(); ++i) {
      auto a = mlir::qnn::normalizeAxis(axes[i], in[0]->rank());
      if (!a || steps[i] == 0)
        return ctx.error("Slice axis out of range or zero step"), true;
      axes[i] = *a;
    }
    return out(ref::slice(*in[0], starts, ends, axes, steps)), true;
  }
  if (op == "ConstantOfShape") {
    if (!need(1, 1))
      return true;
    Tensor fill(DType::F32, {1}, {0.0});
    if (ctx.hasAttr("value")) {
      std::string error;
      if (!tensorFromProto(ctx.attr("value")->t(), ".", fill, error))
        return ctx.error(error), true;
    }
    std::vector<int64_t> shape = ints(*in[0]);
    int64_t count = 1;
    for (int64_t d : shape) {
      if (d < 0 || (d != 0 && count > kMaxTensorElements / d))
        return ctx.error("ConstantOfShape shape is negative or too large"),
               true;
      count *= d;
    }
    Tensor t(fill.dtype, shape);
    std::fill(t.data.begin(), t.data.end(),
              fill.data.empty() ? 0.0 : fill.data[0]);
    return out(std::move(t)), true;
  }
  if (op == "Range") {
    if (!need(3, 3))
      return true;
    double start = in[0]->data[0], limit = in[1]->data[0],
           delta = in[2]->data[0];
    if (delta == 0)
      return ctx.error("Range with delta 0"), true;
    double steps = std::ceil((limit - start) / delta);
    if (!(steps <= double(kMaxTensorElements)))
      return ctx.error("Range has too many elements"), true;
    int64_t n = std::max<int64_t>(0, int64_t(steps));
    Tensor t(in[0]->dtype, {n});
    for (int64_t i = 0; i < n; ++i)
      t.data[i] = start + i * delta;
    return out(std::move(t)), true;
  }
  return false;
}

} // namespace qnnc::onnximport
