// RUN: qnn-opt %s --qnn-absorb-into-threshold --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-absorb-into-threshold 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact --integer-valued --min=-40 --max=40 | FileCheck %s --check-prefix=EQUIV
// RUN: qnn-equiv %s %t.mlir --exact --min=-40 --max=40 | FileCheck %s --check-prefix=EQUIV
// EQUIV: 3 passed, 0 failed

// batchnorm(cast(acc)) feeding thresholds: both absorbed, thresholds become integers on the
// si32 accumulator (seed 001 §2.1.3), one row per channel.
// CHECK-LABEL: func @batchnorm_cast
// CHECK-NOT:   qnn.batchnorm
// CHECK-NOT:   qnn.cast
// CHECK:       %[[T:.+]] = qnn.constant dense<{{.+}}> : tensor<2x2xsi32>
// CHECK:       qnn.multithreshold %arg0, %[[T]] {{.+}} : (tensor<1x2xsi32>, tensor<2x2xsi32>) -> tensor<1x2xsi2>
func.func @batchnorm_cast(%acc: tensor<1x2xsi32>) -> tensor<1x2xsi2> {
  %f = qnn.cast %acc : tensor<1x2xsi32> -> tensor<1x2xf32>
  %s = qnn.constant dense<[0.5, 3.0]> : tensor<2xf32>
  %b = qnn.constant dense<[0.1, -2.0]> : tensor<2xf32>
  %m = qnn.constant dense<[1.5, 0.0]> : tensor<2xf32>
  %v = qnn.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %bn = qnn.batchnorm %f, %s, %b, %m, %v : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %t = qnn.constant dense<[[-0.5, 0.5]]> : tensor<1x2xf32>
  %l = qnn.multithreshold %bn, %t {out_bias = -1.0 : f64, out_dtype = "INT2", out_type = si2} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xsi2>
  return %l : tensor<1x2xsi2>
}

// A scalar add and mul on a float input: thresholds stay f32 and per-tensor.
// CHECK-LABEL: func @scalar_affine
// CHECK:       %[[T:.+]] = qnn.constant dense<{{.+}}> : tensor<1x1xf32>
// CHECK:       qnn.multithreshold %arg0, %[[T]]
func.func @scalar_affine(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %two = qnn.constant dense<2.0> : tensor<f32>
  %one = qnn.constant dense<1.0> : tensor<f32>
  %0 = qnn.mul %x, %two : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %1 = qnn.sub %0, %one : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %t = qnn.constant dense<[[0.0]]> : tensor<1x1xf32>
  %l = qnn.multithreshold %1, %t {out_dtype = "BIPOLAR", out_scale = 2.0 : f64, out_bias = -1.0 : f64} : (tensor<1x4xf32>, tensor<1x1xf32>) -> tensor<1x4xf32>
  return %l : tensor<1x4xf32>
}

// A negative scale makes the channel decreasing: thresholds cannot express it.
// CHECK-LABEL: func @negative_scale
// CHECK:       qnn.mul
func.func @negative_scale(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %s = qnn.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %0 = qnn.mul %x, %s : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %t = qnn.constant dense<[[0.0]]> : tensor<1x1xf32>
  // expected-warning @+1 {{'qnn.mul' not absorbed: it decreases in some channel (negative scale); run qnn-absorb-sign-into-matmul first}}
  %l = qnn.multithreshold %0, %t {out_dtype = "UINT1"} : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x2xf32>
  return %l : tensor<1x2xf32>
}
