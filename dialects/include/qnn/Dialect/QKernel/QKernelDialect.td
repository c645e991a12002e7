#ifndef QKERNEL_DIALECT_TD
#define QKERNEL_DIALECT_TD

include "mlir/IR/OpBase.td"

def QKernel_Dialect : Dialect {
  let name = "qkernel";
  let cppNamespace = "::mlir::qkernel";
  let summary = "Kernel-level ops on packed buffers: what the generated library runs";
  let description = [{
    Each `qkernel` op is one Halide pipeline in the generated library. Its operands are the
    activations it reads; its constants (packed weight bit-planes, thresholds, scales) are
    attributes, so an op is self-contained and prints everything the code generator uses,
    schedule included. Packed activations are `tensor<planes x panels x words x lanes x i64>`:
    bit `b` of word `(plane, panel, w, lane)` is bit-plane `plane` of channel `64 w + b` of
    column (batch element) `panel * lanes + lane`.

    `qkernel-plan-memory` adds `qkernel.offset` (byte offset in the workspace arena) to
    every op whose result is not a function result, and `qkernel.arena_bytes` to the function.
  }];
  let usePropertiesForAttributes = 0;
}

class QKernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<QKernel_Dialect, mnemonic, traits>;

#endif // QKERNEL_DIALECT_TD
