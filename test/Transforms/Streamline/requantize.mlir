// RUN: qnn-opt %s --qnn-requantize --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-requantize 2>/dev/null > %t.mlir
// Fixed-point requantization rounds half up where quantize_linear rounds half to even, and
// the float product itself rounds: at most one step apart.
// RUN: qnn-equiv %s %t.mlir --integer-difference=1 --min=-3000 --max=3000 | FileCheck %s --check-prefix=EQUIV
// EQUIV: 4 passed, 0 failed

// Per-channel accumulator scales with relu: multipliers/shifts per channel, relu folded into
// the lower clamp (the zero point).
// CHECK-LABEL: func @relu_per_channel
// 0.001 / 0.02 = 0.05 = 1717987038 * 2^-35, 0.0025 / 0.02 = 0.125 = 2^30 * 2^-33.
// CHECK:       qnn.requantize %arg0 {clamp_max = 255 : i64, clamp_min = 3 : i64, multiplier = array<i64: 1717987{{[0-9]+}}, 1073741824>, out_type = ui8, out_zero_point = 3 : i64, shift = array<i64: 35, 33>} : (tensor<1x2x2x2xsi32>) -> tensor<1x2x2x2xui8>
func.func @relu_per_channel(%acc: tensor<1x2x2x2xsi32>) -> tensor<1x2x2x2xui8> {
  %f = qnn.cast %acc : tensor<1x2x2x2xsi32> -> tensor<1x2x2x2xf32>
  %s = qnn.constant dense<[[[0.001]], [[0.0025]]]> : tensor<2x1x1xf32>
  %y = qnn.mul %f, %s : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %r = qnn.relu %y : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %so = qnn.constant dense<0.02> : tensor<f32>
  %zo = qnn.constant dense<3> : tensor<ui8>
  %q = qnn.quantize_linear %r, %so, %zo : (tensor<1x2x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xui8>
  return %q : tensor<1x2x2x2xui8>
}

// A dequantize/quantize pair with a new scale and zero point: requantize q directly.
// CHECK-LABEL: func @rescale
// CHECK:       qnn.requantize %arg0 {{.*}}in_zero_point = 128 : i64{{.*}}out_type = si8
func.func @rescale(%q: tensor<1x4xui8>) -> tensor<1x4xsi8> {
  %c = qnn.cast %q : tensor<1x4xui8> -> tensor<1x4xf32>
  %z = qnn.constant dense<-128.0> : tensor<f32>
  %a = qnn.add %c, %z : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %s = qnn.constant dense<0.5> : tensor<f32>
  %y = qnn.mul %a, %s : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %so = qnn.constant dense<1.5> : tensor<f32>
  %zo = qnn.constant dense<0> : tensor<si8>
  %r = qnn.quantize_linear %y, %so, %zo : (tensor<1x4xf32>, tensor<f32>, tensor<si8>) -> tensor<1x4xsi8>
  return %r : tensor<1x4xsi8>
}

// The same scale and zero point: quantize(dequantize(q)) is q.
// CHECK-LABEL: func @identity
// CHECK-NEXT:  return %arg0
func.func @identity(%q: tensor<1x4xui8>) -> tensor<1x4xui8> {
  %c = qnn.cast %q : tensor<1x4xui8> -> tensor<1x4xf32>
  %s = qnn.constant dense<0.5> : tensor<f32>
  %y = qnn.mul %c, %s : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %z = qnn.constant dense<0> : tensor<ui8>
  %r = qnn.quantize_linear %y, %s, %z : (tensor<1x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4xui8>
  return %r : tensor<1x4xui8>
}

// A negative scale would reverse the order of values: not a requantization.
// CHECK-LABEL: func @negative_scale
// CHECK:       qnn.quantize_linear
func.func @negative_scale(%acc: tensor<1x4xsi32>) -> tensor<1x4xui8> {
  %f = qnn.cast %acc : tensor<1x4xsi32> -> tensor<1x4xf32>
  %s = qnn.constant dense<-0.01> : tensor<f32>
  %y = qnn.mul %f, %s : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %so = qnn.constant dense<0.02> : tensor<f32>
  %zo = qnn.constant dense<0> : tensor<ui8>
  // expected-warning @+1 {{not requantized: the accumulator's scale must be positive and per-tensor or per-channel}}
  %q = qnn.quantize_linear %y, %so, %zo : (tensor<1x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4xui8>
  return %q : tensor<1x4xui8>
}
