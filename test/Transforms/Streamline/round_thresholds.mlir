// RUN: qnn-opt %s --qnn-round-thresholds --verify-diagnostics | FileCheck %s
// RUN: qnn-opt %s --qnn-round-thresholds 2>/dev/null > %t.mlir
// RUN: qnn-equiv %s %t.mlir --exact --min=-20 --max=20 | FileCheck %s --check-prefix=EQUIV
// EQUIV: 2 passed, 0 failed

// x >= 2.5 equals x >= 3 for integers; thresholds beyond the values a 4-bit input can hold
// (-8..7) are clipped to -8 (always) and 8 (never).
// CHECK-LABEL: func @round
// CHECK:       %[[T:.+]] = qnn.constant dense<{{\[}}[-8, 3, 8]]> : tensor<1x3xsi32>
// CHECK:       qnn.multithreshold %arg0, %[[T]]
func.func @round(%x: tensor<1x4xsi4>) -> tensor<1x4xui2> {
  %t = qnn.constant dense<[[-100.0, 2.5, 1000.0]]> : tensor<1x3xf32>
  %l = qnn.multithreshold %x, %t {out_dtype = "UINT2", out_type = ui2} : (tensor<1x4xsi4>, tensor<1x3xf32>) -> tensor<1x4xui2>
  return %l : tensor<1x4xui2>
}

// CHECK-LABEL: func @dynamic
func.func @dynamic(%x: tensor<1x4xsi4>, %t: tensor<1x3xf32>) -> tensor<1x4xui2> {
  // expected-warning @+1 {{thresholds are not constant; not rounded}}
  %l = qnn.multithreshold %x, %t {out_dtype = "UINT2", out_type = ui2} : (tensor<1x4xsi4>, tensor<1x3xf32>) -> tensor<1x4xui2>
  return %l : tensor<1x4xui2>
}
