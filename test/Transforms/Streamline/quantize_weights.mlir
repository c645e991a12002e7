// RUN: qnn-opt %s --qnn-quantize-weights --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-quantize-weights 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact | FileCheck %s --check-prefix=EQUIV
// EQUIV: 3 passed, 0 failed

// Bipolar weights become si2 constants with dtype BIPOLAR; a scale of 1 disappears.
// CHECK-LABEL: func @bipolar
// CHECK:       %[[W:.+]] = qnn.constant {dtype = "BIPOLAR"} dense<{{\[}}[1, -1], [1, 1]]> : tensor<2x2xsi2>
// CHECK:       %[[F:.+]] = qnn.cast %[[W]] : tensor<2x2xsi2> -> tensor<2x2xf32>
// CHECK:       qnn.matmul %arg0, %[[F]]
func.func @bipolar(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = qnn.constant dense<[[0.3, -0.2], [0.0, 5.0]]> : tensor<2x2xf32>
  %s = qnn.constant dense<1.0> : tensor<f32>
  %q = qnn.bipolar_quant %w, %s : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %0 = qnn.matmul %x, %q : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// 2-bit signed narrow weights with a per-column scale: levels in si2 (dtype INT2) times the
// scale, bit-exact.
// CHECK-LABEL: func @int2
// CHECK:       %[[W:.+]] = qnn.constant {dtype = "INT2"} dense<{{\[}}[1, 0], [-1, 1]]> : tensor<2x2xsi2>
// CHECK:       %[[F:.+]] = qnn.cast %[[W]]
// CHECK:       %[[S:.+]] = qnn.mul %[[F]], %{{.+}} : (tensor<2x2xf32>, tensor<2xf32>)
// CHECK:       qnn.matmul %arg0, %[[S]]
func.func @int2(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = qnn.constant dense<[[0.3, -0.2], [-0.9, 5.0]]> : tensor<2x2xf32>
  %s = qnn.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %z = qnn.constant dense<0.0> : tensor<f32>
  %q = qnn.quant %w, %s, %z {bitwidth = 2 : i64} : (tensor<2x2xf32>, tensor<2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %0 = qnn.matmul %x, %q : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// CHECK-LABEL: func @dynamic_scale
// CHECK:       qnn.quant
func.func @dynamic_scale(%x: tensor<1x2xf32>, %s: tensor<f32>) -> tensor<1x2xf32> {
  %w = qnn.constant dense<[[0.3, -0.2], [-0.9, 5.0]]> : tensor<2x2xf32>
  %z = qnn.constant dense<0.0> : tensor<f32>
  // expected-warning @+1 {{weight quantizer left alone: its scale and zero point must be constants}}
  %q = qnn.quant %w, %s, %z {bitwidth = 2 : i64} : (tensor<2x2xf32>, tensor<f32>, tensor<f32>) -> tensor<2x2xf32>
  %0 = qnn.matmul %x, %q : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
