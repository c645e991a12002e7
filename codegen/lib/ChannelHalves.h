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

namespace qnnc::codegen {

class ChannelHalves {
public:
  explicit ChannelHalves(int channels)
      : channels(channels), count((channels + 31) / 32) {}

  /// Channels one half visits: 32, or all of them when there are fewer.
  int extent() const { return std::min(32, channels); }
  /// Halves per word: the upper one only with more than 32 channels.
  int perWord() const { return channels > 32 ? 2 : 1; }

  /// First channel half `hi` (0 or 1) of word `word` reads.
  Halide::Expr base(Halide::Expr hi, Halide::Expr word) const {
    Halide::Expr q = clampedHalf(hi, word);
    return channels >= 32 ? Halide::min(q * 32, channels - 32) : q * 32;
  }

  /// Word `word` from its halves, `half(hi)` being the 32 bits read from
  /// base(hi, word) on.
  Halide::Expr word(Halide::Expr word,
                    const std::function<Halide::Expr(int)> &half) const {
    auto trueHalf = [&](int hi) {
      Halide::Expr w = Halide::cast<uint64_t>(half(hi));
      if (channels % 32)
        w = w >>
            Halide::cast<uint64_t>(clampedHalf(hi, word) * 32 - base(hi, word));
      return Halide::select(2 * word + hi < count, w,
                            Halide::cast<uint64_t>(0));
    };
    return perWord() == 2 ? trueHalf(0) | (trueHalf(1) << 32) : trueHalf(0);
  }

private:
  Halide::Expr clampedHalf(Halide::Expr hi, Halide::Expr word) const {
    return Halide::min(2 * word + hi, count - 1);
  }

  int channels, count;
};

} // namespace qnnc::codegen

#endif
