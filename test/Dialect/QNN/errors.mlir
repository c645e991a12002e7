// Every qnn op refuses malformed IR with a message that says what is wrong.
// RUN: qnn-opt %s --split-input-file --verify-diagnostics

func.func @quant(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'qnn.quant' op bitwidth must be in [1, 32], got 0}}
  %0 = qnn.quant %x, %s, %s {bitwidth = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

func.func @quant_rounding(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{unknown rounding_mode 'UP'}}
  %0 = qnn.quant %x, %s, %s {bitwidth = 4 : i64, rounding_mode = "UP"} : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

func.func @quant_scale(%x: tensor<2x4xf32>, %s: tensor<3xf32>, %z: tensor<f32>) {
  // expected-error @+2 {{scale of shape [3] does not broadcast to the input shape [2,4]}}
  // expected-error @+1 {{'qnn.quant' op failed to infer returned types}}
  %0 = qnn.quant %x, %s, %z {bitwidth = 4 : i64} : (tensor<2x4xf32>, tensor<3xf32>, tensor<f32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @bipolar_quant(%x: tensor<2x4xf32>, %s: tensor<2x4x1xf32>) {
  // expected-error @+2 {{scale of shape [2,4,1] does not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.bipolar_quant %x, %s : (tensor<2x4xf32>, tensor<2x4x1xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @trunc(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{expects 1 <= out_bitwidth <= in_bitwidth <= 32}}
  %0 = qnn.trunc %x, %s, %s {in_bitwidth = 4 : i64, out_bitwidth = 8 : i64} : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

func.func @multithreshold(%x: tensor<1x4xf32>, %t: tensor<3x3xf32>) {
  // expected-error @+1 {{thresholds have 3 rows but the input has 4 channels}}
  %0 = qnn.multithreshold %x, %t {out_dtype = "UINT2"} : (tensor<1x4xf32>, tensor<3x3xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @multithreshold_layout(%x: tensor<1x4xf32>, %t: tensor<1x3xf32>) {
  // expected-error @+1 {{data_layout must be NCHW or NHWC}}
  %0 = qnn.multithreshold %x, %t {out_dtype = "UINT2", data_layout = "NWHC"} : (tensor<1x4xf32>, tensor<1x3xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @quantize_linear(%x: tensor<1x3xf32>, %s: tensor<4xf32>, %z: tensor<4xui8>) {
  // expected-error @+2 {{per-axis scale has 4 elements but axis 1 has 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.quantize_linear %x, %s, %z {axis = 1 : i64} : (tensor<1x3xf32>, tensor<4xf32>, tensor<4xui8>) -> tensor<1x3xui8>
  return
}

// -----

func.func @dequantize_linear(%x: tensor<1x3xui8>, %s: tensor<f32>, %z: tensor<si8>) {
  // expected-error @+1 {{input and zero_point element types differ}}
  %0 = qnn.dequantize_linear %x, %s, %z : (tensor<1x3xui8>, tensor<f32>, tensor<si8>) -> tensor<1x3xf32>
  return
}

// -----

func.func @matmul_integer(%a: tensor<2x8xui8>, %b: tensor<7x3xsi8>, %z: tensor<ui8>, %w: tensor<si8>) {
  // expected-error @+2 {{matmul operand shapes [2,8] and [7,3] are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.matmul_integer %a, %b, %z, %w : (tensor<2x8xui8>, tensor<7x3xsi8>, tensor<ui8>, tensor<si8>) -> tensor<2x3xsi32>
  return
}

// -----

func.func @conv_integer(%x: tensor<1x2x5x5xui8>, %w: tensor<4x3x3x3xsi8>, %z: tensor<ui8>, %v: tensor<si8>) {
  // expected-error @+2 {{weight has 3 input channels per group, input has 2 channels in 1 group(s)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.conv_integer %x, %w, %z, %v {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xui8>, tensor<4x3x3x3xsi8>, tensor<ui8>, tensor<si8>) -> tensor<1x4x3x3xsi32>
  return
}

// -----

func.func @qlinear_matmul(%a: tensor<2x8xui8>, %b: tensor<8x3xsi8>, %s: tensor<f32>, %z: tensor<ui8>, %w: tensor<si8>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xui8>' are incompatible with return type(s) of operation 'tensor<2x3xsi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.qlinear_matmul %a, %s, %z, %b, %s, %w, %s, %z : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>, tensor<8x3xsi8>, tensor<f32>, tensor<si8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xsi8>
  return
}

// -----

func.func @qlinear_conv(%x: tensor<1x2x5x5xui8>, %w: tensor<4x2x7x7xsi8>, %s: tensor<f32>, %z: tensor<ui8>, %v: tensor<si8>) {
  // expected-error @+2 {{conv kernel does not fit the padded input in spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.qlinear_conv %x, %s, %z, %w, %s, %v, %s, %z {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x7x7xsi8>, tensor<f32>, tensor<si8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x1x1xui8>
  return
}

// -----

func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @+2 {{group 3 must divide input channels 4 and output channels 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.conv %x, %w {dilations = array<i64: 1, 1>, group = 3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_pads(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{conv expects 4 pads, 2 strides and 2 dilations}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<5x5xf32>) {
  // expected-error @+2 {{matmul operand shapes [3,4] and [5,5] are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.matmul %a, %b : (tensor<3x4xf32>, tensor<5x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @gemm(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>) {
  // expected-error @+2 {{gemm inner dimensions differ: 4 vs 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.gemm %a, %b : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @batchnorm(%x: tensor<1x4x2x2xf32>, %p: tensor<3xf32>) {
  // expected-error @+2 {{batchnorm parameters must be 1-D with 4 channels, got [3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.batchnorm %x, %p, %p, %p, %p : (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @add(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{shapes [2,3] and [4] do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @sub(%a: tensor<2x3xf32>, %b: tensor<3xsi64>) {
  // expected-error @+2 {{operand element types differ: f32 vs si64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.sub %a, %b : (tensor<2x3xf32>, tensor<3xsi64>) -> tensor<2x3xf32>
  return
}

// -----

func.func @mul(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @div(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{shapes [2,3] and [2] do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.div %a, %b : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @relu(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xf32>' are incompatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.relu %x : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @sign(%x: tensor<2x?xf32>) {
  // expected-error @+2 {{operands must be tensors with static shapes}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.sign %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  return
}

// -----

func.func @clip(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qnn.clip' op min 1.000000e+00 is greater than max -1.000000e+00}}
  %0 = qnn.clip %x {min = 1.0 : f64, max = -1.0 : f64} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @max_pool(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{pooling pads must be smaller than the kernel}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.max_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x5x3xf32>
  return
}

// -----

func.func @average_pool(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{pooling expects 2 kernel sizes and strides and 4 pads}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.average_pool %x {kernel_shape = array<i64: 2>, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return
}

// -----

func.func @global_average_pool(%x: tensor<1x4xf32>) {
  // expected-error @+2 {{global_average_pool expects an input of rank >= 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.global_average_pool %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @reshape(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{cannot reshape [2,3] to [4,2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.reshape %x {shape = array<i64: 4, 2>} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @flatten(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{flatten axis 3 is out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return
}

// -----

func.func @transpose(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{transpose perm is not a permutation}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @squeeze(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{squeeze axis 0 is out of range or not of size 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.squeeze %x {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @unsqueeze(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{unsqueeze axis 5 is out of range or repeated}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.unsqueeze %x {axes = array<i64: 5>} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

func.func @concat(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+2 {{concat inputs differ in dimension 0: [2,3] vs [3,3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @softmax(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{softmax axis 2 is out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @argmax(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{argmax axis -3 is out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = qnn.argmax %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x1xsi64>
  return
}

// -----

func.func @topk(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{topk k = 4 must be in [1, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = qnn.topk %x {k = 4 : i64} : (tensor<2x3xf32>) -> (tensor<2x4xf32>, tensor<2x4xsi64>)
  return
}

// -----

func.func @constant() {
  // expected-error @+1 {{'qnn.constant' op value type 'tensor<2xf32>' differs from result type 'tensor<3xf32>'}}
  %0 = "qnn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return
}

// -----

func.func @requantize(%x: tensor<1x4xsi32>) -> tensor<1x4xui8> {
  // expected-error @+1 {{'qnn.requantize' op has 3 multipliers but axis 1 does not have that many channels}}
  %0 = qnn.requantize %x {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1, 2, 3>, shift = array<i64: 31, 31, 31>, out_type = ui8} : (tensor<1x4xsi32>) -> tensor<1x4xui8>
  return %0 : tensor<1x4xui8>
}

// -----

func.func @bad_dtype() -> tensor<2xsi2> {
  // expected-error @+1 {{'qnn.constant' op value 0 is not in dtype BIPOLAR}}
  %0 = qnn.constant {dtype = "BIPOLAR"} dense<[1, 0]> : tensor<2xsi2>
  return %0 : tensor<2xsi2>
}

// -----

func.func @cast(%x: tensor<2xf32>) -> tensor<3xsi8> {
  // expected-error @+1 {{'qnn.cast' op cast must keep the shape}}
  %0 = qnn.cast %x : tensor<2xf32> -> tensor<3xsi8>
  return %0 : tensor<3xsi8>
}
