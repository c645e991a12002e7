// RUN: qnn-opt %s --qnn-batchnorm-to-affine --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-batchnorm-to-affine 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

// CHECK-LABEL: func @rank4
// CHECK-NOT:   qnn.batchnorm
// CHECK:       %[[M:.+]] = qnn.mul %arg0, %{{.+}} : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>)
// CHECK:       qnn.add %[[M]], %{{.+}} : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>)
func.func @rank4(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %s = qnn.constant dense<[2.0, -0.5]> : tensor<2xf32>
  %b = qnn.constant dense<[0.25, 1.0]> : tensor<2xf32>
  %m = qnn.constant dense<[1.0, -3.0]> : tensor<2xf32>
  %v = qnn.constant dense<[4.0, 0.25]> : tensor<2xf32>
  %0 = qnn.batchnorm %x, %s, %b, %m, %v {epsilon = 1.0e-5 : f64} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// Parameters that are not constants cannot be folded into one mul and add.
// CHECK-LABEL: func @dynamic
// CHECK:       qnn.batchnorm
func.func @dynamic(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x2xf32> {
  %b = qnn.constant dense<0.0> : tensor<2xf32>
  // expected-warning @+1 {{batchnorm parameters are not constants; not converted}}
  %0 = qnn.batchnorm %x, %s, %b, %b, %s : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
