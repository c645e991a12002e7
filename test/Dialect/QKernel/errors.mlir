// RUN: qnn-opt %s --split-input-file --verify-diagnostics

func.func @packed_shape(%x: tensor<1x70xf32>) -> tensor<1x1x1x1xi64> {
  // expected-error @+1 {{result must have shape [1, 1, 2, 1]}}
  %p = qkernel.threshold_pack %x {level_bias = -1 : i64, level_scale = 2 : i64, out_bits = 1 : i64, out_encoding = "bipolar", panel_width = 1 : i64, thresholds = dense<0.5> : tensor<1x1xf32>} : (tensor<1x70xf32>) -> tensor<1x1x1x1xi64>
  return %p : tensor<1x1x1x1xi64>
}

// -----

func.func @encoding(%x: tensor<1x8xf32>) -> tensor<1x1x1x1xi64> {
  // expected-error @+1 {{unknown encoding 'sign_magnitude'}}
  %p = qkernel.threshold_pack %x {level_bias = 0 : i64, level_scale = 1 : i64, out_bits = 1 : i64, out_encoding = "sign_magnitude", panel_width = 1 : i64, thresholds = dense<0.5> : tensor<1x1xf32>} : (tensor<1x8xf32>) -> tensor<1x1x1x1xi64>
  return %p : tensor<1x1x1x1xi64>
}

// -----

func.func @weights(%a: tensor<1x1x2x1xi64>) -> tensor<3x1xi32> {
  // expected-error @+1 {{weights must hold planes x M x words(K) words}}
  %g = qkernel.bitserial_gemm %a {a_bits = 1 : i64, a_encoding = "bipolar", k = 70 : i64, m = 3 : i64, n = 1 : i64, rows = 4 : i64, vectors_per_panel = 2 : i64, w_bits = 1 : i64, w_encoding = "bipolar", weights = dense<0> : tensor<3xi64>} : (tensor<1x1x2x1xi64>) -> tensor<3x1xi32>
  return %g : tensor<3x1xi32>
}

// -----

func.func @epilogue(%a: tensor<1x1x2x1xi64>) -> tensor<1x1x1x1xi64> {
  // expected-error @+1 {{a threshold epilogue needs level_scale, level_bias, out_bits, out_encoding and out_panel_width}}
  %g = qkernel.bitserial_gemm %a {a_bits = 1 : i64, a_encoding = "bipolar", k = 70 : i64, m = 3 : i64, n = 1 : i64, rows = 4 : i64, vectors_per_panel = 2 : i64, w_bits = 1 : i64, w_encoding = "bipolar", weights = dense<0> : tensor<6xi64>, thresholds = dense<0> : tensor<3x1xi32>} : (tensor<1x1x2x1xi64>) -> tensor<1x1x1x1xi64>
  return %g : tensor<1x1x1x1xi64>
}

// -----

func.func @dequantize(%a: tensor<3x1xi32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{scale and bias need 1 or 3 values}}
  %d = qkernel.dequantize %a {scale = dense<0.5> : tensor<2xf32>, bias = dense<0.0> : tensor<1xf32>} : (tensor<3x1xi32>) -> tensor<1x3xf32>
  return %d : tensor<1x3xf32>
}

// -----

func.func @int_conv_weights(%x: tensor<1x2x4x4xui8>) -> tensor<1x3x4x4xui8> {
  // expected-error @+1 {{weights must be 8-bit [M, 2, KH, KW], got 'tensor<3x1x3x3xi8>'}}
  %c = qkernel.int_conv %x {bias = dense<0> : tensor<3xi32>, clamp_max = 255 : i64, clamp_min = 0 : i64, dilations = array<i64: 1, 1>, in_zero_point = 0 : i64, multiplier = dense<1> : tensor<1xi64>, out_zero_point = 0 : i64, pads = array<i64: 1, 1, 1, 1>, shift = dense<1> : tensor<1xi64>, strides = array<i64: 1, 1>, w_zero_point = dense<0> : tensor<1xi32>, weights = dense<1> : tensor<3x1x3x3xi8>, x_zero_point = 0 : i64} : (tensor<1x2x4x4xui8>) -> tensor<1x3x4x4xui8>
  return %c : tensor<1x3x4x4xui8>
}

// -----

func.func @int_matmul_requant(%x: tensor<1x8xui8>) -> tensor<1x3xui8> {
  // expected-error @+1 {{zero points, multipliers and shifts need 1 or 3 values}}
  %c = qkernel.int_conv %x {bias = dense<0> : tensor<3xi32>, clamp_max = 255 : i64, clamp_min = 0 : i64, dilations = array<i64: 1, 1>, in_zero_point = 0 : i64, multiplier = dense<1> : tensor<2xi64>, out_zero_point = 0 : i64, pads = array<i64: 0, 0, 0, 0>, shift = dense<1> : tensor<1xi64>, strides = array<i64: 1, 1>, w_zero_point = dense<0> : tensor<1xi32>, weights = dense<1> : tensor<3x8x1x1xi8>, x_zero_point = 0 : i64} : (tensor<1x8xui8>) -> tensor<1x3xui8>
  return %c : tensor<1x3xui8>
}

// -----

func.func @quantize_width(%x: tensor<1x4xf32>) -> tensor<1x4xi32> {
  // expected-error @+1 {{result must be an 8-bit tensor of the input's shape}}
  %q = qkernel.quantize %x {scale = 1.0 : f32, zero_point = 0 : i64} : (tensor<1x4xf32>) -> tensor<1x4xi32>
  return %q : tensor<1x4xi32>
}
