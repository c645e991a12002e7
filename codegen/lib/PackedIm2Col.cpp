#include "qnn/Codegen/PackedIm2Col.h"
#include "Realize.h"

#include <functional>
#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

namespace {
int unitBits(const ConvShape &s) { return int(convUnitBits(s.c)); }
/// Units per packed pixel (its stride: whole 64-bit words).
int pixelUnits(const ConvShape &s) {
  return int(wordsFor(s.c) * 64 / convUnitBits(s.c));
}
} // namespace

PackedIm2Col::PackedIm2Col(const ConvShape &s, int64_t panelWidth,
                           const Target &target, bool parallel)
    : shape(s), panelWidth(panelWidth), target(target), parallel(parallel),
      pixels(UInt(unitBits(s)), 4, "pixels") {
  if (convBitFields(s.c)) {
    buildBitFields();
    parallelizePanels();
    return;
  }
  const int unit = unitBits(s), perWord = 64 / unit;
  const int positionUnits = int(convPositionBits(s.c)) / unit;
  const int rowUnits = int(s.kh * s.kw) * positionUnits;
  const int ow = int(s.outW()), oh = int(s.outH());
  // Column words are viewed as `perWord` units each (both targets are
  // little-endian: unit `sub` holds the word's bits from sub * unit up), so
  // row unit r lands at bit r * unit of the column, where packConvWeights
  // put the same channels.
  Var sub("sub"), lane("lane"), word("word"), pnl("panel"), plane("plane");
  Var u("u");
  Expr n = pnl * int(panelWidth) + lane;
  Expr oy = n / ow, ox = n % ow;
  Expr position = u / positionUnits, channelUnit = u % positionUnits;
  Expr ky = position / int(s.kw), kx = position % int(s.kw);
  Expr iy = oy * int(s.strideY) - int(s.padTop) + ky * int(s.dilationY);
  Expr ix = ox * int(s.strideX) - int(s.padLeft) + kx * int(s.dilationX);
  Expr inside = u < rowUnits && n < ow * oh && iy >= 0 && iy < int(s.h) &&
                ix >= 0 && ix < int(s.w);
  Func row("im2col_row");
  row(u, lane, pnl, plane) =
      select(inside,
             pixels(channelUnit, clamp(ix, 0, int(s.w) - 1),
                    clamp(iy, 0, int(s.h) - 1), plane),
             cast(UInt(unit), 0));
  columns(sub, lane, word, pnl, plane) =
      row(word * perWord + sub, lane, pnl, plane);
  columns.bound(sub, 0, perWord)
      .bound(lane, 0, int(panelWidth))
      .bound(word, 0, int(wordsFor(s.gemmK())))
      .bound(plane, 0, s.activations.planes());
  columns.reorder(sub, lane, word, pnl, plane);
  if (unit == 64) {
    // One load and one store per column word, straight from the pixels:
    // this beat staging rows on AlexNet's convs 3-5.
    row.compute_inline();
    columns.unroll(sub);
  } else {
    // 8-, 16- and 32-bit units: each panel's rows are built first, position
    // by position, with the lanes (output pixels) vectorized and their pixel
    // reads gathered. The loops over (ky, kx, channel unit) make every index
    // a loop variable (no division per unit); the copy into the panel layout
    // is a transposition of whole vectors. AlexNet conv2 (32-bit units):
    // 215 -> 80 us on Zen 5; the example's conv2 (16-bit units) 3.7 -> 1.8
    // us with its GEMM. (With 8/16-bit units LLVM moves some pieces with
    // AVX512-FP16 on sapphirerapids, so IsaGuard.h rebuilds the kernel
    // without it, which costs an im2col nothing.) Rows start at unit 0 and
    // span whole kernel rows, so the splits have no tails.
    const int words = int(wordsFor(s.gemmK()));
    const int kernelRowUnits = int(s.kw) * positionUnits;
    const int rowExtent = (words * perWord + kernelRowUnits - 1) /
                          kernelRowUnits * kernelRowUnits;
    const int vector = target.natural_vector_size(UInt(unit));
    Var ky_("ky"), kx_("kx"), cu("cu"), f("f");
    row.compute_at(columns, pnl)
        .bound(u, 0, rowExtent)
        .bound_extent(lane, int(panelWidth))
        .reorder_storage(lane, u)
        .split(u, u, cu, positionUnits)
        .split(u, ky_, kx_, int(s.kw))
        .reorder(lane, cu, kx_, ky_)
        .vectorize(lane, std::min(vector, int(panelWidth)));
    // Unrolled where the body stays small.
    if (positionUnits <= 16)
      row.unroll(cu);
    if (kernelRowUnits <= 32)
      row.unroll(kx_);
    columns.fuse(sub, lane, f)
        .vectorize(f, std::min(vector, int(panelWidth) * perWord));
  }
  boundPixels();
  parallelizePanels();
}

