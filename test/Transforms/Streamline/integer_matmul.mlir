// Exact mode (the first streamlining phase): only bit-identical conversions.
// RUN: qnn-opt %s --qnn-integer-matmul=exact-only --verify-diagnostics | FileCheck %s --check-prefixes=CHECK,EXACT
// RUN: qnn-opt %s --qnn-integer-matmul=exact-only 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact | FileCheck %s --check-prefix=EQUIV
// EQUIV: 3 passed, 0 failed
// Default mode: dequantized operands (8-bit QDQ) become integer conv/matmul with zero points.
// RUN: qnn-opt %s --qnn-integer-matmul 2>/dev/null | FileCheck %s --check-prefixes=CHECK,ANY
// RUN: qnn-opt %s --qnn-integer-matmul 2>/dev/null > %t.any.mlir
// RUN: qnn-equiv %s %t.any.mlir --min=0 --max=255 | FileCheck %s --check-prefix=EQUIV

// A float matmul of integer levels and +-1 float weights becomes an si32 matmul on si2
// operands (the f32 weights become a BIPOLAR constant).
// CHECK-LABEL: func @levels_times_weights
// CHECK:       %[[W:.+]] = qnn.constant {dtype = "BIPOLAR"} dense<{{\[}}[1, -1], [-1, 1], [1, 1]]> : tensor<3x2xsi2>
// CHECK:       %[[M:.+]] = qnn.matmul %arg0, %[[W]] : (tensor<1x3xsi2>, tensor<3x2xsi2>) -> tensor<1x2xsi32>
// CHECK:       qnn.cast %[[M]] : tensor<1x2xsi32> -> tensor<1x2xf32>
func.func @levels_times_weights(%l: tensor<1x3xsi2>) -> tensor<1x2xf32> {
  %a = qnn.cast %l : tensor<1x3xsi2> -> tensor<1x3xf32>
  %w = qnn.constant dense<[[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %0 = qnn.matmul %a, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// Partial sums up to 3 * 2^31 * 2^31 are not exact in f32: left alone.
// CHECK-LABEL: func @too_wide
// CHECK:       qnn.matmul {{.*}} -> tensor<1x2xf32>
func.func @too_wide(%l: tensor<1x3xsi32>) -> tensor<1x2xf32> {
  %a = qnn.cast %l : tensor<1x3xsi32> -> tensor<1x3xf32>
  %w = qnn.constant dense<[[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  // expected-warning @+1 {{matmul left in floating point: partial sums up to}}
  %0 = qnn.matmul %a, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// (cast(q) - 128) * 0.02 convolved with cast(w) * s_w plus an integer bias in scale
// 0.02 * s_w: conv_integer with the zero points, the bias added to the accumulator, one
// scale per output channel.
// CHECK-LABEL: func @dequantized_conv
// EXACT:       qnn.conv %
// ANY:         %[[ACC:.+]] = qnn.conv_integer %arg0, %{{.+}}, %{{.+}}, %{{.+}} {{.*}} -> tensor<1x2x3x3xsi32>
// ANY:         %[[B:.+]] = qnn.add %[[ACC]], %{{.+}} : (tensor<1x2x3x3xsi32>, tensor<2x1x1xsi32>)
// ANY:         %[[F:.+]] = qnn.cast %[[B]]
// ANY:         qnn.mul %[[F]], %{{.+}} : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>)
func.func @dequantized_conv(%q: tensor<1x1x3x3xui8>) -> tensor<1x2x3x3xf32> {
  %c = qnn.cast %q : tensor<1x1x3x3xui8> -> tensor<1x1x3x3xf32>
  %zp = qnn.constant dense<-128.0> : tensor<f32>
  %a = qnn.add %c, %zp : (tensor<1x1x3x3xf32>, tensor<f32>) -> tensor<1x1x3x3xf32>
  %sx = qnn.constant dense<0.02> : tensor<f32>
  %x = qnn.mul %a, %sx : (tensor<1x1x3x3xf32>, tensor<f32>) -> tensor<1x1x3x3xf32>
  %wq = qnn.constant dense<[[[[1, -2, 3], [4, 5, -6], [7, 8, 9]]], [[[-1, 0, 1], [2, -3, 4], [0, 0, 5]]]]> : tensor<2x1x3x3xsi8>
  %wc = qnn.cast %wq : tensor<2x1x3x3xsi8> -> tensor<2x1x3x3xf32>
  %sw = qnn.constant dense<[[[[0.05]]], [[[0.1]]]]> : tensor<2x1x1x1xf32>
  %w = qnn.mul %wc, %sw : (tensor<2x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<2x1x3x3xf32>
  %bq = qnn.constant dense<[100, -50]> : tensor<2xsi32>
  %bc = qnn.cast %bq : tensor<2xsi32> -> tensor<2xf32>
  %sb = qnn.constant dense<[0.001, 0.002]> : tensor<2xf32>
  %b = qnn.mul %bc, %sb : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %0 = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}
