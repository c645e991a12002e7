#ifndef QNN_DIALECT_TD
#define QNN_DIALECT_TD

include "mlir/IR/OpBase.td"

def QNN_Dialect : Dialect {
  let name = "qnn";
  let cppNamespace = "::mlir::qnn";
  let summary = "Graph-level quantized neural network operations";
  let description = [{
    The `qnn` dialect keeps the meaning of an imported ONNX/QONNX model: every op computes what
    the ONNX operator (or QONNX custom operator) of the same name computes, on tensors with static
    shapes. Element types follow ONNX: `f32`, `si8`/`ui8`, `si32`, `si64`, `i1`.

    Streamlining rewrites these ops into an integer-only graph; the reference evaluator
    (`qnnc run --reference`) executes any `qnn` function and is the oracle for every pass.
  }];
  // Inherent attributes stay in the attribute dictionary so that the importer can run the
  // ops' type inference on an OperationState before it creates the op (and report a failure
  // as a diagnostic on the ONNX node instead of aborting in a builder).
  let usePropertiesForAttributes = 0;
  let hasConstantMaterializer = 1;
}

class QNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<QNN_Dialect, mnemonic, traits>;

#endif // QNN_DIALECT_TD
