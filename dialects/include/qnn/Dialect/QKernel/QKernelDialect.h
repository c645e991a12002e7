#ifndef QNN_DIALECT_QKERNEL_QKERNELDIALECT_H
#define QNN_DIALECT_QKERNEL_QKERNELDIALECT_H

#include "mlir/IR/Dialect.h"

#include "qnn/Dialect/QKernel/QKernelOpsDialect.h.inc"

#endif