void PackedIm2Col::parallelizePanels() {
  const int64_t panels = panelCount();
  if (!parallel || panels < 2)
    return;
  // Each panel's rows and fields are computed inside it, so the tasks share
  // nothing but the pixels (and the bit-field path's compacted image rows,
  // built per plane before them).
  // columns(sub, lane, word, panel, plane), as both builders define it.
  Var pnl = columns.args()[3], task("task");
  columns
      .split(pnl, task, pnl, int((panels + 15) / 16), TailStrategy::GuardWithIf)
      .parallel(task);
}

int64_t PackedIm2Col::panelCount() const {
  return (shape.outH() * shape.outW() + panelWidth - 1) / panelWidth;
}

void PackedIm2Col::boundPixels() {
  const ConvShape &s = shape;
  // Dense packed pixels (packPixels): constant strides fold every address
  // into the loop variables.
  const int units = pixelUnits(s);
  pixels.dim(0).set_bounds(0, units).dim(1).set_bounds(0, int(s.w));
  pixels.dim(2)
      .set_bounds(0, int(s.h))
      .dim(3)
      .set_bounds(0, s.activations.planes());
  pixels.dim(1).set_stride(units).dim(2).set_stride(units * int(s.w));
  pixels.dim(3).set_stride(units * int(s.w * s.h));
}

namespace {
/// OR of the `width`-bit fields `field(i)` (bits past `width` zero) placed at
/// bit i * width, i in [0, count), as seen by 64-bit word `word`: the fields
/// overlapping it, shifted left, or right for the one that began in the word
/// before.
Expr packedWord(Expr word, int width, int count, RDom r,
                const std::function<Expr(Expr)> &field) {
  Expr i = word * 64 / width + r;
  Expr offset = i * width - word * 64;
  Expr value = field(clamp(i, 0, count - 1));
  Expr placed = select(offset >= 0, value << cast<uint64_t>(max(offset, 0)),
                       value >> cast<uint64_t>(max(-offset, 0)));
  return select(i < count && offset < 64, placed, cast<uint64_t>(0));
}
/// Fields overlapping one word: the first starts at most width - 1 bits
/// before it.
RDom overlapping(int width, const char *name) {
  return RDom(0, (64 + 2 * width - 2) / width, name);
}
} // namespace

