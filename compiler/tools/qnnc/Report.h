//===- Report.h - Per-layer cost and memory report of a qkernel function --===//

#ifndef QNNC_TOOLS_QNNC_REPORT_H
#define QNNC_TOOLS_QNNC_REPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

namespace qnnc {

struct LayerCost {
  std::string node, kernel, bits, schedule;
  int64_t macs = 0;      ///< multiply-accumulates of the layer
  int64_t binaryOps = 0; ///< AND + popcount-accumulate per bit-plane pair
  int64_t weightBytes = 0, activationBytes = 0;
};

/// One entry per kernel op of a planned qkernel function.
std::vector<LayerCost> layerCosts(mlir::func::FuncOp func);

/// The --report table, with totals and the workspace size.
void printReport(mlir::func::FuncOp func, llvm::raw_ostream &os);

} // namespace qnnc

#endif
