// RUN: qnn-opt %s --split-input-file --qnn-lower-to-qkernel --verify-diagnostics | FileCheck %s

// A float input thresholded to +-1, a bipolar layer with a fused 2-bit
// unsigned threshold epilogue, a W2A2 output layer and the dequantizing affine.
// Weight rows are packed at compile time: row m holds column m of W, channel k
// at bit k (bipolar: bit = v > 0), so [[1,-1],[1,1],[-1,1]] packs to 3 and 6;
// two's complement planes of [[1,-1],[-2,1]] are [plane][row] = [[1,3],[2,1]].
// CHECK-LABEL: func @mlp
// CHECK:       %[[A:.+]] = qkernel.threshold_pack %arg0 {level_bias = -1 : i64, level_scale = 2 : i64, out_bits = 1 : i64, out_encoding = "bipolar", panel_width = 1 : i64, thresholds = dense<5.000000e-01> : tensor<3x1xf32>} : (tensor<1x3xf32>) -> tensor<1x1x1x1xi64>
// CHECK:       %[[B:.+]] = qkernel.bitserial_gemm %[[A]] {a_bits = 1 : i64, a_encoding = "bipolar", k = 3 : i64, level_bias = 0 : i64, level_scale = 1 : i64, m = 2 : i64, n = 1 : i64, out_bits = 2 : i64, out_encoding = "unsigned", out_panel_width = 1 : i64, rows = 8 : i64, thresholds = dense<{{\[\[}}-1, 1, 3], [-1, 1, 3]]> : tensor<2x3xi32>, vectors_per_panel = 2 : i64, w_bits = 1 : i64, w_encoding = "bipolar", weights = dense<[3, 6]> : tensor<2xi64>}
// CHECK-SAME:  -> tensor<2x1x1x1xi64>
// CHECK:       %[[C:.+]] = qkernel.bitserial_gemm %[[B]] {a_bits = 2 : i64, a_encoding = "unsigned", k = 2 : i64, m = 2 : i64, n = 1 : i64, rows = 8 : i64, vectors_per_panel = 2 : i64, w_bits = 2 : i64, w_encoding = "twos_complement", weights = dense<[1, 3, 2, 1]> : tensor<4xi64>} : (tensor<2x1x1x1xi64>) -> tensor<2x1xi32>
// CHECK:       %[[D:.+]] = qkernel.dequantize %[[C]] {bias = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, scale = dense<2.500000e-01> : tensor<1xf32>} : (tensor<2x1xi32>) -> tensor<1x2xf32>
// CHECK:       return %[[D]]
func.func @mlp(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %t0 = qnn.constant dense<0.5> : tensor<1x1xf32>
  %w0 = qnn.constant {dtype = "BIPOLAR"} dense<[[1, -1], [1, 1], [-1, 1]]> : tensor<3x2xsi2>
  %t1 = qnn.constant dense<[[-1, 1, 3]]> : tensor<1x3xsi32>
  %w1 = qnn.constant {dtype = "INT2"} dense<[[1, -1], [-2, 1]]> : tensor<2x2xsi2>
  %s = qnn.constant dense<0.25> : tensor<f32>
  %b = qnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %a0 = qnn.multithreshold %x, %t0 {out_dtype = "BIPOLAR", out_scale = 2.0 : f64, out_bias = -1.0 : f64, out_type = si2} : (tensor<1x3xf32>, tensor<1x1xf32>) -> tensor<1x3xsi2>
  %m0 = qnn.matmul %a0, %w0 : (tensor<1x3xsi2>, tensor<3x2xsi2>) -> tensor<1x2xsi32>
  %a1 = qnn.multithreshold %m0, %t1 {out_dtype = "UINT2", out_type = ui2} : (tensor<1x2xsi32>, tensor<1x3xsi32>) -> tensor<1x2xui2>
  %m1 = qnn.matmul %a1, %w1 : (tensor<1x2xui2>, tensor<2x2xsi2>) -> tensor<1x2xsi32>
  %f = qnn.cast %m1 : tensor<1x2xsi32> -> tensor<1x2xf32>
  %y = qnn.mul %f, %s : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %z = qnn.add %y, %b : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %z : tensor<1x2xf32>
}

