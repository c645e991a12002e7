//===- NodeName.h - The ONNX node an op came from -------------------------===//

#ifndef QNN_DIALECT_QNN_NODENAME_H
#define QNN_DIALECT_QNN_NODENAME_H

#include "mlir/IR/Location.h"

#include <string>

namespace mlir::qnn {

/// The importer gives every op the NameLoc of its ONNX node (passes may fuse
/// locations; the first one names the node). Empty when there is none.
inline std::string onnxNodeName(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc))
    loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "";
}

} // namespace mlir::qnn

#endif
