//===- OnnxImporter.h - ONNX/QONNX protobuf to the qnn dialect ------------===//

#ifndef QNN_IMPORT_ONNXIMPORTER_H
#define QNN_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>
#include <string>
#include <vector>

namespace qnnc {

struct ImportOptions {
  /// Overrides dimension 0 of every graph input. Without it, a symbolic batch
  /// dimension becomes 1 and a fixed one is kept.
  std::optional<int64_t> batchSize;
  /// Shapes of the graph inputs in order (e.g. those of the .npy files given to
  /// `qnnc run`). Must have the model's rank; dimensions the model fixes, other
  /// than the batch, must agree.
  std::vector<std::vector<int64_t>> inputShapes;
};

/// Imports an ONNX or QONNX model into a module with one `func.func @main`.
/// Shape subgraphs on constants are folded, so every tensor has a static shape.
/// On failure returns null and appends one message per problem to
/// `diagnostics`, each naming the file, the node, its op type, domain and
/// opset; problems in independent nodes are all reported.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxFile(mlir::MLIRContext &context, const std::string &path,
               const ImportOptions &options,
               std::vector<std::string> &diagnostics);

} // namespace qnnc

#endif
