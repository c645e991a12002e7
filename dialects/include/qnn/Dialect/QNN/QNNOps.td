#ifndef QNN_OPS_TD
#define QNN_OPS_TD

include "qnn/Dialect/QNN/QNNDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

// Every computing op infers its result types from its operands and attributes: the verifier
// then checks the printed types, and the importer derives static shapes without ONNX shape
// inference (which does not know the QONNX custom ops).
class QNN_ComputeOp<string mnemonic, list<Trait> traits = []>
    : QNN_Op<mnemonic, !listconcat([Pure, InferTypeOpAdaptor], traits)> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def QNN_Tensor : RankedTensorOf<[AnyType]>;
def QNN_FloatTensor : RankedTensorOf<[AnyFloat]>;
def QNN_IntTensor : RankedTensorOf<[AnyInteger]>;

// Axes and counts may be negative (ONNX axis -1): upstream I64Attr returns uint64_t.
def QNN_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t", "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

def QNN_RoundingModeAttr : DefaultValuedStrAttr<StrAttr, "ROUND">;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def QNN_ConstantOp : QNN_Op<"constant", [ConstantLike, Pure]> {
  let summary = "A constant tensor (ONNX initializer or Constant node)";
  let description = [{
    `dtype` optionally names the value set of an integer constant in FINN's terms (`BIPOLAR`
    for +-1, `INT<n>`, `UINT<n>`, `TERNARY`); the verifier checks every value against it.
    Streamlining uses it for quantized weights, e.g. bipolar weights stored as `si2`.
  }];
  let arguments = (ins ElementsAttr:$value, OptionalAttr<StrAttr>:$dtype);
  let results = (outs QNN_Tensor:$output);
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
  let hasVerifier = 1;
  let builders = [OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
    build($_builder, $_state, value.getType(), value, ::mlir::StringAttr());
  }]>];
}

//===----------------------------------------------------------------------===//
// Quantizers (QONNX custom ops and ONNX QDQ)
//===----------------------------------------------------------------------===//

def QNN_QuantOp : QNN_ComputeOp<"quant"> {
  let summary = "QONNX Quant / IntQuant: uniform fake-quantization";
  let description = [{
    `y = clamp(x / scale + zeropt, min_int, max_int)`, rounded by `rounding_mode`, then
    `(y - zeropt) * scale`. A signed 1-bit quantizer maps to ±1 (`x >= 0` → +1) instead.
    `scale` and `zeropt` broadcast against `x` (per-tensor or per-channel).
  }];
  let arguments = (ins QNN_FloatTensor:$x, QNN_FloatTensor:$scale, QNN_FloatTensor:$zeropt,
                   QNN_I64Attr:$bitwidth, DefaultValuedAttr<BoolAttr, "true">:$is_signed,
                   DefaultValuedAttr<BoolAttr, "true">:$narrow,
                   QNN_RoundingModeAttr:$rounding_mode);
  let results = (outs QNN_FloatTensor:$y);
  let hasVerifier = 1;
}

def QNN_BipolarQuantOp : QNN_ComputeOp<"bipolar_quant"> {
  let summary = "QONNX BipolarQuant: y = (x >= 0 ? +1 : -1) * scale";
  let arguments = (ins QNN_FloatTensor:$x, QNN_FloatTensor:$scale);
  let results = (outs QNN_FloatTensor:$y);
}

def QNN_TruncOp : QNN_ComputeOp<"trunc"> {
  let summary = "QONNX Trunc: drop the low in_bitwidth - out_bitwidth bits of a quantized value";
  let arguments = (ins QNN_FloatTensor:$x, QNN_FloatTensor:$scale, QNN_FloatTensor:$zeropt,
                   QNN_I64Attr:$in_bitwidth, QNN_I64Attr:$out_bitwidth,
                   DefaultValuedStrAttr<StrAttr, "FLOOR">:$rounding_mode);
  let results = (outs QNN_FloatTensor:$y);
  let hasVerifier = 1;
}

