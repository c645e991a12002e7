// RUN: qnn-opt %s --qnn-fold-constants --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-fold-constants 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

// CHECK-LABEL: func @fold
// CHECK:       %[[C:.+]] = qnn.constant dense<{{\[}}[3.000000e+00, 5.000000e+00]]> : tensor<1x2xf32>
// CHECK:       qnn.add %arg0, %[[C]]
func.func @fold(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %a = qnn.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %t = qnn.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x1xf32>) -> tensor<1x2xf32>
  %two = qnn.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %s = qnn.add %t, %two : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %0 = qnn.add %x, %s : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// Quantizers on constants are weight quantization (qnn-quantize-weights), and a transpose of
// cast integer weights moves above the cast so the weights stay integer constants.
// CHECK-LABEL: func @keep_weights
// CHECK:       %[[W:.+]] = qnn.constant {dtype = "BIPOLAR"} dense<{{\[}}[1, -1]]> : tensor<1x2xsi2>
// CHECK:       qnn.cast %[[W]] : tensor<1x2xsi2> -> tensor<1x2xf32>
// CHECK:       qnn.bipolar_quant
func.func @keep_weights(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<2xf32>) {
  %w = qnn.constant {dtype = "BIPOLAR"} dense<[[1], [-1]]> : tensor<2x1xsi2>
  %f = qnn.cast %w : tensor<2x1xsi2> -> tensor<2x1xf32>
  %t = qnn.transpose %f {perm = array<i64: 1, 0>} : (tensor<2x1xf32>) -> tensor<1x2xf32>
  %0 = qnn.mul %x, %t : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %c = qnn.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %s = qnn.constant dense<1.0> : tensor<f32>
  %q = qnn.bipolar_quant %c, %s : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %0, %q : tensor<1x2xf32>, tensor<2xf32>
}
