//===- OnnxImporter.cpp - Walk an ONNX graph and build the qnn function ---===//

#include "qnn/Import/OnnxImporter.h"
#include "NodeContext.h"
#include "OnnxTensor.h"
#include "qnn/Dialect/QNN/QNNDialect.h"
#include "qnn/Dialect/QNN/QNNOps.h"
#include "qnn/Dialect/QNN/ShapeUtils.h"
#include "qnn/Reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>

#include <fcntl.h>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace mlir;

namespace qnnc {
namespace onnximport {

NodeContext::NodeContext(const onnx::NodeProto &node, int64_t opset,
                         OpBuilder &builder,
                         std::map<std::string, OnnxValue> &values,
                         std::vector<std::string> &errors,
                         std::string errorPrefix)
    : node(node), opset(opset), builder(builder), values(values),
      errors(errors), errorPrefix(std::move(errorPrefix)) {}

std::vector<int64_t> shapeOf(const OnnxValue &v) {
  if (v.constant)
    return v.constant->shape;
  auto shape = cast<RankedTensorType>(v.value.getType()).getShape();
  return {shape.begin(), shape.end()};
}

Location NodeContext::loc() {
  std::string name = node.name().empty() ? node.output(0) : node.name();
  return NameLoc::get(StringAttr::get(context(), name));
}

Value NodeContext::value(size_t i) {
  OnnxValue &v = values.at(node.input(i));
  if (!v.value) {
    DenseElementsAttr attr = ref::tensorToAttr(context(), *v.constant);
    v.value = builder.create<qnn::ConstantOp>(
        NameLoc::get(builder.getStringAttr(node.input(i))),
        cast<ElementsAttr>(attr));
  }
  return v.value;
}

const ref::Tensor *NodeContext::constant(size_t i) {
  if (!hasInput(i))
    return nullptr;
  OnnxValue &v = values.at(node.input(i));
  return v.constant ? &*v.constant : nullptr;
}

RankedTensorType NodeContext::type(size_t i) {
  OnnxValue &v = values.at(node.input(i));
  if (v.value)
    return cast<RankedTensorType>(v.value.getType());
  return RankedTensorType::get(v.constant->shape,
                               ref::dtypeToMlir(context(), v.constant->dtype));
}

const onnx::AttributeProto *NodeContext::attr(const std::string &name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

bool NodeContext::hasAttr(const std::string &name) const {
  return attr(name) != nullptr;
}

int64_t NodeContext::attrInt(const std::string &name, int64_t def) const {
  const auto *a = attr(name);
  return a ? a->i() : def;
}

float NodeContext::attrFloat(const std::string &name, float def) const {
  const auto *a = attr(name);
  return a ? a->f() : def;
}

std::string NodeContext::attrString(const std::string &name,
                                    const std::string &def) const {
  const auto *a = attr(name);
  return a ? a->s() : def;
}

std::vector<int64_t> NodeContext::attrInts(const std::string &name,
                                           std::vector<int64_t> def) const {
  const auto *a = attr(name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : def;
}

void NodeContext::setOutput(size_t i, Value v) {
  if (i < static_cast<size_t>(node.output_size()) && !node.output(i).empty())
    values[node.output(i)] = OnnxValue{v, std::nullopt};
}

void NodeContext::setConstantOutput(size_t i, ref::Tensor t) {
  if (i < static_cast<size_t>(node.output_size()) && !node.output(i).empty())
    values[node.output(i)] = OnnxValue{Value(), std::move(t)};
}

bool NodeContext::error(const std::string &message) {
  errors.push_back(errorPrefix + message);
  failedFlag = true;
  return false;
}

bool NodeContext::requireInputs(size_t min, size_t max) {
  size_t n = numInputs();
  while (n > 0 && node.input(n - 1).empty())
    --n; // trailing omitted optional inputs
  if (n < min || n > max) {
    std::string range =
        min == max ? std::to_string(min)
                   : std::to_string(min) + " to " + std::to_string(max);
    return error("expects " + range + " inputs, got " + std::to_string(n));
  }
  for (size_t i = 0; i < min; ++i)
    if (node.input(i).empty())
      return error("required input " + std::to_string(i) + " is missing");
  return true;
}

bool isCustomDomain(const std::string &domain) {
  return domain == "onnx.brevitas" || domain == "qonnx.custom_op.general" ||
         domain == "finn.custom_op.general";
}

namespace {

class GraphImporter {
public:
  GraphImporter(MLIRContext &ctx, std::string path,
                const ImportOptions &options, std::vector<std::string> &errors)
      : ctx(ctx), builder(&ctx), path(std::move(path)), options(options),
        errors(errors) {}

  OwningOpRef<ModuleOp> run();

private:
  bool parse(onnx::ModelProto &model);
  bool readOpsets(const onnx::ModelProto &model);
  std::optional<RankedTensorType> inputType(const onnx::ValueInfoProto &info,
                                            size_t index);
  void importNode(const onnx::NodeProto &node, size_t index);
  void checkDeclaredShapes(const onnx::GraphProto &graph);
  std::string nodePrefix(const onnx::NodeProto &node, size_t index,
                         int64_t opset);
  void fileError(const std::string &message) {
    errors.push_back(path + ": error: " + message);
  }

  MLIRContext &ctx;
  OpBuilder builder;
  std::string path;
  const ImportOptions &options;
  std::vector<std::string> &errors;
  std::map<std::string, OnnxValue> values;
  std::map<std::string, int64_t> opsets;
  /// Values produced by nodes that failed: users of them are skipped silently,
  /// since the first error already explains them.
  std::set<std::string> poisoned;
};

bool GraphImporter::parse(onnx::ModelProto &model) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    fileError("cannot open the model file");
    return false;
  }
  google::protobuf::io::FileInputStream raw(fd);
  google::protobuf::io::CodedInputStream coded(&raw);
  coded.SetTotalBytesLimit(INT32_MAX);
  bool ok = model.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage();
  ::close(fd);
  if (!ok) {
    fileError(
        "not a valid ONNX protobuf (truncated or not an ONNX model file)");
    return false;
  }
  if (!model.has_graph() || model.ir_version() <= 0 ||
      model.opset_import_size() == 0) {
    fileError("not an ONNX model (no ir_version, opset_import or graph)");
    return false;
  }
  return true;
}

bool GraphImporter::readOpsets(const onnx::ModelProto &model) {
  for (const auto &o : model.opset_import())
    opsets[o.domain() == "ai.onnx" ? "" : o.domain()] = o.version();
  if (!opsets.count(""))
    opsets[""] = 1;
  int64_t v = opsets[""];
  if (v < 7 || v > 19) {
    fileError("default-domain opset " + std::to_string(v) +
              " is not supported (7 to 19)");
    return false;
  }
  return true;
}

std::optional<RankedTensorType>
GraphImporter::inputType(const onnx::ValueInfoProto &info, size_t index) {
  if (!info.type().has_tensor_type()) {
    fileError("graph input '" + info.name() + "' is not a tensor");
    return std::nullopt;
  }
  const auto &tt = info.type().tensor_type();
  auto dtype = onnximport::dtypeFromOnnx(tt.elem_type());
  if (!dtype) {
    fileError("graph input '" + info.name() +
              "' has unsupported element type " +
              onnximport::onnxTypeName(tt.elem_type()));
    return std::nullopt;
  }
  if (!tt.has_shape()) {
    fileError("graph input '" + info.name() + "' has no shape");
    return std::nullopt;
  }
  const std::vector<int64_t> *given = index < options.inputShapes.size()
                                          ? &options.inputShapes[index]
                                          : nullptr;
  if (given && static_cast<int>(given->size()) != tt.shape().dim_size()) {
    fileError("graph input '" + info.name() + "' has rank " +
              std::to_string(tt.shape().dim_size()) +
              ", the given input has shape " + qnn::shapeToString(*given));
    return std::nullopt;
  }
  SmallVector<int64_t> shape;
  for (int i = 0; i < tt.shape().dim_size(); ++i) {
    const auto &d = tt.shape().dim(i);
    bool fixed = d.has_dim_value() && d.dim_value() > 0;
    if (given) {
      if (fixed && i > 0 && d.dim_value() != (*given)[i]) {
        fileError("graph input '" + info.name() + "' has shape dimension " +
                  std::to_string(i) + " = " + std::to_string(d.dim_value()) +
                  ", the given input has shape " + qnn::shapeToString(*given));
        return std::nullopt;
      }
      shape.push_back((*given)[i]);
    } else if (i == 0 && options.batchSize)
      shape.push_back(*options.batchSize);
    else if (fixed)
      shape.push_back(d.dim_value());
    else if (i == 0)
      shape.push_back(1);
    else {
      fileError("graph input '" + info.name() + "' has a dynamic dimension " +
                std::to_string(i) +
                (d.has_dim_param() ? " ('" + d.dim_param() + "')" : "") +
                "; only the batch dimension may be dynamic");
      return std::nullopt;
    }
  }
  return RankedTensorType::get(shape, ref::dtypeToMlir(&ctx, *dtype));
}

std::string GraphImporter::nodePrefix(const onnx::NodeProto &node, size_t index,
                                      int64_t opset) {
  std::string name =
      node.name().empty() ? "#" + std::to_string(index) : node.name();
  return path + ": error: node '" + name + "' (op '" + node.op_type() +
         "', domain '" + node.domain() + "', opset " + std::to_string(opset) +
         "): ";
}

void GraphImporter::importNode(const onnx::NodeProto &node, size_t index) {
  std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  int64_t opset =
      opsets.count(domain) ? opsets[domain] : (isCustomDomain(domain) ? 1 : 0);
  NodeContext nc(node, opset, builder, values, errors,
                 nodePrefix(node, index, opset));
  auto poison = [&] {
    for (const auto &o : node.output())
      poisoned.insert(o);
  };
  for (const auto &in : node.input()) {
    if (in.empty())
      continue;
    if (poisoned.count(in))
      return poison();
    if (!values.count(in)) {
      nc.error("input '" + in +
               "' is not a graph input, an initializer or an earlier node's "
               "output");
      return poison();
    }
  }
  if (!domain.empty() && !isCustomDomain(domain)) {
    nc.error("unsupported domain '" + node.domain() + "'");
    return poison();
  }
  if (!foldConstantNode(nc) && !nc.failed())
    buildNode(nc);
  if (nc.failed())
    return poison();
  for (const auto &o : node.output())
    if (!o.empty() && !values.count(o)) {
      nc.error("output '" + o +
               "' is not supported (only the first outputs of this op are)");
      return poison();
    }
}

/// An ONNX file may declare shapes for intermediate values and outputs; a
/// declared static shape that differs from what qnnc derives means the file is
/// inconsistent.
void GraphImporter::checkDeclaredShapes(const onnx::GraphProto &graph) {
  auto check = [&](const onnx::ValueInfoProto &info) {
    auto it = values.find(info.name());
    if (it == values.end() || !info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return;
    const auto &shape = info.type().tensor_type().shape();
    std::vector<int64_t> derived = shapeOf(it->second);
    bool mismatch = shape.dim_size() != static_cast<int>(derived.size());
    for (int i = 0; !mismatch && i < shape.dim_size(); ++i) {
      const auto &d = shape.dim(i);
      // The batch dimension is allowed to differ (it may have been overridden).
      if (i > 0 && d.has_dim_value() && d.dim_value() > 0 &&
          d.dim_value() != derived[i])
        mismatch = true;
    }
    if (mismatch)
      fileError("value '" + info.name() +
                "' is declared with a shape that differs from " +
                qnn::shapeToString(derived) +
                ", the shape its producer computes");
  };
  for (const auto &info : graph.value_info())
    check(info);
  for (const auto &info : graph.output())
    check(info);
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  ctx.loadDialect<qnn::QNNDialect, func::FuncDialect>();
  onnx::ModelProto model;
  if (!parse(model) || !readOpsets(model))
    return nullptr;
  const onnx::GraphProto &graph = model.graph();
  std::string dir = path.find('/') == std::string::npos
                        ? "."
                        : path.substr(0, path.rfind('/'));

  for (const auto &init : graph.initializer()) {
    ref::Tensor t;
    std::string error;
    if (!onnximport::tensorFromProto(init, dir, t, error))
      fileError("initializer: " + error);
    else
      values[init.name()] = OnnxValue{Value(), std::move(t)};
  }

  // Graph inputs that are also initializers (IR < 4) are constants, not
  // arguments.
  SmallVector<Type> argTypes;
  std::vector<std::string> argNames;
  for (const auto &in : graph.input()) {
    if (values.count(in.name()))
      continue;
    if (auto t = inputType(in, argNames.size())) {
      argTypes.push_back(*t);
      argNames.push_back(in.name());
    }
  }
  if (!errors.empty())
    return nullptr;

  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(&ctx, path, 0, 0));
  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(
      module->getLoc(), "main", builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (size_t i = 0; i < argNames.size(); ++i) {
    values[argNames[i]] = OnnxValue{body->getArgument(i), std::nullopt};
    func.setArgAttr(i, "onnx.name", builder.getStringAttr(argNames[i]));
  }
  builder.setInsertionPointToEnd(body);

  for (int i = 0; i < graph.node_size(); ++i)
    importNode(graph.node(i), i);

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &out : graph.output()) {
    if (poisoned.count(out.name()))
      continue;
    auto it = values.find(out.name());
    if (it == values.end()) {
      fileError("graph output '" + out.name() +
                "' is not produced by any node");
      continue;
    }
    if (!it->second.value) {
      // A constant output: materialize it.
      DenseElementsAttr attr = ref::tensorToAttr(&ctx, *it->second.constant);
      it->second.value = builder.create<qnn::ConstantOp>(
          func.getLoc(), cast<ElementsAttr>(attr));
    }
    results.push_back(it->second.value);
    resultTypes.push_back(it->second.value.getType());
  }
  checkDeclaredShapes(graph);
  if (!errors.empty())
    return nullptr;
  builder.create<func::ReturnOp>(func.getLoc(), results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (int i = 0; i < graph.output_size(); ++i)
    func.setResultAttr(i, "onnx.name",
                       builder.getStringAttr(graph.output(i).name()));

  std::string verifyMessage;
  ScopedDiagnosticHandler capture(&ctx, [&](Diagnostic &d) {
    verifyMessage += d.str();
    return success();
  });
  if (failed(verify(*module))) {
    fileError("internal error: imported IR does not verify: " + verifyMessage);
    return nullptr;
  }
  return module;
}

} // namespace
} // namespace onnximport

OwningOpRef<ModuleOp> importOnnxFile(MLIRContext &context,
                                     const std::string &path,
                                     const ImportOptions &options,
                                     std::vector<std::string> &diagnostics) {
  onnximport::GraphImporter importer(context, path, options, diagnostics);
  return importer.run();
}

} // namespace qnnc
