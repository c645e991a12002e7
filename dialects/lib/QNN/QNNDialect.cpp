#include "qnn/Dialect/QNN/QNNDialect.h"
#include "qnn/Dialect/QNN/QNNOps.h"

using namespace mlir;
using namespace mlir::qnn;

#include "qnn/Dialect/QNN/QNNOpsDialect.cpp.inc"

void QNNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qnn/Dialect/QNN/QNNOps.cpp.inc"
      >();
}

Operation *QNNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, elements);
}