def QNN_MultiThresholdOp : QNN_ComputeOp<"multithreshold"> {
  let summary = "QONNX MultiThreshold: out_scale * #{i : x[c] >= t[c, i]} + out_bias";
  let description = [{
    `thresholds` has shape `(C, B)` or `(1, B)`; the channel axis is 1 for `NCHW` and the last
    axis for `NHWC` (and for rank-2 inputs in either layout). The result is f32 as in QONNX, or
    the integer type `out_type` (streamlined graphs: the count is then an integer level).
  }];
  let arguments = (ins QNN_Tensor:$x, QNN_Tensor:$thresholds, StrAttr:$out_dtype,
                   DefaultValuedAttr<F64Attr, "1.0">:$out_scale,
                   DefaultValuedAttr<F64Attr, "0.0">:$out_bias,
                   DefaultValuedStrAttr<StrAttr, "NCHW">:$data_layout,
                   OptionalAttr<TypeAttr>:$out_type);
  let results = (outs QNN_Tensor:$y);
  let hasVerifier = 1;
}

def QNN_QuantizeLinearOp : QNN_ComputeOp<"quantize_linear"> {
  let summary = "ONNX QuantizeLinear (per-tensor or per-axis); result type is the zero point's";
  let arguments = (ins QNN_FloatTensor:$x, QNN_FloatTensor:$scale, QNN_IntTensor:$zero_point,
                   DefaultValuedAttr<QNN_I64Attr, "1">:$axis);
  let results = (outs QNN_IntTensor:$y);
  let hasVerifier = 1;
}

def QNN_DequantizeLinearOp : QNN_ComputeOp<"dequantize_linear"> {
  let summary = "ONNX DequantizeLinear (per-tensor or per-axis)";
  let arguments = (ins QNN_IntTensor:$x, QNN_FloatTensor:$scale, QNN_IntTensor:$zero_point,
                   DefaultValuedAttr<QNN_I64Attr, "1">:$axis);
  let results = (outs QNN_FloatTensor:$y);
  let hasVerifier = 1;
}

