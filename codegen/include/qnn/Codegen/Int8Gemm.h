//===- Int8Gemm.h - 8-bit integer GEMM as a Halide pipeline ---------------===//
//
// The wide path for first/last layers and 8-bit QDQ models: C (si32) = W (si8,
// M x K) x A (ui8, K x N) with zero points folded out of the products (C = W·A
// - a_zp·rowsum(W)), so the inner loop is a widening multiply-accumulate.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_INT8GEMM_H
#define QNN_CODEGEN_INT8GEMM_H

#include "Halide.h"

#include <cstdint>
#include <vector>

namespace qnnc::codegen {

struct Int8GemmShape {
  int64_t m = 1, k = 1, n = 1;
  int32_t activationZeroPoint = 0; ///< subtracted from every activation
};

class Int8Gemm {
public:
  Int8Gemm(const Int8GemmShape &shape, int rows, const Halide::Target &target);

  /// weights M x K (row-major), activations K x N (row-major) -> C row-major M
  /// x N.
  std::vector<int32_t> run(const std::vector<int8_t> &weights,
                           const std::vector<uint8_t> &activations);

private:
  Int8GemmShape shape;
  Halide::Target target;
  Halide::ImageParam weights{Halide::Int(8), 2, "weights"};
  Halide::ImageParam activations{Halide::UInt(8), 2, "activations"};
  Halide::Func output{"int8_gemm"};
};

} // namespace qnnc::codegen

#endif
