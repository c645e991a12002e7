// RUN: qnn-opt %s --qnn-normalize-affine --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-normalize-affine 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

// CHECK-LABEL: func @sub_div
// CHECK-NOT:   qnn.sub
// CHECK-NOT:   qnn.div
// CHECK:       %[[NEG:.+]] = qnn.constant dense<[-1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK:       %[[A:.+]] = qnn.add %arg0, %[[NEG]]
// CHECK:       %[[INV:.+]] = qnn.constant dense<2.500000e-01> : tensor<f32>
// CHECK:       qnn.mul %[[A]], %[[INV]]
func.func @sub_div(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %c = qnn.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %0 = qnn.sub %x, %c : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %d = qnn.constant dense<4.0> : tensor<f32>
  %1 = qnn.div %0, %d : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// Integer division truncates: it is not a multiplication by a reciprocal.
// CHECK-LABEL: func @integer_div
// CHECK:       qnn.div
func.func @integer_div(%x: tensor<4xsi32>) -> tensor<4xsi32> {
  %c = qnn.constant dense<3> : tensor<si32>
  // expected-warning @+1 {{integer division truncates; it is not a multiplication}}
  %0 = qnn.div %x, %c : (tensor<4xsi32>, tensor<si32>) -> tensor<4xsi32>
  return %0 : tensor<4xsi32>
}
