//===- Summary.h - A short human-readable description of a qnn module ----===//

#ifndef QNNC_TOOLS_QNNC_SUMMARY_H
#define QNNC_TOOLS_QNNC_SUMMARY_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace qnnc {

/// Prints inputs, outputs, op counts and constant sizes of every function in
/// `module`.
void printSummary(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace qnnc

#endif