// -----

// TopK with k = 1 whose values are unused is an arg-max.
// CHECK-LABEL: func @classify
// CHECK:       qkernel.float_gemm %arg0 {weights = dense<{{\[\[}}1.000000e+00, -1.000000e+00]]> : tensor<1x2xf32>} : (tensor<1x1xf32>) -> tensor<1x2xf32>
// CHECK:       qkernel.argmax %{{.+}} : (tensor<1x2xf32>) -> tensor<1x1xsi64>
func.func @classify(%x: tensor<1x1xf32>) -> tensor<1x1xsi64> {
  %w = qnn.constant dense<[[1.0, -1.0]]> : tensor<1x2xf32>
  %m = qnn.matmul %x, %w : (tensor<1x1xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %v, %i = qnn.topk %m {k = 1 : i64} : (tensor<1x2xf32>) -> (tensor<1x1xf32>, tensor<1x1xsi64>)
  return %i : tensor<1x1xsi64>
}

// -----

// Ops without a kernel are refused with their location (the ONNX node).
func.func @refused(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{no kernel for 'qnn.relu': no lowering to qkernel}}
  %r = qnn.relu %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----

// 4-bit weights x 8-bit activations exceed the bit-serial cost rule.
func.func @too_wide(%x: tensor<1x2xsi32>) -> tensor<1x2xsi32> {
  %t = qnn.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254]]> : tensor<1x255xsi32>
  %w = qnn.constant {dtype = "INT4"} dense<[[7, -8], [1, 2]]> : tensor<2x2xsi4>
  %a = qnn.multithreshold %x, %t {out_dtype = "UINT8", out_type = ui8} : (tensor<1x2xsi32>, tensor<1x255xsi32>) -> tensor<1x2xui8>
  // expected-error @+1 {{no kernel for 'qnn.matmul': 4-bit weights x 8-bit activations need the 8-bit kernel path}}
  %m = qnn.matmul %a, %w : (tensor<1x2xui8>, tensor<2x2xsi4>) -> tensor<1x2xsi32>
  return %m : tensor<1x2xsi32>
}

// -----

