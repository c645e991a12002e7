#ifndef QNN_DIALECT_QKERNEL_QKERNELOPS_H
#define QNN_DIALECT_QKERNEL_QKERNELOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "qnn/Dialect/QKernel/QKernelDialect.h"

#define GET_OP_CLASSES
#include "qnn/Dialect/QKernel/QKernelOps.h.inc"

namespace mlir::qkernel {
/// Bit-planes of an encoding: one for bipolar, `bits` otherwise.
int64_t planesOf(llvm::StringRef encoding, int64_t bits);
bool isEncoding(llvm::StringRef encoding);
} // namespace mlir::qkernel

#endif
