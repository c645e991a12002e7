// The whole pipeline on a two-layer W1A2 MLP in the shape Brevitas exports (input scaling,
// 2-bit input quantizer, bipolar weights, batchnorm, output affine).
// RUN: qnn-opt %s --qnn-streamline=dump-dir=%t.dump --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-streamline 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --min=0 --max=1 | FileCheck %s --check-prefix=EQUIV
// RUN: ls %t.dump | FileCheck %s --check-prefix=DUMP
// EQUIV: 1 passed, 0 failed
// DUMP: 00-input.mlir
// DUMP: {{[0-9]+}}-quantize-weights.mlir
// DUMP: {{[0-9]+}}-quant-to-threshold.mlir
// DUMP: {{[0-9]+}}-integer-matmul.mlir
// DUMP: {{[0-9]+}}-absorb-sign-into-matmul.mlir
// DUMP: {{[0-9]+}}-absorb-into-threshold.mlir
// DUMP: {{[0-9]+}}-collapse-affine.mlir

// CHECK-LABEL: func @mlp
// CHECK-NOT:   qnn.quant
// CHECK-NOT:   qnn.bipolar_quant
// CHECK-NOT:   qnn.batchnorm
// CHECK:       %[[L0:.+]] = qnn.multithreshold %arg0, %{{.+}} : (tensor<1x6xf32>, tensor<1x2xf32>) -> tensor<1x6xsi2>
// CHECK:       %[[M0:.+]] = qnn.matmul %[[L0]], %{{.+}} : (tensor<1x6xsi2>, tensor<6x3xsi2>) -> tensor<1x3xsi32>
// CHECK:       %[[L1:.+]] = qnn.multithreshold %[[M0]], %{{.+}} : (tensor<1x3xsi32>, tensor<3x2xsi32>) -> tensor<1x3xsi2>
// CHECK:       %[[M1:.+]] = qnn.matmul %[[L1]], %{{.+}} : (tensor<1x3xsi2>, tensor<3x2xsi2>) -> tensor<1x2xsi32>
// CHECK:       %[[F:.+]] = qnn.cast %[[M1]]
// CHECK:       %[[A:.+]] = qnn.mul %[[F]]
// CHECK:       %[[B:.+]] = qnn.add %[[A]]
// CHECK:       return %[[B]]
func.func @mlp(%x: tensor<1x6xf32>) -> tensor<1x2xf32> {
  %two = qnn.constant dense<2.0> : tensor<f32>
  %one = qnn.constant dense<1.0> : tensor<f32>
  %zero = qnn.constant dense<0.0> : tensor<f32>
  %0 = qnn.mul %x, %two : (tensor<1x6xf32>, tensor<f32>) -> tensor<1x6xf32>
  %1 = qnn.sub %0, %one : (tensor<1x6xf32>, tensor<f32>) -> tensor<1x6xf32>
  %2 = qnn.quant %1, %one, %zero {bitwidth = 2 : i64} : (tensor<1x6xf32>, tensor<f32>, tensor<f32>) -> tensor<1x6xf32>
  %w0 = qnn.constant dense<[[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6], [0.7, 0.8, -0.9], [-1.0, 1.1, 1.2], [1.3, -1.4, 1.5], [-1.6, -1.7, 1.8]]> : tensor<6x3xf32>
  %q0 = qnn.bipolar_quant %w0, %one : (tensor<6x3xf32>, tensor<f32>) -> tensor<6x3xf32>
  %3 = qnn.matmul %2, %q0 : (tensor<1x6xf32>, tensor<6x3xf32>) -> tensor<1x3xf32>
  %g = qnn.constant dense<[0.5, -2.0, 1.5]> : tensor<3xf32>
  %b = qnn.constant dense<[0.1, 0.2, -0.3]> : tensor<3xf32>
  %m = qnn.constant dense<[0.5, -1.0, 2.0]> : tensor<3xf32>
  %v = qnn.constant dense<[1.0, 4.0, 0.5]> : tensor<3xf32>
  %4 = qnn.batchnorm %3, %g, %b, %m, %v : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %5 = qnn.quant %4, %one, %zero {bitwidth = 2 : i64} : (tensor<1x3xf32>, tensor<f32>, tensor<f32>) -> tensor<1x3xf32>
  %w1 = qnn.constant dense<[[0.3, -0.1], [-0.2, 0.4], [0.5, 0.6]]> : tensor<3x2xf32>
  %q1 = qnn.bipolar_quant %w1, %one : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %6 = qnn.matmul %5, %q1 : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %c = qnn.constant dense<0.25> : tensor<1xf32>
  %7 = qnn.sub %6, %c : (tensor<1x2xf32>, tensor<1xf32>) -> tensor<1x2xf32>
  %d = qnn.constant dense<3.0> : tensor<1xf32>
  %8 = qnn.div %7, %d : (tensor<1x2xf32>, tensor<1xf32>) -> tensor<1x2xf32>
  return %8 : tensor<1x2xf32>
}
