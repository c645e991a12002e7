//===- PackedIm2Col.h - Channel-interleaved lowering of convolution -------===//
//
// Seed 001 §3.2: with activations packed along channels (packPixels), lowering
// a convolution to GEMM moves whole units of channels: GEMM column n is output
// pixel (oy, ox), and its K bits are the kernel window's pixels in (ky, kx,
// channel) order, each convPositionBits(C) wide, matching packConvWeights.
// The units are 64-bit words, or 32/16/8 bits when that divides C, so that
// the rows carry no padding between kernel positions; fewer channels that no
// unit divides take C-bit fields at any offset (convBitFields). Positions in
// the padding read zeros: exact zero padding for unsigned and two's complement
// activations (bipolar activations would pad with -1).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_PACKEDIM2COL_H
#define QNN_CODEGEN_PACKEDIM2COL_H

#include "qnn/Codegen/BitPacking.h"

#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

namespace qnnc::codegen {

struct ConvShape {
  int64_t h = 1, w = 1,
          c = 1; ///< input image (one batch element), channels innermost
  int64_t kh = 1, kw = 1; ///< kernel
  int64_t strideY = 1, strideX = 1, dilationY = 1, dilationX = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  Operand activations;

  int64_t outH() const {
    return (h + padTop + padBottom - dilationY * (kh - 1) - 1) / strideY + 1;
  }
  int64_t outW() const {
    return (w + padLeft + padRight - dilationX * (kw - 1) - 1) / strideX + 1;
  }
  /// GEMM K in bits (convGemmK) and the real elements among them.
  int64_t gemmK() const { return convGemmK(kh, kw, c); }
  int64_t validK() const { return kh * kw * c; }
};

class PackedIm2Col {
public:
  /// `parallel`: the panels in parallel tasks (the runtime runs them
  /// serially with 1 thread).
  PackedIm2Col(const ConvShape &shape, int64_t panelWidth,
               const Halide::Target &target, bool parallel = false);

  /// Packed pixels (packPixels layout) -> GEMM activation panels
  /// (packColumnPanels layout, K = gemmK(), N = outH * outW).
  std::vector<uint64_t> run(const std::vector<uint64_t> &pixels);
  /// The same into `out`, reused across calls without reallocation.
  void run(const std::vector<uint64_t> &pixels, std::vector<uint64_t> &out);
  /// Ahead-of-time: the requested files for function `name`.
  void compileTo(const KernelOutputs &files, const std::string &name);

private:
  /// Positions of C bits at any offset (convBitFields).
  void buildBitFields();
  void boundPixels();
  /// Panels in 16 tasks of consecutive panels, under each plane.
  void parallelizePanels();
  /// GEMM column panels of the output pixels.
  int64_t panelCount() const;

  ConvShape shape;
  int64_t panelWidth;
  Halide::Target target;
  bool parallel;
  Halide::ImageParam pixels;
  Halide::Func columns{"im2col_packed"};
};

} // namespace qnnc::codegen

#endif
