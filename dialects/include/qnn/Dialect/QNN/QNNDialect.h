#ifndef QNN_DIALECT_QNN_QNNDIALECT_H
#define QNN_DIALECT_QNN_QNNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "qnn/Dialect/QNN/QNNOpsDialect.h.inc"

#endif
