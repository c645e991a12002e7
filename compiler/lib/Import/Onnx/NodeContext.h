//===- NodeContext.h - What an op builder sees of one ONNX node -----------===//

#ifndef QNN_IMPORT_ONNX_NODECONTEXT_H
#define QNN_IMPORT_ONNX_NODECONTEXT_H

#include "qnn/Reference/Tensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "onnx/onnx_pb.h"

#include <map>
#include <optional>
#include <string>

namespace qnnc::onnximport {

/// An ONNX value during import: an SSA value, a known constant, or both (a
/// constant that an op used gets materialized once as `qnn.constant`).
struct OnnxValue {
  mlir::Value value;
  std::optional<ref::Tensor> constant;
};

std::vector<int64_t> shapeOf(const OnnxValue &v);

class NodeContext {
public:
  NodeContext(const onnx::NodeProto &node, int64_t opset,
              mlir::OpBuilder &builder,
              std::map<std::string, OnnxValue> &values,
              std::vector<std::string> &errors, std::string errorPrefix);

  const onnx::NodeProto &node;
  const int64_t opset;
  mlir::OpBuilder &builder;

  const std::string &opType() const { return node.op_type(); }
  mlir::MLIRContext *context() { return builder.getContext(); }
  mlir::Location loc();

  // Inputs. An empty input name means "omitted" in ONNX.
  size_t numInputs() const { return node.input_size(); }
  bool hasInput(size_t i) const {
    return i < numInputs() && !node.input(i).empty();
  }
  /// The value of input i, materializing a constant if needed.
  mlir::Value value(size_t i);
  /// The constant value of input i, or null if it is not a compile-time
  /// constant.
  const ref::Tensor *constant(size_t i);
  mlir::RankedTensorType type(size_t i);

  // Attributes.
  bool hasAttr(const std::string &name) const;
  int64_t attrInt(const std::string &name, int64_t def) const;
  float attrFloat(const std::string &name, float def) const;
  std::string attrString(const std::string &name, const std::string &def) const;
  std::vector<int64_t> attrInts(const std::string &name,
                                std::vector<int64_t> def) const;
  const onnx::AttributeProto *attr(const std::string &name) const;

  // Outputs.
  void setOutput(size_t i, mlir::Value v);
  void setConstantOutput(size_t i, ref::Tensor t);

  /// Reports a problem with this node; returns false for convenience.
  bool error(const std::string &message);
  bool failed() const { return failedFlag; }

  /// Requires `count` inputs in [min, max] present, reporting an arity error
  /// otherwise.
  bool requireInputs(size_t min, size_t max);

  /// Creates OpTy after running its type inference and verifier; on failure
  /// reports the op's message on this node and returns null.
  template <typename OpTy>
  mlir::Operation *create(mlir::ValueRange operands,
                          llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    std::string message;
    mlir::ScopedDiagnosticHandler capture(context(), [&](mlir::Diagnostic &d) {
      if (message.empty())
        message = d.str();
      return mlir::success();
    });
    llvm::SmallVector<mlir::Type> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            context(), loc(), operands,
            mlir::DictionaryAttr::get(context(), attrs),
            mlir::OpaqueProperties(nullptr), {}, types))) {
      error(message.empty() ? "type inference failed" : message);
      return nullptr;
    }
    mlir::Operation *op = builder.create<OpTy>(loc(), types, operands, attrs);
    if (mlir::failed(mlir::verify(op))) {
      op->erase();
      error(message.empty() ? "invalid operation" : message);
      return nullptr;
    }
    return op;
  }

  /// create<OpTy> and bind its results to the node's outputs.
  template <typename OpTy>
  bool emit(mlir::ValueRange operands,
            llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    mlir::Operation *op = create<OpTy>(operands, attrs);
    if (!op)
      return false;
    for (unsigned i = 0; i < op->getNumResults(); ++i)
      setOutput(i, op->getResult(i));
    return true;
  }

private:
  std::map<std::string, OnnxValue> &values;
  std::vector<std::string> &errors;
  std::string errorPrefix;
  bool failedFlag = false;
};

/// Folds a node whose inputs are all constants when the op is shape arithmetic
/// or a standard op on constants. Returns true if it handled the node (outputs
/// set or an error reported).
bool foldConstantNode(NodeContext &ctx);

/// Builds the qnn op(s) for a node. Returns false if it reported an error.
bool buildNode(NodeContext &ctx);

// Attribute-or-input resolution shared by the constant folder and the op
// builders. Each returns false after reporting an error on the node.
bool reshapeTarget(NodeContext &ctx, const std::vector<int64_t> &in,
                   std::vector<int64_t> &out);
bool axesOperand(NodeContext &ctx, size_t inputIndex,
                 std::vector<int64_t> &axes);
bool squeezeAxes(NodeContext &ctx, const std::vector<int64_t> &in,
                 std::vector<int64_t> &axes);

/// Whether (domain, op type) is a QONNX/FINN/Brevitas custom quantizer domain.
bool isCustomDomain(const std::string &domain);

} // namespace qnnc::onnximport

#endif
