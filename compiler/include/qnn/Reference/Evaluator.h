//===- Evaluator.h - Reference evaluator for the qnn dialect --------------===//
//
// Executes a function of `qnn` ops (and `func.return`) on plain tensors with
// the semantics of TensorOps.h. Slow and simple on purpose: it is the oracle
// that every pass is checked against.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_EVALUATOR_H
#define QNN_REFERENCE_EVALUATOR_H

#include "qnn/Reference/Tensor.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <functional>
#include <string>
#include <vector>

namespace mlir {
class Operation;
namespace func {
class FuncOp;
}
} // namespace mlir

namespace qnnc::ref {

/// Converts a constant's value to a tensor (f32/f64, signed/unsigned integers,
/// i1).
Tensor tensorFromAttr(mlir::ElementsAttr attr);
/// Converts a tensor to a dense attribute of its element type.
mlir::DenseElementsAttr tensorToAttr(mlir::MLIRContext *ctx, const Tensor &t);
/// Converts a tensor to a dense attribute of `type` (e.g. si2 for a tensor held as I8).
mlir::DenseElementsAttr tensorToAttr(mlir::RankedTensorType type, const Tensor &t);

/// Called after each op with the op and its results; lets tests inspect hidden
/// values.
using TraceFn =
    std::function<void(mlir::Operation *, const std::vector<Tensor> &)>;

/// Evaluates one op on its operands' values. Returns false and sets `error` for
/// ops the evaluator does not know.
bool evaluateOp(mlir::Operation *op,
                const std::vector<const Tensor *> &operands,
                std::vector<Tensor> &results, std::string &error);

/// Runs `func` on `inputs` (checked against the argument types). Returns false
/// and sets `error` on a mismatch or an unknown op.
bool evaluate(mlir::func::FuncOp func, const std::vector<Tensor> &inputs,
              std::vector<Tensor> &outputs, std::string &error,
              const TraceFn &trace = {});

} // namespace qnnc::ref

#endif
