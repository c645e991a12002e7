//===- ActivationPacker.h - Bit-plane packing of activations in Halide ----===//

#ifndef QNN_CODEGEN_ACTIVATIONPACKER_H
#define QNN_CODEGEN_ACTIVATIONPACKER_H

#include "qnn/Codegen/BitPacking.h"

#include "Halide.h"

namespace qnnc::codegen {

/// Packs a K x N activation matrix of small integers (int8 storage, row-major)
/// into the column-panel bit-plane layout of packColumnPanels, vectorized
/// across the panel's columns: each 64-bit word gathers 64 consecutive rows of
/// one column.
class ActivationPacker {
public:
  ActivationPacker(int64_t k, int64_t n, int64_t panelWidth, const Operand &op,
                   const Halide::Target &target);

  std::vector<uint64_t> run(const std::vector<int8_t> &values);
  /// The same into `out`, reused across calls without reallocation.
  void run(const std::vector<int8_t> &values, std::vector<uint64_t> &out);
  void compileToAssembly(const std::string &path, const std::string &name);

private:
  int64_t k, n, panelWidth;
  Operand op;
  Halide::Target target;
  Halide::ImageParam input{Halide::Int(8), 2, "activations"};
  Halide::Func packed{"pack"};
};

} // namespace qnnc::codegen

#endif
