#include "qnn/Dialect/QKernel/QKernelDialect.h"
#include "qnn/Dialect/QKernel/QKernelOps.h"

using namespace mlir;
using namespace mlir::qkernel;

#include "qnn/Dialect/QKernel/QKernelOpsDialect.cpp.inc"

void QKernelDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qnn/Dialect/QKernel/QKernelOps.cpp.inc"
      >();
}
