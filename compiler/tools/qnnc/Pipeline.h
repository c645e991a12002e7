//===- Pipeline.h - Stages shared by `qnnc` and `qnnc run` ----------------===//

#ifndef QNNC_TOOLS_QNNC_PIPELINE_H
#define QNNC_TOOLS_QNNC_PIPELINE_H

#include "qnn/Codegen/Emit/Target.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace qnnc {

/// Streamlines `module` (IR after every pass in dumpDir when not empty).
mlir::LogicalResult streamlineModule(mlir::ModuleOp module,
                                     const std::string &dumpDir);

/// qnn-lower-to-qkernel and qkernel-plan-memory for `target`, continuing the
/// NN-<pass>.mlir numbering in dumpDir.
mlir::LogicalResult lowerToKernels(mlir::ModuleOp module,
                                   const codegen::TargetInfo &target,
                                   const std::string &dumpDir);

/// A C identifier from a model path ("TFC_1W1A.onnx" -> "TFC_1W1A").
std::string libraryNameFor(const std::string &modelPath);

} // namespace qnnc

#endif
