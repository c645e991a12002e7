// RUN: qnn-opt %s --qnn-quant-to-threshold --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-quant-to-threshold 2>/dev/null > %t.mlir
// Ties included: integer-valued and half-integer inputs hit every rounding boundary.
// RUN: qnn-equiv %s %t.mlir --exact --integer-valued --min=-6 --max=6 | FileCheck %s --check-prefix=EQUIV
// RUN: qnn-equiv %s %t.mlir --exact --min=-6 --max=6 | FileCheck %s --check-prefix=EQUIV
// EQUIV: 4 passed, 0 failed

// 2-bit signed narrow, scale 0.5: levels -1, 0, 1 at x/0.5 rounded half to even, so the
// thresholds sit just above -0.25 and at 0.25 (0.25/0.5 = 0.5 rounds to 0).
// CHECK-LABEL: func @quant2
// CHECK:       %[[T:.+]] = qnn.constant dense<{{\[}}[-2.500000e-01, 0.{{[0-9]+}}]]> : tensor<1x2xf32>
// CHECK:       %[[L:.+]] = qnn.multithreshold %arg0, %[[T]] {out_bias = -1.000000e+00 : f64, out_dtype = "INT2", out_type = si2} : (tensor<2x3xf32>, tensor<1x2xf32>) -> tensor<2x3xsi2>
// CHECK:       %[[F:.+]] = qnn.cast %[[L]] : tensor<2x3xsi2> -> tensor<2x3xf32>
// CHECK:       qnn.mul %[[F]], %{{.+}}
func.func @quant2(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %s = qnn.constant dense<0.5> : tensor<f32>
  %z = qnn.constant dense<0.0> : tensor<f32>
  %0 = qnn.quant %x, %s, %z {bitwidth = 2 : i64} : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Unsigned 2-bit with a per-channel scale: one row of thresholds per channel.
// CHECK-LABEL: func @per_channel
// CHECK:       qnn.multithreshold %arg0, %{{.+}} {out_dtype = "UINT2", out_type = ui2} : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x2xui2>
func.func @per_channel(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %s = qnn.constant dense<[[1.0, 0.25]]> : tensor<1x2xf32>
  %z = qnn.constant dense<0.0> : tensor<f32>
  %0 = qnn.quant %x, %s, %z {bitwidth = 2 : i64, is_signed = false, narrow = false} : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// Bipolar: one threshold at 0 (x >= 0 maps to +1), levels 2 * count - 1.
// CHECK-LABEL: func @bipolar
// CHECK:       qnn.multithreshold %arg0, %{{.+}} {out_bias = -1.000000e+00 : f64, out_dtype = "BIPOLAR", out_scale = 2.000000e+00 : f64, out_type = si2}
func.func @bipolar(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qnn.constant dense<1.0> : tensor<f32>
  %0 = qnn.bipolar_quant %x, %s : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// 8 bits would need 255 thresholds per channel: left for integer requantization.
// CHECK-LABEL: func @eight_bit
// CHECK:       qnn.quant
func.func @eight_bit(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qnn.constant dense<0.1> : tensor<f32>
  %z = qnn.constant dense<0.0> : tensor<f32>
  // expected-warning @+1 {{a 8-bit quantizer is not turned into thresholds (at most 4 bits}}
  %0 = qnn.quant %x, %s, %z {bitwidth = 8 : i64} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
