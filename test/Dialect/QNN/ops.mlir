// Round trip: every qnn op parses, verifies, prints and parses again.
// RUN: qnn-opt %s | qnn-opt | FileCheck %s

// CHECK-LABEL: func @quantizers
func.func @quantizers(%x: tensor<1x4xf32>, %s: tensor<f32>, %z: tensor<f32>, %t: tensor<4x3xf32>) -> tensor<1x4xf32> {
  // CHECK: qnn.quant %{{.*}} {bitwidth = 2 : i64, is_signed = false, narrow = false, rounding_mode = "FLOOR"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  %0 = qnn.quant %x, %s, %z {bitwidth = 2 : i64, is_signed = false, narrow = false, rounding_mode = "FLOOR"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  // CHECK: qnn.bipolar_quant
  %1 = qnn.bipolar_quant %0, %s : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  // CHECK: qnn.trunc {{.*}}in_bitwidth = 8 : i64, out_bitwidth = 4 : i64
  %2 = qnn.trunc %1, %s, %z {in_bitwidth = 8 : i64, out_bitwidth = 4 : i64} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  // CHECK: qnn.multithreshold {{.*}}out_dtype = "UINT2"
  %3 = qnn.multithreshold %2, %t {out_dtype = "UINT2"} : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x4xf32>
  return %3 : tensor<1x4xf32>
}

// CHECK-LABEL: func @qdq
func.func @qdq(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>, %zp: tensor<3xsi8>) -> tensor<1x3x4x4xf32> {
  // CHECK: qnn.quantize_linear {{.*}} -> tensor<1x3x4x4xsi8>
  %q = qnn.quantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xsi8>) -> tensor<1x3x4x4xsi8>
  // CHECK: qnn.dequantize_linear
  %d = qnn.dequantize_linear %q, %s, %zp {axis = 1 : i64} : (tensor<1x3x4x4xsi8>, tensor<3xf32>, tensor<3xsi8>) -> tensor<1x3x4x4xf32>
  return %d : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func @integer_linear
func.func @integer_linear(%a: tensor<2x8xui8>, %b: tensor<8x3xsi8>, %az: tensor<ui8>, %bz: tensor<si8>,
                          %x: tensor<1x2x5x5xui8>, %w: tensor<4x2x3x3xsi8>, %sa: tensor<f32>, %sb: tensor<f32>,
                          %bias: tensor<4xsi32>) -> (tensor<2x3xsi32>, tensor<1x4x3x3xsi32>, tensor<2x3xui8>, tensor<1x4x5x5xui8>) {
  // CHECK: qnn.matmul_integer {{.*}} -> tensor<2x3xsi32>
  %0 = qnn.matmul_integer %a, %b, %az, %bz : (tensor<2x8xui8>, tensor<8x3xsi8>, tensor<ui8>, tensor<si8>) -> tensor<2x3xsi32>
  // CHECK: qnn.conv_integer {{.*}} -> tensor<1x4x3x3xsi32>
  %1 = qnn.conv_integer %x, %w, %az, %bz {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xsi8>, tensor<ui8>, tensor<si8>) -> tensor<1x4x3x3xsi32>
  // CHECK: qnn.qlinear_matmul
  %2 = qnn.qlinear_matmul %a, %sa, %az, %b, %sb, %bz, %sa, %az : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>, tensor<8x3xsi8>, tensor<f32>, tensor<si8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  // CHECK: qnn.qlinear_conv {{.*}} -> tensor<1x4x5x5xui8>
  %3 = qnn.qlinear_conv %x, %sa, %az, %w, %sb, %bz, %sa, %az, %bias {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x3x3xsi8>, tensor<f32>, tensor<si8>, tensor<f32>, tensor<ui8>, tensor<4xsi32>) -> tensor<1x4x5x5xui8>
  return %0, %1, %2, %3 : tensor<2x3xsi32>, tensor<1x4x3x3xsi32>, tensor<2x3xui8>, tensor<1x4x5x5xui8>
}

