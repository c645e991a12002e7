// RUN: qnn-opt %s --qnn-move-affine --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-move-affine 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir | FileCheck %s --check-prefix=EQUIV
// EQUIV: 5 passed, 0 failed

// A scalar scale of the activations and a per-column scale of the weights move below the
// matmul.
// CHECK-LABEL: func @past_matmul
// CHECK:       %[[M:.+]] = qnn.matmul %arg0, %arg1 : (tensor<2x3xf32>, tensor<3x4xf32>)
// CHECK:       %[[A:.+]] = qnn.mul %[[M]], %{{.+}} : (tensor<2x4xf32>, tensor<4xf32>)
// CHECK:       qnn.mul %[[A]], %{{.+}} : (tensor<2x4xf32>, tensor<f32>)
func.func @past_matmul(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %s = qnn.constant dense<0.5> : tensor<f32>
  %c = qnn.constant dense<[[1.0, 2.0, -1.0, 0.25]]> : tensor<1x4xf32>
  %0 = qnn.mul %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = qnn.mul %w, %c : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %2 = qnn.matmul %0, %1 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}

// An add before a constant matmul becomes an add of b W after it.
// CHECK-LABEL: func @add_past_matmul
// CHECK:       %[[M:.+]] = qnn.matmul %arg0
// CHECK:       qnn.add %[[M]], %{{.+}} : (tensor<1x2xf32>, tensor<2xf32>)
func.func @add_past_matmul(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %b = qnn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %w = qnn.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %0 = qnn.add %x, %b : (tensor<1x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %1 = qnn.matmul %0, %w : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}

// Positive per-channel scales commute with max pooling (exact: rounding is monotone).
// CHECK-LABEL: func @past_maxpool
// CHECK:       %[[P:.+]] = qnn.max_pool %arg0
// CHECK:       qnn.mul %[[P]]
func.func @past_maxpool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %s = qnn.constant dense<[[[2.0]], [[0.5]]]> : tensor<2x1x1xf32>
  %0 = qnn.mul %x, %s : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = qnn.max_pool %0 {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// A negative scale does not commute with max (max(-x) = -min(x)): it stays in front.
// CHECK-LABEL: func @negative_before_maxpool
// CHECK:       %[[M:.+]] = qnn.mul %arg0
// CHECK:       qnn.max_pool %[[M]]
func.func @negative_before_maxpool(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32> {
  %s = qnn.constant dense<-1.0> : tensor<f32>
  %0 = qnn.mul %x, %s : (tensor<1x1x2x2xf32>, tensor<f32>) -> tensor<1x1x2x2xf32>
  %1 = qnn.max_pool %0 {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  return %1 : tensor<1x1x1x1xf32>
}

// Per-channel ops commute with squeeze/unsqueeze of axes >= 2; scalar ones with reshapes.
// CHECK-LABEL: func @past_layout
// CHECK:       %[[U:.+]] = qnn.squeeze %arg0
// CHECK:       %[[B:.+]] = qnn.batchnorm %[[U]]
// CHECK:       %[[R:.+]] = qnn.reshape %[[B]]
// CHECK:       qnn.add %[[R]]
func.func @past_layout(%x: tensor<1x2x1xf32>) -> tensor<2xf32> {
  %p = qnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = qnn.batchnorm %x, %p, %p, %p, %p : (tensor<1x2x1xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1xf32>
  %1 = qnn.squeeze %0 {axes = array<i64: 2>} : (tensor<1x2x1xf32>) -> tensor<1x2xf32>
  %c = qnn.constant dense<3.0> : tensor<f32>
  %2 = qnn.add %1, %c : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %3 = qnn.reshape %2 {shape = array<i64: 2>} : (tensor<1x2xf32>) -> tensor<2xf32>
  return %3 : tensor<2xf32>
}
