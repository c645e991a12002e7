// RUN: qnn-opt %s --qnn-collapse-affine --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-collapse-affine 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

// mul(add(mul(x, 2), 1), 3) -> add(mul(x, 6), 3)
// CHECK-LABEL: func @chain
// CHECK-DAG:   %[[S:.+]] = qnn.constant dense<6.000000e+00>
// CHECK-DAG:   %[[B:.+]] = qnn.constant dense<3.000000e+00>
// CHECK:       %[[M:.+]] = qnn.mul %arg0, %[[S]]
// CHECK:       %[[A:.+]] = qnn.add %[[M]], %[[B]]
// CHECK-NEXT:  return %[[A]]
func.func @chain(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %two = qnn.constant dense<2.0> : tensor<f32>
  %one = qnn.constant dense<1.0> : tensor<f32>
  %three = qnn.constant dense<3.0> : tensor<f32>
  %0 = qnn.mul %x, %two : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = qnn.add %0, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = qnn.mul %1, %three : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// An intermediate result used twice is kept: collapsing would compute it twice.
// CHECK-LABEL: func @shared
// CHECK:       qnn.mul
// CHECK:       qnn.mul
// CHECK:       qnn.add
func.func @shared(%x: tensor<3xf32>) -> tensor<3xf32> {
  %two = qnn.constant dense<2.0> : tensor<f32>
  %0 = qnn.mul %x, %two : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %1 = qnn.mul %0, %two : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %2 = qnn.add %0, %1 : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %2 : tensor<3xf32>
}
