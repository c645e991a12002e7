// RUN: qnn-opt %s --qnn-check-integer-only --verify-diagnostics | FileCheck %s
// RUN: not qnn-opt %s --qnn-check-integer-only=fail-on-float 2>&1 | FileCheck %s --check-prefix=ERR

// A streamlined graph: thresholds on the float input, integer matmuls, one output affine.
// Nothing to report.
// CHECK-LABEL: func @streamlined
func.func @streamlined(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %t = qnn.constant dense<[[0.5]]> : tensor<1x1xf32>
  %l = qnn.multithreshold %x, %t {out_dtype = "BIPOLAR", out_scale = 2.0 : f64, out_bias = -1.0 : f64, out_type = si2} : (tensor<1x4xf32>, tensor<1x1xf32>) -> tensor<1x4xsi2>
  %w = qnn.constant {dtype = "BIPOLAR"} dense<1> : tensor<4x2xsi2>
  %m = qnn.matmul %l, %w : (tensor<1x4xsi2>, tensor<4x2xsi2>) -> tensor<1x2xsi32>
  %f = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  %s = qnn.constant dense<0.5> : tensor<f32>
  %a = qnn.mul %f, %s : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %y = qnn.add %a, %s : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// An 8-bit activation quantizer between two layers is reported, and so is the float matmul
// that consumes it.
// CHECK-LABEL: func @leftover
// ERR: error: 'qnn.quant' still computes in floating point: a 8-bit quantizer
func.func @leftover(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %s = qnn.constant dense<0.1> : tensor<f32>
  %z = qnn.constant dense<0.0> : tensor<f32>
  // expected-warning @+1 {{'qnn.quant' still computes in floating point: a 8-bit quantizer (thresholds are used up to 4 bits; integer requantization of wider activations is not implemented yet)}}
  %q = qnn.quant %x, %s, %z {bitwidth = 8 : i64} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  %w = qnn.constant dense<1.0> : tensor<4x2xf32>
  // expected-warning @+1 {{'qnn.matmul' still computes in floating point: its operands are not both integer-valued}}
  %m = qnn.matmul %q, %w : (tensor<1x4xf32>, tensor<4x2xf32>) -> tensor<1x2xf32>
  return %m : tensor<1x2xf32>
}
