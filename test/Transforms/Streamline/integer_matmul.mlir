// RUN: qnn-opt %s --qnn-integer-matmul --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-integer-matmul 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

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
