// RUN: qnn-opt %s --qnn-lower-dequantize --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-lower-dequantize 2>/dev/null > %t.mlir
// Dequantization is bit-exact; the expanded QLinearConv rounds its float accumulation
// differently from the integer reference, by at most one step.
// RUN: qnn-equiv %s %t.mlir --exact --integer-difference=1 --min=0 --max=255 | FileCheck %s --check-prefix=EQUIV
// EQUIV: 4 passed, 0 failed

// Per-axis weights: cast, then the scale reshaped to (C, 1, 1, 1); no add for zero points 0.
// CHECK-LABEL: func @per_axis
// CHECK:       %[[C:.+]] = qnn.cast %arg0 : tensor<2x1x1x1xsi8> -> tensor<2x1x1x1xf32>
// CHECK:       qnn.mul %[[C]], %{{.+}} : (tensor<2x1x1x1xf32>, tensor<2x1x1x1xf32>)
func.func @per_axis(%w: tensor<2x1x1x1xsi8>) -> tensor<2x1x1x1xf32> {
  %s = qnn.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %z = qnn.constant dense<0> : tensor<2xsi8>
  %0 = qnn.dequantize_linear %w, %s, %z {axis = 0 : i64} : (tensor<2x1x1x1xsi8>, tensor<2xf32>, tensor<2xsi8>) -> tensor<2x1x1x1xf32>
  return %0 : tensor<2x1x1x1xf32>
}

// A zero point becomes an add of its negation before the scale.
// CHECK-LABEL: func @zero_point
// CHECK:       %[[C:.+]] = qnn.cast %arg0
// CHECK:       %[[A:.+]] = qnn.add %[[C]], %{{.+}}
// CHECK:       qnn.mul %[[A]]
func.func @zero_point(%q: tensor<1x4xui8>) -> tensor<1x4xf32> {
  %s = qnn.constant dense<0.1> : tensor<f32>
  %z = qnn.constant dense<128> : tensor<ui8>
  %0 = qnn.dequantize_linear %q, %s, %z : (tensor<1x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// QLinearConv with constant weights expands to the QDQ form.
// CHECK-LABEL: func @qlinear_conv
// CHECK-NOT:   qnn.qlinear_conv
// CHECK:       qnn.conv
// CHECK:       qnn.quantize_linear
func.func @qlinear_conv(%x: tensor<1x1x3x3xui8>) -> tensor<1x2x3x3xui8> {
  %sx = qnn.constant dense<0.02> : tensor<f32>
  %zx = qnn.constant dense<10> : tensor<ui8>
  %w = qnn.constant dense<[[[[1, -2, 3], [4, 5, -6], [7, 8, 9]]], [[[-1, 0, 1], [2, -3, 4], [0, 0, 5]]]]> : tensor<2x1x3x3xsi8>
  %sw = qnn.constant dense<[0.05, 0.1]> : tensor<2xf32>
  %zw = qnn.constant dense<0> : tensor<2xsi8>
  %sy = qnn.constant dense<0.03> : tensor<f32>
  %zy = qnn.constant dense<20> : tensor<ui8>
  %b = qnn.constant dense<[100, -50]> : tensor<2xsi32>
  %0 = qnn.qlinear_conv %x, %sx, %zx, %w, %sw, %zw, %sy, %zy, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>, tensor<2x1x3x3xsi8>, tensor<2xf32>, tensor<2xsi8>, tensor<f32>, tensor<ui8>, tensor<2xsi32>) -> tensor<1x2x3x3xui8>
  return %0 : tensor<1x2x3x3xui8>
}

// CHECK-LABEL: func @dynamic
func.func @dynamic(%q: tensor<1x4xui8>, %s: tensor<f32>) -> tensor<1x4xf32> {
  %z = qnn.constant dense<0> : tensor<ui8>
  // expected-warning @+1 {{dequantize_linear left alone: its scale and zero point must be constants}}
  %0 = qnn.dequantize_linear %q, %s, %z : (tensor<1x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
