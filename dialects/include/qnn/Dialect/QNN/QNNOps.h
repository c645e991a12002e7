#ifndef QNN_DIALECT_QNN_QNNOPS_H
#define QNN_DIALECT_QNN_QNNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "qnn/Dialect/QNN/QNNDialect.h"

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/QNNOps.h.inc"

#endif
