// RUN: qnn-opt %s --qnn-gemm-to-matmul --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-gemm-to-matmul 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

// CHECK-LABEL: func @gemm
// CHECK:       %[[T:.+]] = qnn.transpose %arg1 {perm = array<i64: 1, 0>}
// CHECK:       %[[M:.+]] = qnn.matmul %arg0, %[[T]]
// CHECK:       %[[S:.+]] = qnn.mul %[[M]]
// CHECK:       %[[C:.+]] = qnn.mul %arg2
// CHECK:       qnn.add %[[S]], %[[C]]
func.func @gemm(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = qnn.gemm %a, %b, %c {transB = true, alpha = 0.5 : f64, beta = 2.0 : f64} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// Without C and with alpha = 1 only the matmul remains.
// CHECK-LABEL: func @plain
// CHECK-NEXT:  %[[M:.+]] = qnn.matmul %arg0, %arg1
// CHECK-NEXT:  return %[[M]]
func.func @plain(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = qnn.gemm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
