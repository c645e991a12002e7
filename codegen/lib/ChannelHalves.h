//===- ChannelHalves.h - Packed channel words from two 32-bit halves ------===//
//
// Thresholding a tensor into packed words of 64 channels: each word is built
// as two 32-bit halves, so the per-channel bit arithmetic runs in 32-bit
// lanes (twice as many per vector as 64-bit ones, with no widening of each
// channel's code). Every half reads 32 channels in range from one base, so a
// channel's address is the base plus a constant (clamping each channel index
// made LLVM compute and spill an address per channel and vector): halves past
// the last read the last one and are dropped, and a last half with fewer than
// 32 channels reads the 32 ending at the channel count and shifts out the
// previous half's bits.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_CHANNELHALVES_H
#define QNN_CODEGEN_CHANNELHALVES_H

#include "Halide.h"

#include <algorithm>
#include <functional>
#include <tuple>

namespace qnnc::codegen {

class ChannelHalves {
public:
  explicit ChannelHalves(int channels)
      : channels(channels), count((channels + 31) / 32),
        bits(0, std::min(32, channels), "hb") {}

  /// Defines the halves of each pixel's words and returns word `word` of
  /// plane `plane`: bit b of a half is bit `plane` of code(channel, pixel)
  /// (a 32-bit code) for the half's channel base + b.
  Halide::Expr
  define(Halide::Var pixel, Halide::Var word, Halide::Var plane,
         const std::function<Halide::Expr(Halide::Expr, Halide::Expr)> &code) {
    vars = {pixel, word, plane};
    half(pixel, hi, word, plane) = Halide::cast<uint32_t>(0);
    half(pixel, hi, word, plane) +=
        ((code(base(hi, word) + bits, pixel) >> Halide::cast<uint32_t>(plane)) &
         1)
        << Halide::cast<uint32_t>(bits);
    auto trueHalf = [&](int h) {
      Halide::Expr w = Halide::cast<uint64_t>(half(pixel, h, word, plane));
      if (channels % 32)
        w = w >>
            Halide::cast<uint64_t>(clampedHalf(h, word) * 32 - base(h, word));
      return Halide::select(2 * word + h < count, w, Halide::cast<uint64_t>(0));
    };
    return channels > 32 ? trueHalf(0) | (trueHalf(1) << 32) : trueHalf(0);
  }

  /// The halves computed at `at` in vectors of `vector` pixels, planes and
  /// halves unrolled, the channel loop unrolled by `bitUnroll`; with
  /// `pixels` > 0 they cover exactly that many pixels, whose vectors are
  /// unrolled too.
  void schedule(Halide::LoopLevel at, int vector, int bitUnroll,
                int pixels = 0) {
    const auto &[pixel, word, plane] = vars;
    half.bound(hi, 0, channels > 32 ? 2 : 1).compute_at(at);
    if (pixels)
      half.bound_extent(pixel, pixels);
    half.vectorize(pixel, vector).unroll(hi).unroll(plane);
    Halide::Var px("px"), pv("pv");
    half.update()
        .split(pixel, px, pv, vector)
        .reorder(plane, pv, px, bits, hi, word)
        .vectorize(pv)
        .unroll(plane);
    if (pixels)
      half.update().unroll(px);
    half.update().unroll(bits, bitUnroll);
  }

private:
  /// First channel half `h` (0 or 1) of word `word` reads.
  Halide::Expr base(Halide::Expr h, Halide::Expr word) const {
    Halide::Expr q = clampedHalf(h, word);
    return channels >= 32 ? Halide::min(q * 32, channels - 32) : q * 32;
  }
  Halide::Expr clampedHalf(Halide::Expr h, Halide::Expr word) const {
    return Halide::min(2 * word + h, count - 1);
  }

  int channels, count;
  Halide::Func half{"half"};
  Halide::Var hi{"hi"};
  Halide::RDom bits;
  std::tuple<Halide::Var, Halide::Var, Halide::Var> vars;
};

} // namespace qnnc::codegen

#endif
