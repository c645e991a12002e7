#ifndef QKERNEL_OPS_TD
#define QKERNEL_OPS_TD

include "qnn/Dialect/QKernel/QKernelDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"

class QKernel_KernelOp<string mnemonic, list<Trait> traits = []>
    : QKernel_Op<mnemonic, !listconcat([Pure], traits)> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QKernel_Packed : RankedTensorOf<[I64]>;
// "unsigned" | "twos_complement" | "bipolar"
defvar QKernel_Encoding = StrAttr; // "unsigned" | "twos_complement" | "bipolar"

def QKernel_ThresholdPackOp : QKernel_KernelOp<"threshold_pack"> {
  let summary = "Multi-threshold a plain [N, K] tensor and pack the levels into bit-planes";
  let description = [{
    `input` is read as N rows (dimension 0) of K values. The level of a value of channel c is
    `level_bias + level_scale * #{t : x >= thresholds[c, t]}` (`thresholds` has one row per
    channel or a single shared row), encoded as `out_bits` bit-planes (`out_encoding`) and packed
    with `panel_width` columns per panel:

    With `channel_major`, the input is one NCHW image: channels are dimension 1 and the
    columns are its pixels (the packed-pixel layout convolutions read, panel width 1).

    ```mlir
    %p = qkernel.threshold_pack %x {level_bias = -1, level_scale = 2, out_bits = 1,
           out_encoding = "bipolar", panel_width = 1, thresholds = dense<...> : tensor<1x1xf32>}
         : (tensor<1x784xf32>) -> tensor<1x1x13x1xi64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, ElementsAttr:$thresholds, I64Attr:$level_scale,
                       I64Attr:$level_bias, I64Attr:$out_bits, QKernel_Encoding:$out_encoding,
                       I64Attr:$panel_width, UnitAttr:$channel_major);
  let results = (outs QKernel_Packed:$output);
}

def QKernel_BitserialGemmOp : QKernel_KernelOp<"bitserial_gemm"> {
  let summary = "Few-bit GEMM as a weighted sum of AND-popcount GEMMs over bit-planes";
  let description = [{
    `C[m, n] = sum_k W[m, k] * A[k, n]` with `W` given as packed bit-planes
    (`weights`: `planes x M x words` of i64, row `m` holding channel k at bit k) and `A` packed
    activations. The schedule is `rows` output rows per register tile and
    `vectors_per_panel` vectors of columns (GEMV, N = 1, reduces along K instead).

    `valid_k` (default K) counts the real elements of K when channels are padded to whole
    words (convolutions, flattened packed pixels): the bipolar offset correction uses it.
    Without `thresholds` the result is `tensor<M x N x si32>`. With `thresholds`
    (`M x T` si32) the epilogue thresholds and packs like `qkernel.threshold_pack`
    (`level_*`, `out_*`) and the result is packed for the next layer.
  }];
  let arguments = (ins QKernel_Packed:$activations, ElementsAttr:$weights, I64Attr:$m,
                       I64Attr:$k, I64Attr:$n, I64Attr:$w_bits, QKernel_Encoding:$w_encoding,
                       I64Attr:$a_bits, QKernel_Encoding:$a_encoding, I64Attr:$rows,
                       I64Attr:$vectors_per_panel, OptionalAttr<I64Attr>:$valid_k,
                       OptionalAttr<ElementsAttr>:$thresholds,
                       OptionalAttr<I64Attr>:$level_scale, OptionalAttr<I64Attr>:$level_bias,
                       OptionalAttr<I64Attr>:$out_bits, OptionalAttr<QKernel_Encoding>:$out_encoding,
                       OptionalAttr<I64Attr>:$out_panel_width);
  let results = (outs AnyRankedTensor:$output);
}

def QKernel_Im2ColPackedOp : QKernel_KernelOp<"im2col_packed"> {
  let summary = "Channel-interleaved im2col on packed pixels (seed 001 section 3.2)";
  let description = [{
    Input: packed pixels `planes x (H*W) x words(C) x 1` (bit c of a pixel's word c/64 is
    channel c). Output: the GEMM activation panels of the convolution, N = OH x OW pixels,
    K = KH x KW kernel positions back to back, padded to whole words at the end only. A
    position takes its channels as whole 64-bit words, as 32/16/8-bit units when one of
    them divides C, or as exactly C bits at any offset for fewer than 64 channels that
    none divides (codegen's convPositionBits). Positions in the zero padding read zeros.
    `pads` is [top, left, bottom, right].
  }];
  let arguments = (ins QKernel_Packed:$input, I64Attr:$height, I64Attr:$width,
                       I64Attr:$channels, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations, I64Attr:$panel_width);
  let results = (outs QKernel_Packed:$output);
}

def QKernel_MaxPoolPackedOp : QKernel_KernelOp<"max_pool_packed"> {
  let summary = "Max pooling of packed pixels, 64 channels per word operation";
  let description = [{
    One-bit activations pool with OR; wider unsigned ones with a bit-sliced maximum over
    their planes. Input and result are packed pixels `planes x pixels x words(C) x 1`;
    `pads` is [top, left, bottom, right] and padding never wins.
  }];
  let arguments = (ins QKernel_Packed:$input, I64Attr:$height, I64Attr:$width,
                       I64Attr:$channels, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads);
  let results = (outs QKernel_Packed:$output);
}

def QKernel_FloatGemmOp : QKernel_KernelOp<"float_gemm"> {
  let summary = "f32 [N, K] x f32 [K, M] with f64 accumulation";
  let description = [{
    For float-input first layers. The sum is accumulated in f64 and rounded once, which is what
    the reference evaluator computes, so the result is bit-identical to it.
  }];
  let arguments = (ins AnyRankedTensor:$input, ElementsAttr:$weights);
  let results = (outs AnyRankedTensor:$output);
}

def QKernel_DequantizeOp : QKernel_KernelOp<"dequantize"> {
  let summary = "si32 GEMM result [M, N] -> f32 [N, M], times scale, plus bias";
  let description = [{
    `y[n, m] = f32(x[m, n]) * scale[m] + bias[m]`, each step rounded to f32 (no fused
    multiply-add), as `qnn.cast`, `qnn.mul` and `qnn.add` compute it. `scale` and `bias` have
    one value per channel or one shared value.
  }];
  let arguments = (ins AnyRankedTensor:$input, ElementsAttr:$scale, ElementsAttr:$bias);
  let results = (outs AnyRankedTensor:$output);
}

def QKernel_ArgMaxOp : QKernel_KernelOp<"argmax"> {
  let summary = "Index of the largest value of each row (TopK with k = 1, indices only)";
  let description = [{
    Ties resolve to the lowest index, as ONNX TopK orders equal values.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
}


//===----------------------------------------------------------------------===//
// The 8-bit path: plain NCHW integer tensors
//===----------------------------------------------------------------------===//

def QKernel_QuantizeOp : QKernel_KernelOp<"quantize"> {
  let summary = "f32 -> u8/s8: clamp(round_half_even(x / scale) + zero_point)";
  let arguments = (ins AnyRankedTensor:$input, F32Attr:$scale, I64Attr:$zero_point);
  let results = (outs AnyRankedTensor:$output);
}

def QKernel_IntConvOp : QKernel_KernelOp<"int_conv"> {
  let summary = "8-bit convolution (or matmul) with bias and fixed-point requantization";
  let description = [{
    `acc[n, m, y, x] = bias[m] + sum (in - x_zero_point) * (w[m] - w_zero_point[m])` over
    channels and the kernel window (padding contributes nothing), then
    `out = clamp(((acc - in_zero_point) * multiplier[m] + 2^(shift[m]-1)) >> shift[m]
    + out_zero_point, clamp_min, clamp_max)`: `qnn.conv_integer` (or `matmul_integer`, a 1x1
    convolution of `[N, K]`), the bias `qnn.add` and `qnn.requantize` in one kernel.
    `weights` is `[M, C, KH, KW]` si8. Without the requantization attributes the result is
    the si32 accumulator (an 8-bit first layer whose accumulators are thresholded next).
  }];
  let arguments = (ins AnyRankedTensor:$input, ElementsAttr:$weights,
                       ElementsAttr:$w_zero_point, I64Attr:$x_zero_point, ElementsAttr:$bias,
                       OptionalAttr<ElementsAttr>:$multiplier, OptionalAttr<ElementsAttr>:$shift,
                       OptionalAttr<I64Attr>:$in_zero_point, OptionalAttr<I64Attr>:$out_zero_point,
                       OptionalAttr<I64Attr>:$clamp_min, OptionalAttr<I64Attr>:$clamp_max,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations);
  let results = (outs AnyRankedTensor:$output);
}

def QKernel_MaxPoolOp : QKernel_KernelOp<"max_pool"> {
  let summary = "Max pooling of an 8-bit NCHW tensor (padding takes no part)";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations);
  let results = (outs AnyRankedTensor:$output);
}

def QKernel_AffineOp : QKernel_KernelOp<"affine"> {
  let summary = "Plain integer [N, C] -> f32: f32(x) * scale[c] + bias[c]";
  let description = [{
    The output dequantization of an 8-bit model (`qnn.cast`, `qnn.mul`, `qnn.add`), each
    step rounded to f32. `scale` and `bias` have one value per channel or one shared value.
  }];
  let arguments = (ins AnyRankedTensor:$input, ElementsAttr:$scale, ElementsAttr:$bias);
  let results = (outs AnyRankedTensor:$output);
}

#endif // QKERNEL_OPS_TD
