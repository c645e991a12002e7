// RUN: qnn-opt %s --qnn-remove-identities --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-remove-identities 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

// CHECK-LABEL: func @identities
// CHECK-NEXT:  return %arg0
func.func @identities(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %one = qnn.constant dense<1.0> : tensor<1x4xf32>
  %zero = qnn.constant dense<0.0> : tensor<f32>
  %0 = qnn.mul %x, %one : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = qnn.add %0, %zero : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %2 = qnn.transpose %1 {perm = array<i64: 0, 1>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %3 = qnn.unsqueeze %2 {axes = array<i64: 2>} : (tensor<1x4xf32>) -> tensor<1x4x1xf32>
  %4 = qnn.squeeze %3 {axes = array<i64: 2>} : (tensor<1x4x1xf32>) -> tensor<1x4xf32>
  return %4 : tensor<1x4xf32>
}

// Not identities: a mul by ones that broadcasts to a bigger shape, an add of non-zeros.
// CHECK-LABEL: func @not_identities
// CHECK:       qnn.mul
// CHECK:       qnn.add
func.func @not_identities(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %one = qnn.constant dense<1.0> : tensor<2x4xf32>
  %c = qnn.constant dense<0.5> : tensor<f32>
  %0 = qnn.mul %x, %one : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %1 = qnn.add %0, %c : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}