def QNN_RequantizeOp : QNN_ComputeOp<"requantize"> {
  let summary = "Integer requantization: fixed-point multiply, rounding shift, zero point, clamp";
  let description = [{
    The integer-only form of "dequantize an accumulator, quantize to 8 bits" (gemmlowp):
    `y = clamp(out_zero_point + ((x - in_zero_point) * multiplier + 2^(shift-1)) >> shift,
    clamp_min, clamp_max)` with 64-bit products and an arithmetic shift (rounding half up).
    `multiplier` and `shift` hold one entry, or one per channel of `axis`.
  }];
  let arguments = (ins QNN_IntTensor:$x, DenseI64ArrayAttr:$multiplier,
                   DenseI64ArrayAttr:$shift, DefaultValuedAttr<QNN_I64Attr, "0">:$in_zero_point,
                   DefaultValuedAttr<QNN_I64Attr, "0">:$out_zero_point,
                   QNN_I64Attr:$clamp_min, QNN_I64Attr:$clamp_max,
                   DefaultValuedAttr<QNN_I64Attr, "1">:$axis, TypeAttr:$out_type);
  let results = (outs QNN_IntTensor:$y);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer linear algebra (ONNX)
//===----------------------------------------------------------------------===//

class QNN_ConvAttrs {
  dag convAttrs = (ins DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$dilations, DefaultValuedAttr<QNN_I64Attr, "1">:$group);
}

def QNN_MatMulIntegerOp : QNN_ComputeOp<"matmul_integer"> {
  let summary = "ONNX MatMulInteger: (a - a_zero_point) x (b - b_zero_point) in si32";
  let arguments = (ins QNN_IntTensor:$a, QNN_IntTensor:$b, QNN_IntTensor:$a_zero_point,
                   QNN_IntTensor:$b_zero_point);
  let results = (outs QNN_IntTensor:$y);
}

def QNN_ConvIntegerOp : QNN_ComputeOp<"conv_integer">, QNN_ConvAttrs {
  let summary = "ONNX ConvInteger: convolution of (x - x_zero_point) and (w - w_zero_point)";
  let arguments = !con((ins QNN_IntTensor:$x, QNN_IntTensor:$w, QNN_IntTensor:$x_zero_point,
                        QNN_IntTensor:$w_zero_point), convAttrs);
  let results = (outs QNN_IntTensor:$y);
}

def QNN_QLinearMatMulOp : QNN_ComputeOp<"qlinear_matmul"> {
  let summary = "ONNX QLinearMatMul";
  let arguments = (ins QNN_IntTensor:$a, QNN_FloatTensor:$a_scale, QNN_IntTensor:$a_zero_point,
                   QNN_IntTensor:$b, QNN_FloatTensor:$b_scale, QNN_IntTensor:$b_zero_point,
                   QNN_FloatTensor:$y_scale, QNN_IntTensor:$y_zero_point);
  let results = (outs QNN_IntTensor:$y);
}

def QNN_QLinearConvOp : QNN_ComputeOp<"qlinear_conv">, QNN_ConvAttrs {
  let summary = "ONNX QLinearConv (bias is si32 in the accumulator's scale)";
  let arguments = !con((ins QNN_IntTensor:$x, QNN_FloatTensor:$x_scale,
                        QNN_IntTensor:$x_zero_point, QNN_IntTensor:$w,
                        QNN_FloatTensor:$w_scale, QNN_IntTensor:$w_zero_point,
                        QNN_FloatTensor:$y_scale, QNN_IntTensor:$y_zero_point,
                        Optional<QNN_IntTensor>:$bias), convAttrs);
  let results = (outs QNN_IntTensor:$y);
}

//===----------------------------------------------------------------------===//
// Layer ops
//===----------------------------------------------------------------------===//

def QNN_ConvOp : QNN_ComputeOp<"conv">, QNN_ConvAttrs {
  let summary = "ONNX Conv (N-d, groups, pads, strides, dilations)";
  let arguments = !con((ins QNN_FloatTensor:$x, QNN_FloatTensor:$w,
                        Optional<QNN_FloatTensor>:$bias), convAttrs);
  let results = (outs QNN_FloatTensor:$y);
}

def QNN_MatMulOp : QNN_ComputeOp<"matmul"> {
  let summary = "ONNX MatMul (numpy semantics, batch dimensions broadcast)";
  let description = [{
    Float operands give a result of their type. Integer operands (of any widths, as left by
    streamlining) accumulate exactly into `si32`.
  }];
  let arguments = (ins QNN_Tensor:$a, QNN_Tensor:$b);
  let results = (outs QNN_Tensor:$y);
}

def QNN_GemmOp : QNN_ComputeOp<"gemm"> {
  let summary = "ONNX Gemm: alpha * op(a) x op(b) + beta * c";
  let arguments = (ins QNN_FloatTensor:$a, QNN_FloatTensor:$b, Optional<QNN_FloatTensor>:$c,
                   DefaultValuedAttr<F64Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F64Attr, "1.0">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$transA,
                   DefaultValuedAttr<BoolAttr, "false">:$transB);
  let results = (outs QNN_FloatTensor:$y);
}

def QNN_BatchNormOp : QNN_ComputeOp<"batchnorm"> {
  let summary = "ONNX BatchNormalization (inference): scale * (x - mean) / sqrt(var + eps) + bias";
  let arguments = (ins QNN_FloatTensor:$x, QNN_FloatTensor:$scale, QNN_FloatTensor:$bias,
                   QNN_FloatTensor:$mean, QNN_FloatTensor:$var,
                   DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs QNN_FloatTensor:$y);
}

class QNN_BinaryOp<string mnemonic, string what>
    : QNN_ComputeOp<mnemonic> {
  let summary = "ONNX " # what # " with numpy broadcasting";
  let arguments = (ins QNN_Tensor:$lhs, QNN_Tensor:$rhs);
  let results = (outs QNN_Tensor:$output);
}
def QNN_AddOp : QNN_BinaryOp<"add", "Add">;
def QNN_SubOp : QNN_BinaryOp<"sub", "Sub">;
def QNN_MulOp : QNN_BinaryOp<"mul", "Mul">;
def QNN_DivOp : QNN_BinaryOp<"div", "Div (integer division truncates toward zero)">;

class QNN_UnaryOp<string mnemonic, string what> : QNN_ComputeOp<mnemonic> {
  let summary = what;
  let arguments = (ins QNN_Tensor:$x);
  let results = (outs QNN_Tensor:$y);
}
def QNN_ReluOp : QNN_UnaryOp<"relu", "ONNX Relu">;
def QNN_SignOp : QNN_UnaryOp<"sign", "ONNX Sign (-1, 0 or +1)">;

def QNN_ClipOp : QNN_ComputeOp<"clip"> {
  let summary = "ONNX Clip / HardTanh with constant bounds";
  let arguments = (ins QNN_Tensor:$x, OptionalAttr<F64Attr>:$min, OptionalAttr<F64Attr>:$max);
  let results = (outs QNN_Tensor:$y);
  let hasVerifier = 1;
}

class QNN_PoolOp<string mnemonic, string what> : QNN_ComputeOp<mnemonic> {
  let summary = what;
  let results = (outs QNN_Tensor:$y);
}
def QNN_MaxPoolOp : QNN_PoolOp<"max_pool", "ONNX MaxPool (values only)"> {
  let arguments = (ins QNN_Tensor:$x, DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
}
def QNN_AveragePoolOp : QNN_PoolOp<"average_pool", "ONNX AveragePool"> {
  let arguments = (ins QNN_FloatTensor:$x, DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$strides,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
}
def QNN_GlobalAveragePoolOp : QNN_PoolOp<"global_average_pool", "ONNX GlobalAveragePool"> {
  let arguments = (ins QNN_FloatTensor:$x);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def QNN_ReshapeOp : QNN_ComputeOp<"reshape"> {
  let summary = "ONNX Reshape to a static shape (-1 and 0 resolved at import)";
  let arguments = (ins QNN_Tensor:$x, DenseI64ArrayAttr:$shape);
  let results = (outs QNN_Tensor:$y);
}

def QNN_FlattenOp : QNN_ComputeOp<"flatten"> {
  let summary = "ONNX Flatten to 2-D at `axis`";
  let arguments = (ins QNN_Tensor:$x, DefaultValuedAttr<QNN_I64Attr, "1">:$axis);
  let results = (outs QNN_Tensor:$y);
}

def QNN_TransposeOp : QNN_ComputeOp<"transpose"> {
  let summary = "ONNX Transpose";
  let arguments = (ins QNN_Tensor:$x, DenseI64ArrayAttr:$perm);
  let results = (outs QNN_Tensor:$y);
}

def QNN_SqueezeOp : QNN_ComputeOp<"squeeze"> {
  let summary = "ONNX Squeeze (axes resolved at import)";
  let arguments = (ins QNN_Tensor:$x, DenseI64ArrayAttr:$axes);
  let results = (outs QNN_Tensor:$y);
}

def QNN_UnsqueezeOp : QNN_ComputeOp<"unsqueeze"> {
  let summary = "ONNX Unsqueeze";
  let arguments = (ins QNN_Tensor:$x, DenseI64ArrayAttr:$axes);
  let results = (outs QNN_Tensor:$y);
}

def QNN_ConcatOp : QNN_ComputeOp<"concat"> {
  let summary = "ONNX Concat";
  let arguments = (ins Variadic<QNN_Tensor>:$inputs, QNN_I64Attr:$axis);
  let results = (outs QNN_Tensor:$y);
}

def QNN_CastOp : QNN_Op<"cast", [Pure]> {
  let summary = "ONNX Cast: element type conversion (float to integer truncates)";
  let arguments = (ins QNN_Tensor:$x);
  let results = (outs QNN_Tensor:$y);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($y)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Output heads
//===----------------------------------------------------------------------===//

def QNN_SoftmaxOp : QNN_ComputeOp<"softmax"> {
  let summary = "ONNX Softmax (opset 13 semantics: along one axis)";
  let arguments = (ins QNN_FloatTensor:$x, DefaultValuedAttr<QNN_I64Attr, "-1">:$axis);
  let results = (outs QNN_FloatTensor:$y);
}

def QNN_ArgMaxOp : QNN_ComputeOp<"argmax"> {
  let summary = "ONNX ArgMax (si64 indices)";
  let arguments = (ins QNN_Tensor:$x, DefaultValuedAttr<QNN_I64Attr, "0">:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs QNN_IntTensor:$y);
}

def QNN_TopKOp : QNN_ComputeOp<"topk"> {
  let summary = "ONNX TopK with a constant k: values and si64 indices";
  let arguments = (ins QNN_Tensor:$x, QNN_I64Attr:$k, DefaultValuedAttr<QNN_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$largest,
                   DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs QNN_Tensor:$values, QNN_IntTensor:$indices);
}

#endif // QNN_OPS_TD
