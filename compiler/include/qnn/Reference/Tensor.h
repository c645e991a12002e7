//===- Tensor.h - Plain value tensors for the reference evaluator ---------===//
//
// The reference evaluator favours obviously-correct over fast: every element is
// held as a double and rounded to the tensor's element type after each op.
// Doubles represent every value of the integer types qnnc uses exactly (|x| <
// 2^53), and computing one f32 add, mul or div in double and rounding once
// gives the correctly rounded f32 result, so elementwise f32 ops match IEEE
// single precision exactly.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_TENSOR_H
#define QNN_REFERENCE_TENSOR_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
class Type;
class MLIRContext;
} // namespace mlir

namespace qnnc::ref {

enum class DType { F32, F64, Bool, I8, U8, I16, U16, I32, U32, I64 };

bool isFloat(DType t);
const char *dtypeName(DType t);
/// Rounds (floats) or wraps (integers, two's complement as C casts do) `v` into
/// `t`.
double castTo(DType t, double v);
/// Smallest and largest value of an integer type.
double minValue(DType t);
double maxValue(DType t);

DType dtypeFromMlir(mlir::Type t);
mlir::Type dtypeToMlir(mlir::MLIRContext *ctx, DType t);

struct Tensor {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<double> data;

  Tensor() = default;
  Tensor(DType dtype, std::vector<int64_t> shape);
  Tensor(DType dtype, std::vector<int64_t> shape, std::vector<double> data);

  int64_t numel() const { return static_cast<int64_t>(data.size()); }
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Row-major strides in elements.
  std::vector<int64_t> strides() const;
  std::string describe() const;
};

int64_t product(const std::vector<int64_t> &shape);

/// Bits per element (1 for bool).
int bitWidth(DType t);

/// Steps a row-major multi-index through `shape` (last dimension fastest).
inline void advance(std::vector<int64_t> &index,
                    const std::vector<int64_t> &shape) {
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (++index[d] < shape[d])
      return;
    index[d] = 0;
  }
}

} // namespace qnnc::ref

#endif
