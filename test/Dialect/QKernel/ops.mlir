// RUN: qnn-opt %s | qnn-opt | FileCheck %s

// Every kernel op round-trips through the generic attribute syntax.
// CHECK-LABEL: func @kernels
// CHECK:       qkernel.threshold_pack
// CHECK:       qkernel.bitserial_gemm
// CHECK:       qkernel.dequantize
// CHECK:       qkernel.argmax
// CHECK:       qkernel.float_gemm
func.func @kernels(%x: tensor<2x70xf32>) -> (tensor<2x1xsi64>, tensor<2x3xf32>) {
  %p = qkernel.threshold_pack %x {level_bias = 0 : i64, level_scale = 1 : i64, out_bits = 2 : i64, out_encoding = "unsigned", panel_width = 16 : i64, thresholds = dense<[[0.25, 0.5, 0.75]]> : tensor<1x3xf32>} : (tensor<2x70xf32>) -> tensor<2x1x2x16xi64>
  %g = qkernel.bitserial_gemm %p {a_bits = 2 : i64, a_encoding = "unsigned", k = 70 : i64, m = 3 : i64, n = 2 : i64, rows = 4 : i64, vectors_per_panel = 2 : i64, w_bits = 1 : i64, w_encoding = "bipolar", weights = dense<0> : tensor<6xi64>} : (tensor<2x1x2x16xi64>) -> tensor<3x2xi32>
  %d = qkernel.dequantize %g {scale = dense<0.5> : tensor<1xf32>, bias = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : (tensor<3x2xi32>) -> tensor<2x3xf32>
  %a = qkernel.argmax %d : (tensor<2x3xf32>) -> tensor<2x1xsi64>
  %f = qkernel.float_gemm %x {weights = dense<1.0> : tensor<70x3xf32>} : (tensor<2x70xf32>) -> tensor<2x3xf32>
  return %a, %f : tensor<2x1xsi64>, tensor<2x3xf32>
}
