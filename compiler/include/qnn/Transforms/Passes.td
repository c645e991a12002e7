#ifndef QNN_TRANSFORMS_PASSES_TD
#define QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

// Streamlining (seed 001 §2; FINN's Streamline list): turn an imported quantized network into
// an integer-only graph. Passes that decide thresholds compute them exactly, by bisection on
// the reference semantics of the ops they absorb, so the integer graph reproduces the imported
// model's quantized activations bit for bit.

def FoldConstants : Pass<"qnn-fold-constants", "::mlir::func::FuncOp"> {
  let summary = "Evaluate ops whose operands are all constants";
  let description = [{
    Replaces an op whose operands are all `qnn.constant` by its value, computed with the
    reference evaluator. Quantizers are kept (weight quantization is `qnn-quantize-weights`),
    and so are casts of integer constants (they carry quantized weights); layout ops on such a
    cast move above it so that the integer weights are folded instead:

    ```mlir
    %w = qnn.cast %c : tensor<4x3xsi2> -> tensor<4x3xf32>
    %t = qnn.transpose %w {perm = array<i64: 1, 0>} : ...
    // becomes
    %c2 = qnn.constant dense<...> : tensor<3x4xsi2>
    %t = qnn.cast %c2 : tensor<3x4xsi2> -> tensor<3x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def QuantizeWeights : Pass<"qnn-quantize-weights", "::mlir::func::FuncOp"> {
  let summary = "Quantizers on constants become integer constants times a scale";
  let description = [{
    `qnn.quant` / `qnn.bipolar_quant` of a constant with constant scale and zero point becomes
    an integer constant of the quantizer's width (`si2` with `dtype = "BIPOLAR"` for +-1
    weights, `si<n>`/`ui<n>` otherwise), a cast to f32, and the dequantizing affine
    `(q - zeropt) * scale`, which is bit-exact in f32.

    ```mlir
    %q = qnn.bipolar_quant %w, %s : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
    // becomes
    %c = qnn.constant {dtype = "BIPOLAR"} dense<[[1, -1, ...]]> : tensor<4x3xsi2>
    %f = qnn.cast %c : tensor<4x3xsi2> -> tensor<4x3xf32>
    %q = qnn.mul %f, %s : ...          // omitted when the scale is 1
    ```
    A quantizer whose scale or zero point is not constant is reported and left alone.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def QuantToThreshold : Pass<"qnn-quant-to-threshold", "::mlir::func::FuncOp"> {
  let summary = "Activation quantizers become integer multithresholds + a linear map";
  let description = [{
    Any uniform quantizer is successive thresholding followed by a linear map (seed 001
    §2.1.1). `qnn.quant` (up to `max-bits` bits), `qnn.bipolar_quant` and `qnn.sign` on a
    non-constant input become `qnn.multithreshold` producing the integer level (`out_type`
    `si<n>`/`ui<n>`), a cast, and the dequantizing affine. Thresholds are the smallest f32
    inputs that reach each level, found by bisection on the quantizer's exact semantics (ties,
    clamping and rounding mode included). Float multithresholds with integral out_scale and
    out_bias get an integer result type the same way.

    ```mlir
    %y = qnn.quant %x, %s1, %z0 {bitwidth = 2 : i64} : ...   // levels -1, 0, 1
    // becomes
    %l = qnn.multithreshold %x, %t {out_bias = -1.0, out_dtype = "INT2", out_type = si2}
    %y = qnn.cast %l : tensor<1x64xsi2> -> tensor<1x64xf32>
    ```
    Wider quantizers are reported and left for integer requantization.
  }];
  let options = [Option<"maxBits", "max-bits", "int64_t", "4",
                        "Widest quantizer turned into thresholds (2^n - 1 per channel)">];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def AbsorbSignIntoMatMul : Pass<"qnn-absorb-sign-into-matmul", "::mlir::func::FuncOp"> {
  let summary = "Negative per-channel scales after an integer matmul flip its weight columns";
  let description = [{
    Factors a per-channel `qnn.mul` (or `qnn.batchnorm`) that follows
    `cast(matmul(a, W_int))` into sign and magnitude and absorbs the sign into W's columns, so
    that every channel is monotonically increasing for threshold absorption. Bipolar and narrow
    weights stay in their value set; other weights widen by one bit if needed. Exact.

    ```mlir
    %m = qnn.matmul %a, %w ; %f = qnn.cast %m ; %y = qnn.mul %f, dense<[2.0, -3.0]>
    // becomes (column 1 of %w negated)
    %m = qnn.matmul %a, %w' ; %f = qnn.cast %m ; %y = qnn.mul %f, dense<[2.0, 3.0]>
    ```
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def AbsorbIntoThreshold : Pass<"qnn-absorb-into-threshold", "::mlir::func::FuncOp"> {
  let summary = "Absorb add/sub/mul/div/batchnorm/cast feeding a multithreshold";
  let description = [{
    `multithreshold(f(x), T)` with `f` a per-channel monotonically increasing op on constants
    becomes `multithreshold(x, T')`, with `t' = min { x : f(x) >= t }` computed by bisection
    on f's exact semantics: over the integers when x is an integer tensor (seed 001 §2.1.3:
    thresholds of integer inputs are integers) and over f32 otherwise. For a plain affine this
    is `t' = (t - b) / a`, rounded up for integer inputs, without the rounding error.

    ```mlir
    %f = qnn.cast %acc : tensor<1x64xsi32> -> tensor<1x64xf32>
    %b = qnn.batchnorm %f, ...
    %l = qnn.multithreshold %b, %t {...}
    // becomes
    %l = qnn.multithreshold %acc, %t2 {...}   // %t2 : tensor<64x3xsi32>
    ```
    A decreasing channel (negative scale) is reported and left alone; run
    `qnn-absorb-sign-into-matmul` first.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def LowerDequantize : Pass<"qnn-lower-dequantize", "::mlir::func::FuncOp"> {
  let summary = "DequantizeLinear becomes cast, zero-point add and scale mul";
  let description = [{
    `dequantize_linear(q, s, zp)` -> `mul(add(cast(q), -zp), s)` with per-axis parameters
    reshaped to broadcast along `axis`. Bit-exact: `q - zp` is an exact integer in f32 and
    the scale multiplies once, as DequantizeLinear does. Integer weights and biases stay
    integer constants behind the cast. `qlinear_conv` / `qlinear_matmul` with constant
    weights and parameters are first expanded into that QDQ form (dequantize, float op,
    quantize), which qnn-integer-matmul and qnn-requantize turn into integer ops.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def GemmToMatMul : Pass<"qnn-gemm-to-matmul", "::mlir::func::FuncOp"> {
  let summary = "Gemm becomes matmul (with transposes), scale and bias add";
  let description = [{
    `gemm(a, b, c)` -> `add(mul(matmul(op(a), op(b)), alpha), mul(c, beta))`, dropping the
    mul for 1.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def Requantize : Pass<"qnn-requantize", "::mlir::func::FuncOp"> {
  let summary = "8-bit quantize_linear of a scaled integer accumulator becomes qnn.requantize";
  let description = [{
    For 5-8-bit activations thresholds are uneconomical (2^n - 1 per channel); instead
    `quantize_linear([relu](mul(cast(acc), S)), s, zp)` becomes
    `requantize(acc) {multiplier, shift}` with `S / s = multiplier * 2^-shift` per channel
    (31-bit multipliers), the zero point added and the relu folded into the clamp.
    `quantize_linear(mul(add(cast(q), -zp_in), s_in), s, zp)` (a dequantize-quantize pair)
    becomes a requantization of q, or q itself when scale and zero point agree.
    Integer results may differ from the float computation by 1 in the last place (rounding of
    the float accumulation, and half-up rounding in the fixed-point shift).
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def IntegerMatMul : Pass<"qnn-integer-matmul", "::mlir::func::FuncOp"> {
  let summary = "Float matmuls of integer values become integer matmuls";
  let description = [{
    `matmul(cast(a_int), W)` where W is `cast(w_int)` or an f32 constant holding small
    integers becomes `cast(matmul(a_int, w_int) : si32)`. Exact when every partial sum fits
    f32's 24-bit mantissa, which the pass proves from the operands' value ranges (and reports
    otherwise).

    Without `exact-only`, also dequantized operands `(cast(q) - zp) * s` of matmul and conv
    (per-tensor activations, per-output-channel weights) become `matmul_integer` /
    `conv_integer` on q with the zero points, followed by `mul(cast(acc), s_a * s_w)`; a bias
    `cast(b_int) * s_a * s_w` is added to the accumulator in integers. The float computation
    rounded its accumulation, so results may differ in the last bits.

    ```mlir
    %y = qnn.matmul %a, %w : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
    // with %a = cast(%l : si2), %w = cast(%c : si2) becomes
    %m = qnn.matmul %l, %c : (tensor<1x4xsi2>, tensor<4x3xsi2>) -> tensor<1x3xsi32>
    %y = qnn.cast %m : tensor<1x3xsi32> -> tensor<1x3xf32>
    ```
  }];
  let options = [Option<"exactOnly", "exact-only", "bool", "false",
                        "Only conversions that keep f32 results bit-identical">];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def RoundThresholds : Pass<"qnn-round-thresholds", "::mlir::func::FuncOp"> {
  let summary = "Thresholds of integer inputs: round up to integers, clip to the reachable range";
  let description = [{
    For a multithreshold on an integer tensor, `x >= t` equals `x >= ceil(t)`; thresholds
    become `si32` and are clipped to `[lo, hi + 1]` of the input's value range (from constants,
    multithreshold levels and matmul accumulator bounds), so no threshold is wider than the
    values it is compared with.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def MoveAffine : Pass<"qnn-move-affine", "::mlir::func::FuncOp"> {
  let summary = "Move scalar/per-channel mul and add past matmul, max_pool and layout ops";
  let description = [{
    Moves linear operations towards the next threshold (seed 001 §2.1.2):
    `matmul(mul(x, s), W)` -> `mul(matmul(x, W), s)` (s scalar); `matmul(x, mul(W, s))` ->
    `mul(matmul(x, W), s)` (s scalar or per output column); `matmul(add(x, b), W)` ->
    `add(matmul(x, W), b W)` (b constant); `max_pool(mul(x, s))` -> `mul(max_pool(x), s)` only
    for s > 0 (max does not commute with a negative scale); `max_pool(add(x, b))`; and
    reshape/flatten/transpose/squeeze/unsqueeze of a scalar mul or add. With `exact-only`, only
    power-of-two scales move past a matmul (those commute with f32 rounding).
  }];
  let options = [Option<"exactOnly", "exact-only", "bool", "false",
                        "Only moves that keep f32 results bit-identical">];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def CollapseAffine : Pass<"qnn-collapse-affine", "::mlir::func::FuncOp"> {
  let summary = "Collapse chains of constant mul and add into one mul and one add";
  let description = [{
    `mul(mul(x, a), b)` -> `mul(x, a*b)`; `add(add(x, a), b)` -> `add(x, a+b)`;
    `mul(add(x, b), a)` -> `add(mul(x, a), b*a)`. Constants are combined in double precision.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def NormalizeAffine : Pass<"qnn-normalize-affine", "::mlir::func::FuncOp"> {
  let summary = "Sub of a constant becomes Add, Div by a float constant becomes Mul";
  let description = [{
    `sub(x, c)` -> `add(x, -c)`; `div(x, c)` -> `mul(x, 1/c)` for float c (integer division
    truncates and is reported instead).
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def BatchNormToAffine : Pass<"qnn-batchnorm-to-affine", "::mlir::func::FuncOp"> {
  let summary = "Inference batch normalization becomes a per-channel mul and add";
  let description = [{
    `batchnorm(x, scale, bias, mean, var)` -> `add(mul(x, a), b)` with
    `a = scale / sqrt(var + eps)`, `b = bias - mean * a`, shaped to broadcast along axis 1.
  }];
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def RemoveIdentities : Pass<"qnn-remove-identities", "::mlir::func::FuncOp"> {
  let summary = "Remove mul by 1, add/sub of 0, div by 1, no-op reshapes, transposes and casts";
  let dependentDialects = ["::mlir::qnn::QNNDialect"];
}

def CheckIntegerOnly : Pass<"qnn-check-integer-only", "::mlir::func::FuncOp"> {
  let summary = "Report every op that still computes in floating point, and why";
  let description = [{
    Emits a warning per remaining float op that is not part of the output affine (a cast
    of the last integer result followed by at most one mul and one add, and optionally topk or
    argmax), naming the op and why streamlining could not absorb it.
  }];
  let options = [Option<"failOnFloat", "fail-on-float", "bool", "false",
                        "Make remaining float ops errors instead of warnings">];
}

def Streamline : Pass<"qnn-streamline", "::mlir::ModuleOp"> {
  let summary = "Run the streamlining passes to a fixed point and check the result";
  let description = [{
    Phase 1 (bit-exact) repeats qnn-fold-constants, qnn-quantize-weights,
    qnn-remove-identities, qnn-quant-to-threshold, qnn-move-affine{exact-only},
    qnn-absorb-sign-into-matmul, qnn-absorb-into-threshold, qnn-integer-matmul and
    qnn-round-thresholds until the IR stops changing. Phase 2 rewrites what is left in floating
    point (qnn-batchnorm-to-affine, qnn-normalize-affine, qnn-move-affine, qnn-collapse-affine)
    and phase 1 runs again. Finally qnn-check-integer-only reports what could not be absorbed.
    With `dump-dir`, the IR is written after every pass that changed it as `NN-<pass>.mlir`
    (`00-input.mlir` first).
  }];
  let options = [
    Option<"dumpDir", "dump-dir", "std::string", "\"\"", "Write the IR after each pass here">,
    Option<"maxBits", "max-bits", "int64_t", "4", "Widest quantizer turned into thresholds">,
  ];
  let dependentDialects = ["::mlir::qnn::QNNDialect", "::mlir::func::FuncDialect"];
}


//===----------------------------------------------------------------------===//
// Bit-plane lowering and memory planning: qnn (integer graph) -> qkernel
//===----------------------------------------------------------------------===//

def LowerToQKernel : Pass<"qnn-lower-to-qkernel", "::mlir::func::FuncOp"> {
  let summary = "Lower a streamlined qnn function to kernel ops on packed bit-planes";
  let description = [{
    The only bridge between the two dialects. Per layer it picks the kernel:

    - `qnn.matmul` on multithresholded (few-bit) activations with integer weights becomes
      `qkernel.bitserial_gemm` (seed 001 §3): weights are packed into bit-planes here, at
      compile time, with the narrowest encoding their values fit (bipolar for +-1, unsigned
      or two's complement otherwise), and a `qnn.multithreshold` that is the matmul's only user
      is fused into the GEMM as a threshold + pack epilogue;
    - `qnn.matmul` on f32 activations (a float first layer) becomes `qkernel.float_gemm`;
    - `qnn.multithreshold` of a plain tensor becomes `qkernel.threshold_pack`;
    - `qnn.cast` of a GEMM result followed by per-channel `qnn.mul` / `qnn.add` becomes
      `qkernel.dequantize`; `qnn.topk` with k = 1 whose values are unused becomes
      `qkernel.argmax`; reshapes of plain row-major tensors are free.

    Cost rule (seed 000, eq. 3): a bit-serial layer does `w_bits * a_bits` binary GEMMs of
    `M*N*K/64` AND-popcount word operations; an 8-bit kernel does `M*N*K` multiply-adds.
    Layers with `w_bits * a_bits <= 16` take the bit-serial kernel; wider integer layers would
    take the 8-bit path, which this lowering does not have yet: they are refused with a
    diagnostic naming the ONNX node, like every op without a kernel.

    ```mlir
    %a = qnn.matmul %x, %w : (tensor<1x64xsi2>, tensor<64x10xsi2>) -> tensor<1x10xsi32>
    // becomes
    %a = qkernel.bitserial_gemm %p {a_bits = 1, a_encoding = "bipolar", k = 64, m = 10, n = 1,
           rows = 4, vectors_per_panel = 2, w_bits = 1, w_encoding = "bipolar",
           weights = dense<...> : tensor<10xi64>} : (tensor<1x1x1x1xi64>) -> tensor<10x1xi32>
    ```
  }];
  let options = [
    Option<"lanes", "lanes", "int64_t", "8",
           "64-bit lanes of the target's vector registers (panel width = lanes x "
           "vectors-per-panel when the batch is larger than 1)">,
    Option<"rows", "rows", "int64_t", "4",
           "GEMM schedule: output rows per register tile (fewer where a "
           "multi-plane GEMM's plane pairs then get their own accumulators; "
           "not used by a GEMV, whose tile is one 64-byte line of rows)">,
    Option<"vectorsPerPanel", "vectors-per-panel", "int64_t", "2",
           "GEMM schedule: vectors of columns per tile (not used by a GEMV)">
  ];
  let dependentDialects = ["::mlir::qkernel::QKernelDialect"];
}

def PlanMemory : Pass<"qkernel-plan-memory", "::mlir::func::FuncOp"> {
  let summary = "Assign every intermediate buffer a static offset in one workspace arena";
  let description = [{
    Buffers live from the op that writes them to their last reader (the function is a
    straight line). Offsets are chosen first-fit, 64-byte aligned, so a buffer reuses the
    space of buffers that are dead before it is written; a kernel never writes over its own
    inputs. Function results are written straight into the caller's output and get no
    offset. Adds `qkernel.offset` to each op and `qkernel.arena_bytes` to the function:

    ```mlir
    %0 = qkernel.threshold_pack %arg0 {qkernel.offset = 0 : i64, ...}
    %1 = qkernel.bitserial_gemm %0 {qkernel.offset = 128 : i64, ...}
    %2 = qkernel.bitserial_gemm %1 {qkernel.offset = 0 : i64, ...}
    ```
  }];
}

#endif // QNN_TRANSFORMS_PASSES_TD
