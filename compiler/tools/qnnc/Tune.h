//===- Tune.h - `qnnc tune` and --schedules -------------------------------===//
//
// Schedules files map ONNX node names to the register tile of the bit-serial
// GEMM that computes them:
//   {"qnnc_schedules": 1, "target": "...",
//    "layers": {"<node>": {"rows": 2, "vectors_per_panel": 2, ...}}}
//
//===----------------------------------------------------------------------===//

#ifndef QNNC_TOOLS_QNNC_TUNE_H
#define QNNC_TOOLS_QNNC_TUNE_H

#include "qnn/Codegen/Emit/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <functional>
#include <string>

namespace qnnc {

/// Times every bit-serial GEMM of the planned `func` under its candidate
/// schedules (GemmTuning.h), `runs` calls each, single-threaded on this
/// machine, and writes the fastest per ONNX node to `outPath`. `target` must
/// run here. False with `error`.
bool tuneSchedules(mlir::func::FuncOp func, const codegen::TargetInfo &target,
                   int runs, const std::string &outPath,
                   const std::function<void(const std::string &)> &progress,
                   std::string &error);

/// Sets rows / vectors_per_panel of the GEMMs a schedules file names. Refuses
/// (false with `error`) files that are not schedules, nodes without a
/// bit-serial GEMM, values below 1, and a GEMM's vectors per panel (they fix
/// the activation layout its producer writes; only a GEMV's may change).
bool applySchedules(mlir::func::FuncOp func, const std::string &path,
                    std::string &error);

} // namespace qnnc

#endif
