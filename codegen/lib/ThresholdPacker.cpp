#include "qnn/Codegen/ThresholdPacker.h"
#include "ChannelHalves.h"
#include "Realize.h"

using namespace Halide;

namespace qnnc::codegen {

ThresholdPacker::ThresholdPacker(const ThresholdPackShape &s,
                                 const Target &target)
    : shape(s), target(target),
      input(s.floatInput ? Float(32) : Int(32), 2, "input"),
      thresholds(s.floatInput ? Float(32) : Int(32), 2, "thresholds") {
  // ---- Algorithm ----
  Var c("c"), col("col"), lane("lane"), kw("kw"), pnl("panel"), plane("plane");
  Expr x = s.channelMajor ? input(col, c) : input(c, col);
  Expr count = 0;
  for (int t = 0; t < s.steps; ++t)
    count += select(x >= thresholds(t, c), 1, 0);
  Func code("code"), code32("code32");
  Expr level = int32_t(s.levelBias) + int32_t(s.levelScale) * count;
  Expr levelCode = s.out.encoding == Encoding::Bipolar
                       ? cast<uint8_t>(level > 0)
                       : cast<uint8_t>(level);
  code(c, col) = cast<uint64_t>(levelCode);
  code32(c, col) = cast<uint32_t>(levelCode);
  // Channels past K and columns past N pack as zero bits (they add nothing to
  // the next GEMM's popcounts).
  // With fewer than 64 channels the bits past them stay zero: no need to visit.
  RDom bit(0, int(std::min<int64_t>(64, s.k)), "bit");
  Expr channel = kw * 64 + bit, column = pnl * int(s.panelWidth) + lane;
  Expr inside = channel < int(s.k) && column < int(s.n);
  // An NCHW image packs one pixel per word (panel width 1): the pixel index
  // stays in range and needs no clamp, which as a vector index would be a
  // gather.
  Expr readColumn = s.channelMajor && s.panelWidth == 1
                        ? column
                        : clamp(column, 0, int(s.n) - 1);
  Expr codeBit = select(inside,
                        (code(clamp(channel, 0, int(s.k) - 1), readColumn) >>
                         cast<uint64_t>(plane)) &
                            1,
                        cast<uint64_t>(0));
  // Each word is reduced in a temporary and stored once: updating the output
  // in place would read-modify-write memory for every bit.
  Func word("word");
  word(lane, kw, pnl, plane) = cast<uint64_t>(0);
  word(lane, kw, pnl, plane) += codeBit << cast<uint64_t>(bit);

  // An NCHW image with a vector of pixels or more: vectors of pixels (one
  // packed word each) load one channel at a time, 64 channels per word, built
  // from two 32-bit halves (ChannelHalves.h).
  const int vector32 = std::max(1, target.natural_vector_size<uint32_t>());
  const bool halves = s.channelMajor && s.panelWidth == 1 && s.n >= vector32;
  ChannelHalves split(int(s.k));
  if (halves) {
    packed(lane, kw, pnl, plane) = split.define(
        pnl, kw, plane, [&](Expr ch, Expr px) { return code32(ch, px); });
  } else {
    packed(lane, kw, pnl, plane) = word(lane, kw, pnl, plane);
  }

  // ---- Schedule ----
  // One output word at a time: its 64 channel comparisons are independent, so
  // the bit loop is unrolled and the thresholds of consecutive channels stream.
  packed.bound(lane, 0, int(s.panelWidth)).bound(plane, 0, s.out.planes());
  const int vector = std::max(1, target.natural_vector_size<uint64_t>());
  if (halves) {
    // Blocks of up to 16 vectors of pixels: each channel's pixels of a block
    // are one contiguous run of cache lines, which the hardware prefetcher
    // follows (one vector per channel at a time touched 64-96 scattered
    // lines per word: AlexNet conv1's 1.2 MB of int32 took 110-120 us, now
    // 55-60 on Zen 5). The last block and vector overlap the previous ones
    // (ShiftInwards) so every one is full; the planes innermost (unrolled)
    // threshold each value once for all its planes.
    // In parallel, blocks of about an eighth of the image (as tasks), so two
    // threads get nearly equal shares: 729 pixels would be 3 blocks of 256.
    // Overlapping blocks write the same words with the same bits.
    int64_t cap = 16 * vector32;
    if (s.parallel)
      cap = std::min(cap, std::max<int64_t>(vector32, (s.n / 8 + vector32 - 1) /
                                                          vector32 * vector32));
    const int block = int(std::min<int64_t>(cap, s.n / vector32 * vector32));
    Var pb("pb"), po("po"), pi("pi");
    packed.bound(pnl, 0, int(s.n))
        .split(pnl, pb, pi, block, TailStrategy::ShiftInwards)
        .split(pi, po, pi, vector32, TailStrategy::ShiftInwards)
        .reorder(pi, lane, plane, po, kw, pb)
        .vectorize(pi);
    if (s.parallel && s.n > block)
      packed.parallel(pb);
    split.schedule(LoopLevel(packed, kw), vector32, 4);
  } else if (s.channelMajor && s.n >= vector) {
    // An NCHW image: a channel's pixels are contiguous, so vectors of pixels
    // (one packed word each) load one channel at a time, 64 channels per word.
    // The last vector overlaps the previous one (ShiftInwards) so every vector
    // is full.
    Var po("po"), pi("pi");
    packed.bound(pnl, 0, int(s.n))
        .split(pnl, po, pi, vector, TailStrategy::ShiftInwards)
        .reorder(pi, lane, plane, kw, po)
        .vectorize(pi);
    // The planes innermost (unrolled): each value is thresholded once for all
    // its planes.
    word.compute_at(packed, kw).vectorize(pnl).unroll(plane);
    word.update()
        .reorder(plane, pnl, bit, lane, kw)
        .vectorize(pnl)
        .unroll(plane)
        .unroll(bit, 8);
  } else {
    // One word per output element: a constant-size temporary on the stack.
    word.compute_at(packed, lane);
    word.update().unroll(bit, 8);
  }
  // Dense operands: constant strides fold the addresses.
  if (s.channelMajor)
    input.dim(0).set_bounds(0, int(s.n)).dim(1).set_bounds(0, int(s.k));
  else
    input.dim(0).set_bounds(0, int(s.k)).dim(1).set_bounds(0, int(s.n));
  input.dim(1).set_stride(int(s.channelMajor ? s.n : s.k));
  thresholds.dim(0).set_bounds(0, s.steps).dim(1).set_bounds(0, int(s.k));
  thresholds.dim(1).set_stride(s.steps);
}

template <typename T>
std::vector<uint64_t> ThresholdPacker::runOn(const std::vector<T> &in,
                                             const std::vector<T> &t) {
  int k = int(shape.k), n = int(shape.n);
  Buffer<T> x = shape.channelMajor
                    ? Buffer<T>(const_cast<T *>(in.data()), n, k)
                    : Buffer<T>(const_cast<T *>(in.data()), k, n);
  Buffer<T> th(const_cast<T *>(t.data()), shape.steps, k);
  input.set(x);
  thresholds.set(th);
  int64_t kw = wordsFor(shape.k),
          panels = (shape.n + shape.panelWidth - 1) / shape.panelWidth;
  std::vector<uint64_t> out(
      size_t(shape.out.planes() * panels * kw * shape.panelWidth));
  Buffer<uint64_t> result(out.data(), int(shape.panelWidth), int(kw),
                          int(panels), shape.out.planes());
  realizeInto(packed, result, target);
  return out;
}

std::vector<uint64_t> ThresholdPacker::run(const std::vector<float> &in,
                                           const std::vector<float> &t) {
  return runOn(in, t);
}

std::vector<uint64_t> ThresholdPacker::run(const std::vector<int32_t> &in,
                                           const std::vector<int32_t> &t) {
  return runOn(in, t);
}

void ThresholdPacker::compileTo(const KernelOutputs &files,
                                const std::string &name) {
  compileOutputs(packed, {input, thresholds}, files, name, target);
}

} // namespace qnnc::codegen