void PackedIm2Col::buildBitFields() {
  // Kernel position p's C channels are bits [p * C, p * C + C) of the column
  // (packConvWeights puts the weights there). A pixel's bits past C are zero,
  // so a field is its whole word.
  const ConvShape &s = shape;
  const int c = int(s.c), kw = int(s.kw), kh = int(s.kh);
  const int ow = int(s.outW()), oh = int(s.outH());
  Var sub("sub"), lane("lane"), word("word"), pnl("panel"), plane("plane");
  Var ky("ky"), rw("rw"), y("y");
  Expr n = pnl * int(panelWidth) + lane;
  Expr oy = n / ow, ox = n % ow;
  const int vector =
      std::min(int(panelWidth), target.natural_vector_size<uint64_t>());
  Func fields("im2col_fields");
  fields(lane, word, pnl, plane) = cast<uint64_t>(0);
  // A kernel row's positions are consecutive pixels when dilationX is 1: its
  // kw * C bits are one run of an image row whose pixels were compacted to C
  // bits each, read with two loads and a funnel shift per kernel row instead
  // of a gathered load per position. Measured (one thread, Zen 5): 11x11 on 3
  // channels stride 4 317 -> 104 us, 5x5 on 3 channels 68 -> 11 us, 5x5 on
  // one 16 -> 6.5 us; 3x3 kernels gained on one channel (5.9 -> 4.5 us) but
  // lost on 3 and 5 (4.8 -> 7.7, 0.9 -> 2.0 us), so they keep the gathers.
  // The compacted rows of one plane live on the stack (the library's runtime
  // has no heap), 32 KB at most: AlexNet's 227 x 227 x 3 takes 21.8 KB.
  const int stripBits = kw * c;
  const int paddedW = int(s.w + s.padLeft + s.padRight);
  // One more word per row so the second load of the last strip stays inside.
  const int rowWords = int(wordsFor(int64_t(paddedW) * c)) + 1;
  const bool strips = s.dilationX == 1 && stripBits <= 64 && kw >= 5 &&
                      int64_t(rowWords) * s.h * 8 <= 32 * 1024;
  RDom r = overlapping(strips ? stripBits : c, "r");
  if (strips) {
    // Image rows with the padding columns, C bits per pixel.
    RDom rx = overlapping(c, "rx");
    Func rowBits("im2col_row_bits");
    rowBits(rw, y, plane) = cast<uint64_t>(0);
    rowBits(rw, y, plane) =
        rowBits(rw, y, plane) | packedWord(rw, c, paddedW, rx, [&](Expr xp) {
          Expr x = xp - int(s.padLeft);
          return select(x >= 0 && x < int(s.w),
                        pixels(0, clamp(x, 0, int(s.w) - 1), y, plane),
                        cast<uint64_t>(0));
        });
    rowBits.bound(rw, 0, rowWords)
        .bound(y, 0, int(s.h))
        .compute_at(columns, plane)
        .store_in(MemoryType::Stack);
    rowBits.update().unroll(rx);
    // Kernel row ky of column n: bits from C * (ox * strideX) of its image
    // row (in padded columns).
    Expr iy = oy * int(s.strideY) - int(s.padTop) + ky * int(s.dilationY);
    Expr bit = ox * int(s.strideX) * c;
    Expr at = bit / 64, shift = bit % 64;
    Expr cy = clamp(iy, 0, int(s.h) - 1);
    Expr lo = rowBits(at, cy, plane) >> cast<uint64_t>(shift);
    Expr hi = select(shift == 0, cast<uint64_t>(0),
                     rowBits(min(at + 1, rowWords - 1), cy, plane)
                         << cast<uint64_t>(64 - shift));
    uint64_t mask =
        stripBits == 64 ? ~uint64_t(0) : (uint64_t(1) << stripBits) - 1;
    Func strip("im2col_strip");
    strip(lane, ky, pnl, plane) = select(
        iy >= 0 && iy < int(s.h) && n < ow * oh,
        (lo | hi) & Internal::make_const(UInt(64), mask), cast<uint64_t>(0));
    fields(lane, word, pnl, plane) =
        fields(lane, word, pnl, plane) |
        packedWord(word, stripBits, kh, r,
                   [&](Expr k) { return strip(lane, k, pnl, plane); });
    strip.compute_at(columns, pnl)
        .bound_extent(lane, int(panelWidth))
        .vectorize(lane, vector, TailStrategy::GuardWithIf);
  } else {
    fields(lane, word, pnl, plane) =
        fields(lane, word, pnl, plane) |
        packedWord(word, c, kh * kw, r, [&](Expr p) {
          Expr ky = p / kw, kx = p % kw;
          Expr iy = oy * int(s.strideY) - int(s.padTop) + ky * int(s.dilationY);
          Expr ix =
              ox * int(s.strideX) - int(s.padLeft) + kx * int(s.dilationX);
          Expr inside = n < ow * oh && iy >= 0 && iy < int(s.h) && ix >= 0 &&
                        ix < int(s.w);
          return select(inside,
                        pixels(0, clamp(ix, 0, int(s.w) - 1),
                               clamp(iy, 0, int(s.h) - 1), plane),
                        cast<uint64_t>(0));
        });
  }
  columns(sub, lane, word, pnl, plane) = fields(lane, word, pnl, plane);
  columns.bound(sub, 0, 1)
      .bound(lane, 0, int(panelWidth))
      .bound(word, 0, int(wordsFor(s.gemmK())))
      .bound(plane, 0, s.activations.planes());
  // The output pixels of a panel in vector lanes, the fields unrolled.
  columns.reorder(sub, lane, word, pnl, plane)
      .vectorize(lane, vector, TailStrategy::GuardWithIf);
  fields.compute_at(columns, word)
      .vectorize(lane, vector, TailStrategy::GuardWithIf);
  fields.update()
      .reorder(lane, r)
      .vectorize(lane, vector, TailStrategy::GuardWithIf)
      .unroll(r);
  boundPixels();
}

std::vector<uint64_t> PackedIm2Col::run(const std::vector<uint64_t> &packed) {
  std::vector<uint64_t> out;
  run(packed, out);
  return out;
}

void PackedIm2Col::run(const std::vector<uint64_t> &packed,
                       std::vector<uint64_t> &out) {
  const Type unit = UInt(unitBits(shape));
  Buffer<> in(unit, const_cast<uint64_t *>(packed.data()),
              {pixelUnits(shape), int(shape.w), int(shape.h),
               shape.activations.planes()});
  pixels.set(in);
  int64_t words = wordsFor(shape.gemmK()), panels = panelCount();
  out.resize(std::size_t(shape.activations.planes()) * panels * words *
             panelWidth);
  Buffer<> result(unit, out.data(),
                  {64 / unit.bits(), int(panelWidth), int(words), int(panels),
                   shape.activations.planes()});
  realizeInto(columns, result, target);
}

void PackedIm2Col::compileTo(const KernelOutputs &files,
                             const std::string &name) {
  compileOutputs(columns, {pixels}, files, name, target);
}

} // namespace qnnc::codegen
