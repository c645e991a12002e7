// RUN: qnn-opt %s --qkernel-plan-memory | FileCheck %s

// Three packed buffers of 1x1x13x1 i64 (104 bytes, 128 with alignment) in a
// chain: %0 dies when %1 has read it, but %1 may not overwrite its own input,
// so %1 goes after %0; %2 reuses %0's space. The result is the caller's output
// and gets no offset.
// CHECK-LABEL: func @chain
// CHECK-SAME:  qkernel.arena_bytes = 256
// CHECK:       qkernel.threshold_pack {{.*}}qkernel.offset = 0 : i64
// CHECK:       qkernel.bitserial_gemm {{.*}}qkernel.offset = 128 : i64
// CHECK:       qkernel.bitserial_gemm {{.*}}qkernel.offset = 0 : i64
// CHECK:       qkernel.bitserial_gemm
// CHECK-NOT:   qkernel.offset
// CHECK:       return
func.func @chain(%x: tensor<1x784xf32>) -> tensor<10x1xi32> {
  %0 = qkernel.threshold_pack %x {level_bias = -1 : i64, level_scale = 2 : i64, out_bits = 1 : i64, out_encoding = "bipolar", panel_width = 1 : i64, thresholds = dense<0.5> : tensor<784x1xf32>} : (tensor<1x784xf32>) -> tensor<1x1x13x1xi64>
  %1 = qkernel.bitserial_gemm %0 {a_bits = 1 : i64, a_encoding = "bipolar", k = 784 : i64, m = 784 : i64, n = 1 : i64, rows = 4 : i64, vectors_per_panel = 2 : i64, w_bits = 1 : i64, w_encoding = "bipolar", weights = dense<0> : tensor<10192xi64>, thresholds = dense<0> : tensor<784x1xi32>, level_scale = 2 : i64, level_bias = -1 : i64, out_bits = 1 : i64, out_encoding = "bipolar", out_panel_width = 1 : i64} : (tensor<1x1x13x1xi64>) -> tensor<1x1x13x1xi64>
  %2 = qkernel.bitserial_gemm %1 {a_bits = 1 : i64, a_encoding = "bipolar", k = 784 : i64, m = 784 : i64, n = 1 : i64, rows = 4 : i64, vectors_per_panel = 2 : i64, w_bits = 1 : i64, w_encoding = "bipolar", weights = dense<0> : tensor<10192xi64>, thresholds = dense<0> : tensor<784x1xi32>, level_scale = 2 : i64, level_bias = -1 : i64, out_bits = 1 : i64, out_encoding = "bipolar", out_panel_width = 1 : i64} : (tensor<1x1x13x1xi64>) -> tensor<1x1x13x1xi64>
  %3 = qkernel.bitserial_gemm %2 {a_bits = 1 : i64, a_encoding = "bipolar", k = 784 : i64, m = 10 : i64, n = 1 : i64, rows = 4 : i64, vectors_per_panel = 2 : i64, w_bits = 1 : i64, w_encoding = "bipolar", weights = dense<0> : tensor<130xi64>} : (tensor<1x1x13x1xi64>) -> tensor<10x1xi32>
  return %3 : tensor<10x1xi32>
}