// The 8-bit path: quantize_linear, conv_integer + bias add + requantize in one
// kernel (weights stay [M, C, KH, KW]), max_pool, flatten (free), matmul_integer
// as a 1x1 int_conv with weights transposed to [M, K, 1, 1], the output affine.
// CHECK-LABEL: func @qdq
// CHECK:       %[[Q:.+]] = qkernel.quantize %arg0 {scale = 5.000000e-01 : f32, zero_point = 3 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xui8>
// CHECK:       %[[C:.+]] = qkernel.int_conv %[[Q]] {bias = dense<[5, -5]> : tensor<2xi32>, clamp_max = 255 : i64, clamp_min = 0 : i64, dilations = array<i64: 1, 1>, in_zero_point = 0 : i64, multiplier = dense<[1073741824, 1610612736]> : tensor<2xi64>, out_zero_point = 0 : i64, pads = array<i64: 1, 1, 1, 1>, shift = dense<31> : tensor<2xi64>, strides = array<i64: 1, 1>, w_zero_point = dense<0> : tensor<1xi32>, weights = dense<{{.*}}> : tensor<2x1x3x3xi8>, x_zero_point = 3 : i64}
// CHECK-SAME:  -> tensor<1x2x4x4xui8>
// CHECK:       %[[P:.+]] = qkernel.max_pool %[[C]] {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xui8>) -> tensor<1x2x2x2xui8>
// CHECK:       %[[M:.+]] = qkernel.int_conv %[[P]] {{.*}}weights = dense<{{\[\[\[\[}}1]], {{\[\[}}0]], {{.*}} : tensor<3x8x1x1xi8>, x_zero_point = 0 : i64} : (tensor<1x2x2x2xui8>) -> tensor<1x3xui8>
// CHECK:       qkernel.affine %[[M]] {bias = dense<1.000000e+00> : tensor<1xf32>, scale = dense<2.500000e-01> : tensor<1xf32>} : (tensor<1x3xui8>) -> tensor<1x3xf32>
func.func @qdq(%x: tensor<1x1x4x4xf32>) -> tensor<1x3xf32> {
  %s = qnn.constant dense<0.5> : tensor<f32>
  %zp = qnn.constant dense<3> : tensor<ui8>
  %zp0 = qnn.constant dense<0> : tensor<ui8>
  %wzp = qnn.constant dense<0> : tensor<si8>
  %w = qnn.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]]]> : tensor<2x1x3x3xsi8>
  %b = qnn.constant dense<[[[5]], [[-5]]]> : tensor<2x1x1xsi32>
  %w2 = qnn.constant dense<[[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]> : tensor<8x3xsi8>
  %os = qnn.constant dense<0.25> : tensor<f32>
  %ob = qnn.constant dense<1.0> : tensor<f32>
  %q = qnn.quantize_linear %x, %s, %zp : (tensor<1x1x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  %c = qnn.conv_integer %q, %w, %zp, %wzp {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xui8>, tensor<2x1x3x3xsi8>, tensor<ui8>, tensor<si8>) -> tensor<1x2x4x4xsi32>
  %cb = qnn.add %c, %b : (tensor<1x2x4x4xsi32>, tensor<2x1x1xsi32>) -> tensor<1x2x4x4xsi32>
  %r = qnn.requantize %cb {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1073741824, 1610612736>, out_type = ui8, shift = array<i64: 31, 31>} : (tensor<1x2x4x4xsi32>) -> tensor<1x2x4x4xui8>
  %p = qnn.max_pool %r {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xui8>) -> tensor<1x2x2x2xui8>
  %f = qnn.flatten %p : (tensor<1x2x2x2xui8>) -> tensor<1x8xui8>
  %m = qnn.matmul_integer %f, %w2, %zp0, %wzp : (tensor<1x8xui8>, tensor<8x3xsi8>, tensor<ui8>, tensor<si8>) -> tensor<1x3xsi32>
  %r2 = qnn.requantize %m {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1073741824>, out_type = ui8, shift = array<i64: 30>} : (tensor<1x3xsi32>) -> tensor<1x3xui8>
  %d = qnn.cast %r2 : tensor<1x3xui8> -> tensor<1x3xf32>
  %ds = qnn.mul %d, %os : (tensor<1x3xf32>, tensor<f32>) -> tensor<1x3xf32>
  %db = qnn.add %ds, %ob : (tensor<1x3xf32>, tensor<f32>) -> tensor<1x3xf32>
  return %db : tensor<1x3xf32>
}

// -----

// An 8-bit layer needs its requantization to become a kernel.
func.func @no_requantize(%x: tensor<1x8xui8>) -> tensor<1x3xsi32> {
  %zp = qnn.constant dense<0> : tensor<ui8>
  %wzp = qnn.constant dense<0> : tensor<si8>
  %w = qnn.constant dense<1> : tensor<8x3xsi8>
  // expected-error @+1 {{no kernel for 'qnn.matmul_integer': an 8-bit layer must be followed by a per-channel qnn.requantize or a multithreshold}}
  %m = qnn.matmul_integer %x, %w, %zp, %wzp : (tensor<1x8xui8>, tensor<8x3xsi8>, tensor<ui8>, tensor<si8>) -> tensor<1x3xsi32>
  return %m : tensor<1x3xsi32>
}

// -----

// A bit-serial convolution: the NCHW image is thresholded into packed pixels
// (channel_major), gathered by im2col_packed (2 channels: 2-bit fields, so K =
// 3x3 positions x 2 bits = 18 bits in one word, and the 18 all-+1 weights are
// the word's low 18 bits, 262143), multiplied with the fused threshold epilogue
// packing pixels again (panel width 1); the flatten feeds a fully connected
// layer whose K runs over (pixel, padded channel), valid_k counting the real
// elements.
// CHECK-LABEL: func @conv
// CHECK:       %[[P:.+]] = qkernel.threshold_pack %arg0 {channel_major, {{.*}}panel_width = 1 : i64{{.*}}} : (tensor<1x2x4x4xf32>) -> tensor<1x16x1x1xi64>
// CHECK:       %[[I:.+]] = qkernel.im2col_packed %[[P]] {channels = 2 : i64, dilations = array<i64: 1, 1>, height = 4 : i64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, panel_width = 16 : i64, strides = array<i64: 1, 1>, width = 4 : i64} : (tensor<1x16x1x1xi64>) -> tensor<1x1x1x16xi64>
// CHECK:       %[[G:.+]] = qkernel.bitserial_gemm %[[I]] {{{.*}}k = 64 : i64, {{.*}}m = 3 : i64, n = 4 : i64, out_bits = 1 : i64, out_encoding = "unsigned", out_panel_width = 1 : i64, {{.*}}valid_k = 18 : i64, {{.*}}weights = dense<262143> : tensor<3xi64>} : (tensor<1x1x1x16xi64>) -> tensor<1x4x1x1xi64>
// CHECK:       qkernel.bitserial_gemm %[[G]] {{{.*}}k = 256 : i64, m = 2 : i64, n = 1 : i64, {{.*}}valid_k = 12 : i64{{.*}}} : (tensor<1x4x1x1xi64>) -> tensor<2x1xi32>
func.func @conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2xf32> {
  %t0 = qnn.constant dense<[[0.5]]> : tensor<1x1xf32>
  %zx = qnn.constant dense<0> : tensor<ui1>
  %zw = qnn.constant dense<0> : tensor<si2>
  %w = qnn.constant {dtype = "BIPOLAR"} dense<1> : tensor<3x2x3x3xsi2>
  %t1 = qnn.constant dense<[[1], [2], [3]]> : tensor<3x1xsi32>
  %w2 = qnn.constant {dtype = "BIPOLAR"} dense<-1> : tensor<12x2xsi2>
  %a = qnn.multithreshold %x, %t0 {out_dtype = "UINT1", out_type = ui1} : (tensor<1x2x4x4xf32>, tensor<1x1xf32>) -> tensor<1x2x4x4xui1>
  %c = qnn.conv_integer %a, %w, %zx, %zw {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xui1>, tensor<3x2x3x3xsi2>, tensor<ui1>, tensor<si2>) -> tensor<1x3x2x2xsi32>
  %b = qnn.multithreshold %c, %t1 {out_dtype = "UINT1", out_type = ui1} : (tensor<1x3x2x2xsi32>, tensor<3x1xsi32>) -> tensor<1x3x2x2xui1>
  %f = qnn.flatten %b : (tensor<1x3x2x2xui1>) -> tensor<1x12xui1>
  %m = qnn.matmul %f, %w2 : (tensor<1x12xui1>, tensor<12x2xsi2>) -> tensor<1x2xsi32>
  %y = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// 16 channels: each kernel position moves one 16-bit unit into the GEMM row
// instead of a whole 64-bit word, so K = 3x3 x 16 = 144 bits padded to 192
// (3 words, not 9).
// CHECK-LABEL: func @conv16
// CHECK:       %[[I:.+]] = qkernel.im2col_packed %{{.+}} {channels = 16 : i64, {{.*}}} : (tensor<1x16x1x1xi64>) -> tensor<1x1x3x16xi64>
// CHECK:       qkernel.bitserial_gemm %[[I]] {{{.*}}k = 192 : i64, {{.*}}valid_k = 144 : i64{{.*}}} : (tensor<1x1x3x16xi64>) -> tensor<1x4x1x1xi64>
func.func @conv16(%x: tensor<1x16x4x4xf32>) -> tensor<1x2xf32> {
  %t0 = qnn.constant dense<[[0.5]]> : tensor<1x1xf32>
  %zx = qnn.constant dense<0> : tensor<ui1>
  %zw = qnn.constant dense<0> : tensor<si2>
  %w = qnn.constant {dtype = "BIPOLAR"} dense<1> : tensor<3x16x3x3xsi2>
  %t1 = qnn.constant dense<[[1], [2], [3]]> : tensor<3x1xsi32>
  %w2 = qnn.constant {dtype = "BIPOLAR"} dense<-1> : tensor<12x2xsi2>
  %a = qnn.multithreshold %x, %t0 {out_dtype = "UINT1", out_type = ui1} : (tensor<1x16x4x4xf32>, tensor<1x1xf32>) -> tensor<1x16x4x4xui1>
  %c = qnn.conv_integer %a, %w, %zx, %zw {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x4x4xui1>, tensor<3x16x3x3xsi2>, tensor<ui1>, tensor<si2>) -> tensor<1x3x2x2xsi32>
  %b = qnn.multithreshold %c, %t1 {out_dtype = "UINT1", out_type = ui1} : (tensor<1x3x2x2xsi32>, tensor<3x1xsi32>) -> tensor<1x3x2x2xui1>
  %f = qnn.flatten %b : (tensor<1x3x2x2xui1>) -> tensor<1x12xui1>
  %m = qnn.matmul %f, %w2 : (tensor<1x12xui1>, tensor<12x2xsi2>) -> tensor<1x2xsi32>
  %y = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Max-pooling packed 2-bit pixels (bit-sliced maximum); two's complement
// activations are refused.
// CHECK-LABEL: func @pool
// CHECK:       %[[P:.+]] = qkernel.threshold_pack %arg0 {channel_major
// CHECK:       qkernel.max_pool_packed %[[P]] {channels = 3 : i64, height = 4 : i64, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, width = 4 : i64} : (tensor<2x16x1x1xi64>) -> tensor<2x4x1x1xi64>
func.func @pool(%x: tensor<1x3x4x4xf32>) -> tensor<1x2xf32> {
  %t = qnn.constant dense<[[0.5, 1.5, 2.5]]> : tensor<1x3xf32>
  %w = qnn.constant {dtype = "BIPOLAR"} dense<1> : tensor<12x2xsi2>
  %a = qnn.multithreshold %x, %t {out_dtype = "UINT2", out_type = ui2} : (tensor<1x3x4x4xf32>, tensor<1x3xf32>) -> tensor<1x3x4x4xui2>
  %p = qnn.max_pool %a {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4xui2>) -> tensor<1x3x2x2xui2>
  %f = qnn.flatten %p : (tensor<1x3x2x2xui2>) -> tensor<1x12xui2>
  %m = qnn.matmul %f, %w : (tensor<1x12xui2>, tensor<12x2xsi2>) -> tensor<1x2xsi32>
  %y = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @pool_signed(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xsi2> {
  %t = qnn.constant dense<[[0.5, 1.5, 2.5]]> : tensor<1x3xf32>
  %a = qnn.multithreshold %x, %t {out_dtype = "INT2", out_bias = -2.0 : f64, out_type = si2} : (tensor<1x3x4x4xf32>, tensor<1x3xf32>) -> tensor<1x3x4x4xsi2>
  // expected-error @+1 {{no kernel for 'qnn.max_pool': packed pooling needs one image of unsigned or +-1 activations}}
  %p = qnn.max_pool %a {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4xsi2>) -> tensor<1x3x2x2xsi2>
  return %p : tensor<1x3x2x2xsi2>
}

// -----

// An 8-bit first layer whose accumulators are thresholded next keeps them
// int32 (no requantization attributes); the multithreshold packs pixels.
// CHECK-LABEL: func @first_layer
// CHECK:       %[[C:.+]] = qkernel.int_conv %{{.+}} {bias = dense<0> : tensor<2xi32>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, w_zero_point = dense<0> : tensor<1xi32>, weights = dense<1> : tensor<2x1x1x1xi8>, x_zero_point = 0 : i64} : (tensor<1x1x2x2xui8>) -> tensor<1x2x2x2xsi32>
// CHECK:       qkernel.threshold_pack %[[C]] {channel_major
func.func @first_layer(%x: tensor<1x1x2x2xui8>) -> tensor<1x2xf32> {
  %zp = qnn.constant dense<0> : tensor<ui8>
  %wzp = qnn.constant dense<0> : tensor<si8>
  %w = qnn.constant dense<1> : tensor<2x1x1x1xsi8>
  %t = qnn.constant dense<[[10], [20]]> : tensor<2x1xsi32>
  %w2 = qnn.constant {dtype = "BIPOLAR"} dense<1> : tensor<8x2xsi2>
  %c = qnn.conv_integer %x, %w, %zp, %wzp {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xui8>, tensor<2x1x1x1xsi8>, tensor<ui8>, tensor<si8>) -> tensor<1x2x2x2xsi32>
  %a = qnn.multithreshold %c, %t {out_dtype = "UINT1", out_type = ui1} : (tensor<1x2x2x2xsi32>, tensor<2x1xsi32>) -> tensor<1x2x2x2xui1>
  %f = qnn.flatten %a : (tensor<1x2x2x2xui1>) -> tensor<1x8xui1>
  %m = qnn.matmul %f, %w2 : (tensor<1x8xui1>, tensor<8x2xsi2>) -> tensor<1x2xsi32>
  %y = qnn.cast %m : tensor<1x2xsi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// 1-bit weights (all ones, unsigned: one plane) x 4-bit activations, 4 plane
// pairs: the GEMM takes 1-row tiles (4 pairs x 2 vectors fill the 8
// accumulator registers, GemmTiling.h), so each plane pair keeps its own
// accumulator; with 1-bit activations (one pair) the pass's 4 rows stay.
// CHECK-LABEL: func @plane_pair_rows
// CHECK: qkernel.bitserial_gemm {{.*}}a_bits = 4 {{.*}}k = 1024 : i64, m = 2 : i64, n = 2 : i64, rows = 1 : i64
// CHECK: qkernel.bitserial_gemm {{.*}}a_bits = 1 {{.*}}k = 960 : i64, m = 2 : i64, n = 2 : i64, rows = 4 : i64
func.func @plane_pair_rows(%x: tensor<2x1024xsi32>, %y: tensor<2x960xsi32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %t = qnn.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]]> : tensor<1x15xsi32>
  %t1 = qnn.constant dense<[[0]]> : tensor<1x1xsi32>
  %w = qnn.constant {dtype = "UINT1"} dense<1> : tensor<1024x2xui1>
  %v = qnn.constant {dtype = "UINT1"} dense<1> : tensor<960x2xui1>
  %s = qnn.constant dense<0.5> : tensor<f32>
  %a = qnn.multithreshold %x, %t {out_dtype = "UINT4", out_type = ui4} : (tensor<2x1024xsi32>, tensor<1x15xsi32>) -> tensor<2x1024xui4>
  %b = qnn.multithreshold %y, %t1 {out_dtype = "UINT1", out_type = ui1} : (tensor<2x960xsi32>, tensor<1x1xsi32>) -> tensor<2x960xui1>
  %m = qnn.matmul %a, %w : (tensor<2x1024xui4>, tensor<1024x2xui1>) -> tensor<2x2xsi32>
  %n = qnn.matmul %b, %v : (tensor<2x960xui1>, tensor<960x2xui1>) -> tensor<2x2xsi32>
  %f = qnn.cast %m : tensor<2x2xsi32> -> tensor<2x2xf32>
  %g = qnn.cast %n : tensor<2x2xsi32> -> tensor<2x2xf32>
  %p = qnn.mul %f, %s : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %q = qnn.mul %g, %s : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  return %p, %q : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A GEMV's tile spreads its rows across the vector lanes: one 64-byte line of
// them (8 rows, the weight prefetch's unit), whatever the `rows` option; 20
// rows take three tiles.
// CHECK-LABEL: func @gemv_tile_rows
// CHECK: qkernel.bitserial_gemm {{.*}}m = 20 : i64, n = 1 : i64, rows = 8 : i64
func.func @gemv_tile_rows(%x: tensor<1x3xf32>) -> tensor<1x20xf32> {
  %t0 = qnn.constant dense<0.5> : tensor<1x1xf32>
  %w0 = qnn.constant {dtype = "BIPOLAR"} dense<1> : tensor<3x20xsi2>
  %s = qnn.constant dense<0.25> : tensor<f32>
  %a0 = qnn.multithreshold %x, %t0 {out_dtype = "BIPOLAR", out_scale = 2.0 : f64, out_bias = -1.0 : f64, out_type = si2} : (tensor<1x3xf32>, tensor<1x1xf32>) -> tensor<1x3xsi2>
  %m0 = qnn.matmul %a0, %w0 : (tensor<1x3xsi2>, tensor<3x20xsi2>) -> tensor<1x20xsi32>
  %f = qnn.cast %m0 : tensor<1x20xsi32> -> tensor<1x20xf32>
  %y = qnn.mul %f, %s : (tensor<1x20xf32>, tensor<f32>) -> tensor<1x20xf32>
  return %y : tensor<1x20xf32>
}
