// RUN: qnn-opt %s --qnn-absorb-sign-into-matmul --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-absorb-sign-into-matmul 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact | FileCheck %s --check-prefix=EQUIV
// EQUIV: 3 passed, 0 failed

// Column 1 has a negative scale: its bipolar weights are negated and the scale made positive.
// CHECK-LABEL: func @mul
// CHECK:       qnn.constant {dtype = "BIPOLAR"} dense<{{\[}}[1, 1], [-1, -1]]> : tensor<2x2xsi2>
// CHECK:       qnn.constant dense<[2.000000e+00, 3.000000e+00]>
func.func @mul(%a: tensor<1x2xsi2>) -> tensor<1x2xf32> {
  %w = qnn.constant {dtype = "BIPOLAR"} dense<[[1, -1], [-1, 1]]> : tensor<2x2xsi2>
  %m = qnn.matmul %a, %w : (tensor<1x2xsi2>, tensor<2x2xsi2>) -> tensor<1x2xsi32>
  %f = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  %s = qnn.constant dense<[2.0, -3.0]> : tensor<2xf32>
  %y = qnn.mul %f, %s : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// Batchnorm: scale and mean of the flipped channel change sign; INT2 weights {-2..1} widen to
// INT3 because -(-2) = 2 does not fit.
// CHECK-LABEL: func @batchnorm
// CHECK:       qnn.constant {dtype = "INT3"} dense<{{\[}}[-2, -1], [1, 2]]> : tensor<2x2xsi3>
// CHECK:       qnn.batchnorm
func.func @batchnorm(%a: tensor<1x2xsi2>) -> tensor<1x2xf32> {
  %w = qnn.constant {dtype = "INT2"} dense<[[-2, 1], [1, -2]]> : tensor<2x2xsi2>
  %m = qnn.matmul %a, %w : (tensor<1x2xsi2>, tensor<2x2xsi2>) -> tensor<1x2xsi32>
  %f = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  %sc = qnn.constant dense<[0.5, -1.5]> : tensor<2xf32>
  %b = qnn.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %mu = qnn.constant dense<[0.3, -0.7]> : tensor<2xf32>
  %v = qnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = qnn.batchnorm %f, %sc, %b, %mu, %v : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// Weights that are not a constant cannot absorb the sign.
// CHECK-LABEL: func @dynamic_weights
// CHECK:       qnn.constant dense<[2.000000e+00, -3.000000e+00]>
func.func @dynamic_weights(%a: tensor<1x2xsi2>, %w: tensor<2x2xsi2>) -> tensor<1x2xf32> {
  %m = qnn.matmul %a, %w : (tensor<1x2xsi2>, tensor<2x2xsi2>) -> tensor<1x2xsi32>
  %f = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  %s = qnn.constant dense<[2.0, -3.0]> : tensor<2xf32>
  // expected-warning @+1 {{negative scale not absorbed: the matmul's weights must be a constant used once}}
  %y = qnn.mul %f, %s : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
