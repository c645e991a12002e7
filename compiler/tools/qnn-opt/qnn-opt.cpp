//===- qnn-opt.cpp - mlir-opt with the qnn dialect and its passes --------===//

#include "qnn/Dialect/QKernel/QKernelDialect.h"
#include "qnn/Dialect/QNN/QNNDialect.h"
#include "qnn/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::qnn::registerStreamlinePipeline();
  mlir::DialectRegistry registry;
  registry.insert<mlir::qnn::QNNDialect, mlir::qkernel::QKernelDialect,
                  mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qnn optimizer driver\n", registry));
}
