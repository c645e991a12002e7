//===- OutputHeads.h - Dequantize and arg-max kernels ---------------------===//

#ifndef QNN_CODEGEN_OUTPUTHEADS_H
#define QNN_CODEGEN_OUTPUTHEADS_H

#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

namespace qnnc::codegen {

/// out[n, c] = f32(x) * scale[c] + bias[c], each step rounded to f32 (no
/// fused multiply-add: qnn.mul then qnn.add round twice); scale and bias hold
/// one value per channel or one shared value. x is acc[c, n] (a GEMM result,
/// channels major, int32) or, with `rowMajor`, x[n, c] of any integer `type`
/// (the output of an 8-bit layer).
class Dequantize {
public:
  Dequantize(int64_t channels, int64_t n, int64_t scales, int64_t biases,
             const Halide::Target &target, bool rowMajor = false,
             Halide::Type type = Halide::Int(32));
  /// Ahead-of-time: the requested files for function `name`.
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  Halide::Target target;
  Halide::ImageParam input;
  Halide::ImageParam scale{Halide::Float(32), 1, "scale"};
  Halide::ImageParam bias{Halide::Float(32), 1, "bias"};
  Halide::Func output{"dequantize"};
};

/// out[n] = the lowest c with x[n, c] maximal (ONNX TopK k = 1 order).
class ArgMax {
public:
  ArgMax(int64_t channels, int64_t n, const Halide::Target &target);
  std::vector<int64_t> run(const std::vector<float> &x);
  /// Ahead-of-time: the requested files for function `name`.
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  int64_t channels, n;
  Halide::Target target;
  Halide::ImageParam input{Halide::Float(32), 2, "input"};
  Halide::Func output{"argmax"};
};

} // namespace qnnc::codegen

#endif
