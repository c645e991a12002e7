//===- ShapeUtils.h - Shape rules shared by type inference and evaluation -===//
//
// ONNX shape rules in one place, so that the ops' type inference, the importer
// and the reference evaluator cannot disagree.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_SHAPEUTILS_H
#define QNN_DIALECT_QNN_SHAPEUTILS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::qnn {

using Shape = llvm::SmallVector<int64_t, 4>;

/// Numpy multidirectional broadcasting; std::nullopt when the shapes are
/// incompatible.
std::optional<Shape> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                     llvm::ArrayRef<int64_t> b);

/// Numpy matmul result shape (1-D operands promoted and squeezed as numpy
/// does).
std::optional<Shape> matmulShape(llvm::ArrayRef<int64_t> a,
                                 llvm::ArrayRef<int64_t> b);

/// Output extent of one spatial dimension of a sliding window (conv or pool);
/// pads are the begin and end padding of that dimension. Returns a value < 1
/// when the window does not fit.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBegin, int64_t padEnd,
                         bool ceilMode);

/// Normalizes a possibly negative axis for a tensor of `rank`; std::nullopt if
/// out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

int64_t numElements(llvm::ArrayRef<int64_t> shape);

std::string shapeToString(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::qnn

#endif
