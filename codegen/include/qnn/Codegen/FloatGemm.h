//===- FloatGemm.h - f32 GEMM with f64 accumulation -----------------------===//

#ifndef QNN_CODEGEN_FLOATGEMM_H
#define QNN_CODEGEN_FLOATGEMM_H

#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

namespace qnnc::codegen {

/// out[n, m] = f32(sum_k f64(in[n, k]) * f64(w[k, m])), summed in k order:
/// the reference evaluator's arithmetic, so results are bit-identical to it.
class FloatGemm {
public:
  FloatGemm(int64_t n, int64_t k, int64_t m, const Halide::Target &target);
  std::vector<float> run(const std::vector<float> &in,
                         const std::vector<float> &weights);
  /// Ahead-of-time: the requested files for function `name`.
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  int64_t n, k, m;
  Halide::Target target;
  Halide::ImageParam input{Halide::Float(32), 2, "input"};
  Halide::ImageParam weights{Halide::Float(32), 2, "weights"};
  Halide::Func output{"float_gemm"};
};

} // namespace qnnc::codegen

#endif
