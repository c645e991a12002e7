//===- PackedMaxPool.h - Max pooling on bit-packed activations ------------===//
//
// For one-bit activations (unsigned {0, 1} or bipolar {-1, +1} encoded as v >
// 0), the maximum of a window is the bitwise OR of its packed channel words.
// Wider unsigned activations take a bit-sliced maximum: comparing planes from
// the most significant down with AND/OR/XOR on whole words. Either way pooling
// runs on 64 channels per instruction without unpacking. Padding reads zero
// words, the minimum of these encodings, so it never wins. Two's complement
// activations are refused (their top plane orders the other way).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_PACKEDMAXPOOL_H
#define QNN_CODEGEN_PACKEDMAXPOOL_H

#include "qnn/Codegen/BitPacking.h"

#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

namespace qnnc::codegen {

struct PoolShape {
  int64_t h = 1, w = 1, c = 1;
  int64_t kh = 2, kw = 2, strideY = 2, strideX = 2;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int64_t outH() const { return (h + padTop + padBottom - kh) / strideY + 1; }
  int64_t outW() const { return (w + padLeft + padRight - kw) / strideX + 1; }
};

class PackedMaxPool {
public:
  /// Throws std::invalid_argument for two's complement operands.
  PackedMaxPool(const PoolShape &shape, const Operand &op,
                const Halide::Target &target);

  /// Packed pixels (packPixels layout) in, packed pooled pixels out.
  std::vector<uint64_t> run(const std::vector<uint64_t> &pixels);
  /// Ahead-of-time: the requested files for function `name`.
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  PoolShape shape;
  Halide::Target target;
  int planes = 1;
  Halide::ImageParam pixels{Halide::UInt(64), 4, "pixels"};
  Halide::Func pooled{"max_pool_packed"};
};

} // namespace qnnc::codegen

#endif