// CHECK-LABEL: func @layers
func.func @layers(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>, %p: tensor<8xf32>) -> tensor<1x8x2x2xf32> {
  // CHECK: qnn.conv {{.*}}group = 2 : i64{{.*}} -> tensor<1x8x4x4xf32>
  %0 = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: qnn.batchnorm
  %1 = qnn.batchnorm %0, %p, %p, %p, %p {epsilon = 1.0e-03 : f64} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: qnn.relu
  %2 = qnn.relu %1 : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: qnn.clip {{.*}}max = 1.000000e+00 : f64, min = -1.000000e+00 : f64
  %3 = qnn.clip %2 {min = -1.0 : f64, max = 1.0 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: qnn.sign
  %4 = qnn.sign %3 : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: qnn.max_pool {{.*}} -> tensor<1x8x2x2xf32>
  %5 = qnn.max_pool %4 {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x2x2xf32>
  // CHECK: qnn.average_pool {{.*}}ceil_mode = true{{.*}} -> tensor<1x8x2x2xf32>
  %6 = qnn.average_pool %4 {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x8x4x4xf32>) -> tensor<1x8x2x2xf32>
  // CHECK: qnn.global_average_pool {{.*}} -> tensor<1x8x1x1xf32>
  %7 = qnn.global_average_pool %6 : (tensor<1x8x2x2xf32>) -> tensor<1x8x1x1xf32>
  // CHECK: qnn.add
  %8 = qnn.add %5, %7 : (tensor<1x8x2x2xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x2x2xf32>
  // CHECK: qnn.sub
  %9 = qnn.sub %8, %6 : (tensor<1x8x2x2xf32>, tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  // CHECK: qnn.mul
  %10 = qnn.mul %9, %9 : (tensor<1x8x2x2xf32>, tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  // CHECK: qnn.div
  %11 = qnn.div %10, %7 : (tensor<1x8x2x2xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x2x2xf32>
  return %11 : tensor<1x8x2x2xf32>
}

// CHECK-LABEL: func @matmuls
func.func @matmuls(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<5xf32>) -> (tensor<3x5xf32>, tensor<5x3xf32>) {
  // CHECK: qnn.matmul {{.*}} -> tensor<3x5xf32>
  %0 = qnn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  // CHECK: qnn.gemm {{.*}}transA = true, transB = true{{.*}} -> tensor<5x3xf32>
  %1 = qnn.gemm %b, %a {transA = true, transB = true} : (tensor<4x5xf32>, tensor<3x4xf32>) -> tensor<5x3xf32>
  // CHECK: qnn.gemm {{.*}}alpha = 5.000000e-01
  %2 = qnn.gemm %a, %b, %c {alpha = 0.5 : f64} : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %2, %1 : tensor<3x5xf32>, tensor<5x3xf32>
}

// CHECK-LABEL: func @movement
func.func @movement(%x: tensor<1x2x3x4xf32>) -> (tensor<1x24xf32>, tensor<4x3x2x1xf32>, tensor<2x3x4xf32>, tensor<1x1x2x3x4xf32>, tensor<1x4x3x4xf32>, tensor<6x4xf32>) {
  // CHECK: qnn.reshape {{.*}}shape = array<i64: 1, 24>
  %0 = qnn.reshape %x {shape = array<i64: 1, 24>} : (tensor<1x2x3x4xf32>) -> tensor<1x24xf32>
  // CHECK: qnn.transpose
  %1 = qnn.transpose %x {perm = array<i64: 3, 2, 1, 0>} : (tensor<1x2x3x4xf32>) -> tensor<4x3x2x1xf32>
  // CHECK: qnn.squeeze
  %2 = qnn.squeeze %x {axes = array<i64: 0>} : (tensor<1x2x3x4xf32>) -> tensor<2x3x4xf32>
  // CHECK: qnn.unsqueeze
  %3 = qnn.unsqueeze %x {axes = array<i64: 0>} : (tensor<1x2x3x4xf32>) -> tensor<1x1x2x3x4xf32>
  // CHECK: qnn.concat {{.*}} -> tensor<1x4x3x4xf32>
  %4 = qnn.concat %x, %x {axis = 1 : i64} : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) -> tensor<1x4x3x4xf32>
  // CHECK: qnn.flatten {{.*}} -> tensor<6x4xf32>
  %5 = qnn.flatten %x {axis = 3 : i64} : (tensor<1x2x3x4xf32>) -> tensor<6x4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<1x24xf32>, tensor<4x3x2x1xf32>, tensor<2x3x4xf32>, tensor<1x1x2x3x4xf32>, tensor<1x4x3x4xf32>, tensor<6x4xf32>
}

// CHECK-LABEL: func @heads
func.func @heads(%x: tensor<2x10xf32>) -> (tensor<2x10xf32>, tensor<2x1xsi64>, tensor<2x3xf32>, tensor<2x3xsi64>) {
  // CHECK: qnn.constant dense<1.000000e+00> : tensor<2x10xf32>
  %c = qnn.constant dense<1.0> : tensor<2x10xf32>
  // CHECK: qnn.softmax
  %0 = qnn.softmax %x {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qnn.argmax {{.*}} -> tensor<2x1xsi64>
  %1 = qnn.argmax %c {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x1xsi64>
  // CHECK: qnn.topk {{.*}}k = 3 : i64{{.*}} -> (tensor<2x3xf32>, tensor<2x3xsi64>)
  %2:2 = qnn.topk %x {k = 3 : i64} : (tensor<2x10xf32>) -> (tensor<2x3xf32>, tensor<2x3xsi64>)
  return %0, %1, %2#0, %2#1 : tensor<2x10xf32>, tensor<2x1xsi64>, tensor<2x3xf32>, tensor<2x3xsi64>
}

// CHECK-LABEL: func @streamlined_forms
func.func @streamlined_forms(%x: tensor<1x4xf32>, %acc: tensor<1x4xsi32>) -> (tensor<1x4xsi2>, tensor<1x4xui8>, tensor<1x4xf32>) {
  // CHECK: qnn.constant {dtype = "BIPOLAR"} dense<[1, -1, 1, 1]> : tensor<4xsi2>
  %w = qnn.constant {dtype = "BIPOLAR"} dense<[1, -1, 1, 1]> : tensor<4xsi2>
  %t = qnn.constant dense<[[0.5]]> : tensor<1x1xf32>
  // CHECK: qnn.multithreshold {{.*}}out_type = si2} : (tensor<1x4xf32>, tensor<1x1xf32>) -> tensor<1x4xsi2>
  %l = qnn.multithreshold %x, %t {out_dtype = "BIPOLAR", out_scale = 2.0 : f64, out_bias = -1.0 : f64, out_type = si2} : (tensor<1x4xf32>, tensor<1x1xf32>) -> tensor<1x4xsi2>
  // CHECK: qnn.requantize %{{.*}} {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1073741824>, out_type = ui8, shift = array<i64: 31>} : (tensor<1x4xsi32>) -> tensor<1x4xui8>
  %q = qnn.requantize %acc {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1073741824>, shift = array<i64: 31>, out_type = ui8} : (tensor<1x4xsi32>) -> tensor<1x4xui8>
  // CHECK: qnn.cast %{{.*}} : tensor<1x4xsi2> -> tensor<1x4xf32>
  %f = qnn.cast %l : tensor<1x4xsi2> -> tensor<1x4xf32>
  // CHECK: qnn.matmul {{.*}} : (tensor<1x4xsi2>, tensor<4x1xsi2>) -> tensor<1x1xsi32>
  %w2 = qnn.reshape %w {shape = array<i64: 4, 1>} : (tensor<4xsi2>) -> tensor<4x1xsi2>
  %m = qnn.matmul %l, %w2 : (tensor<1x4xsi2>, tensor<4x1xsi2>) -> tensor<1x1xsi32>
  return %l, %q, %f : tensor<1x4xsi2>, tensor<1x4xui8>, tensor<1x4xf32>
}
