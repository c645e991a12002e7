//===- Passes.h - qnn streamlining passes ---------------------------------===//

#ifndef QNN_TRANSFORMS_PASSES_H
#define QNN_TRANSFORMS_PASSES_H

#include "qnn/Dialect/QKernel/QKernelDialect.h"
#include "qnn/Dialect/QNN/QNNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::qnn {

#define GEN_PASS_DECL
#include "qnn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Transforms/Passes.h.inc"

/// Registers every qnn pass (including the `qnn-streamline` pipeline pass).
void registerStreamlinePipeline();

} // namespace mlir::qnn

#endif
