//===- GemmTuning.h - Timing a bit-serial GEMM layer's schedules ----------===//
//
// `qnnc tune` measures each qkernel.bitserial_gemm of a model under a few
// register-tile schedules on this machine and keeps the fastest; the emitter
// builds the same kernel from the op, so what is timed is what is compiled.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_EMIT_GEMMTUNING_H
#define QNN_CODEGEN_EMIT_GEMMTUNING_H

#include "qnn/Codegen/BitSerialGemm.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <vector>

namespace mlir::qkernel {
class BitserialGemmOp;
} // namespace mlir::qkernel

namespace qnnc::codegen {

/// The encoding a qkernel op's encoding attribute names.
Encoding encodingFrom(llvm::StringRef name);

/// The kernel a qkernel.bitserial_gemm op compiles to (serial schedule; the
/// emitter decides on parallel loops per target).
struct GemmLayer {
  GemmShape shape;
  GemmSchedule schedule;
  std::optional<ThresholdEpilogue> epilogue;
};
GemmLayer gemmLayer(mlir::qkernel::BitserialGemmOp op);

/// Schedules worth timing: rows per tile for a GEMM (its vectors per panel
/// fix the activation layout that the producing kernel writes), rows per
/// tile for a GEMV too (N = 1: its rows go across the vector lanes).
std::vector<GemmSchedule> scheduleCandidates(const GemmLayer &layer);

/// The op's packed weights and thresholds, decoded once per layer for all
/// the schedules timed on it.
struct GemmOperands {
  std::vector<uint64_t> weights;
  std::vector<int32_t> thresholds;
};
GemmOperands gemmOperands(mlir::qkernel::BitserialGemmOp op);

/// Median microseconds of `runs` calls of the layer's kernel under
/// `schedule`, JIT-compiled for `target` (which must run on this machine), on
/// the layer's operands and random activations. False with `error` when
/// Halide fails.
bool timeSchedule(const GemmLayer &layer, const GemmOperands &operands,
                  const GemmSchedule &schedule, const Halide::Target &target,
                  int runs, double &micros, std::string &error);

} // namespace qnnc::codegen

#endif
