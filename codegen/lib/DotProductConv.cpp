#include "qnn/Codegen/DotProductConv.h"
#include "Realize.h"

using namespace Halide;

namespace qnnc::codegen {

namespace {
int64_t groupsPerRow(const IntegerConvShape &s) { return (s.kw + 3) / 4; }
int64_t quads(const IntegerConvShape &s) {
  return s.c * s.kh * groupsPerRow(s);
}
/// First tap of group g. The last group of a row is shifted left to end at the
/// last tap (its overlap with the previous group has zero weights), so reads
/// never pass the receptive field and an unpadded conv needs no border checks.
int64_t groupStart(const IntegerConvShape &s, int64_t g) {
  return s.kw >= 4 ? std::min(4 * g, s.kw - 4) : 4 * g;
}
bool readsOutsideImage(const IntegerConvShape &s) {
  return s.padTop || s.padLeft || s.kw < 4 ||
         (s.outH - 1) * s.strideY + (s.kh - 1) * s.dilationY >= s.h ||
         (s.outW - 1) * s.strideX + (s.kw - 1) * s.dilationX >= s.w;
}
int32_t unsignedZeroPoint(const IntegerConvShape &s) {
  return s.inputZeroPoint + (s.inputSigned ? 128 : 0);
}
/// What the kernel subtracts from every unsigned input byte: 128 where it
/// multiplies signed bytes (see signedBytes), else nothing.
int32_t inputOffset(const Target &t) {
  return DotProductConv::signedBytes(t) ? 128 : 0;
}
/// Largest per-row copy of a padded input kept on the stack: Halide puts
/// constant-size allocations up to 16 KB there, larger ones on the heap.
constexpr int64_t kStackRowBytes = 12 * 1024;
bool hasVnni(const Target &t) {
  return t.has_feature(Target::AVX512_SapphireRapids);
}
} // namespace

bool DotProductConv::pairwise(const Target &t) {
  return t.arch == Target::X86 && !hasVnni(t);
}

bool DotProductConv::signedBytes(const Target &t) {
  return t.arch == Target::ARM && t.bits == 64 &&
         t.has_feature(Target::ARMDotProd);
}

namespace {
/// Output channels per register tile: the accumulators take most of the
/// vector registers, leaving room for the input vector and the weight
/// broadcasts (and, without a fused dot-product instruction, its widened
/// halves).
int tileRows(const Target &t) {
  int registers =
      t.has_feature(Target::AVX512) || (t.arch == Target::ARM && t.bits == 64)
          ? 32
          : 16;
  if (DotProductConv::pairwise(t))
    return (registers - 4) / 2; // two accumulators per channel (see pairwise)
  return hasVnni(t) ? registers * 3 / 4 : registers / 2;
}

/// The pixels of a register tile: `vectors` vectors of output pixels (on
/// consecutive output rows) x `channels` output channels, each vector holding
/// `rowsPerVector` rows of vector / rowsPerVector neighbouring pixels.
struct PixelTile {
  int vectors = 1, rowsPerVector = 1, channels;
  int outputRows() const { return vectors * rowsPerVector; }
};

/// Measured on Zen 5 (VNNI); other targets keep one vector of one row.
/// - Two vectors of pixels x half the channels: each step's weight broadcasts
///   feed twice as many dot products (AlexNet's conv1 -14 %, a 3-channel
///   32 x 32 conv -45 %), unless halving the channel tile leaves more of it
///   empty (16 channels: one tile of 16 becomes two of 12).
/// - Two rows per vector: a vector along one row computes
///   ceil(outW / vector) * vector pixels of each row (AlexNet's 55: 64); two
///   rows of 8 compute 56 x 56 of its 55 x 55, for one more load and insert per
///   step, so only where that saves a tenth of the tiles (conv1 -10 %). It
///   needs the taps of neighbouring pixels to be one dense load per row
///   (stride 4, no padding); elsewhere the extra row doubles the shuffles
///   (2.4-6x slower measured at strides 1 and 2).
PixelTile pixelTile(const IntegerConvShape &s, const Target &t, int vector) {
  PixelTile tile;
  const int64_t rows = tileRows(t);
  tile.channels = int(std::min<int64_t>(s.m, rows));
  if (!hasVnni(t) || s.outH < 2)
    return tile;
  auto computed = [&](int64_t channels) {
    return (s.m + channels - 1) / channels * channels;
  };
  if (computed(rows / 2) <= computed(tile.channels)) {
    tile.vectors = 2;
    tile.channels = int(std::min<int64_t>(s.m, rows / 2));
  }
  auto tiles = [&](int rowsPerVector) {
    int64_t width = vector / rowsPerVector;
    int64_t outputRows = tile.vectors * rowsPerVector;
    return (s.outW + width - 1) / width *
           ((s.outH + outputRows - 1) / outputRows);
  };
  bool denseRows = s.strideX == 4 && s.dilationX == 1 && !readsOutsideImage(s);
  if (denseRows && vector >= 8 && s.outW >= vector / 2 &&
      s.outH >= 2 * tile.vectors && tiles(2) * 10 <= tiles(1) * 9)
    tile.rowsPerVector = 2;
  return tile;
}
} // namespace

bool dotProductConvApplies(const IntegerConvShape &s, bool weightsSigned,
                           bool weightZeroPointsZero, const Target &target) {
  return weightsSigned && weightZeroPointsZero &&
         s.outW >= std::max(1, target.natural_vector_size<int32_t>());
}

std::vector<int8_t> DotProductConv::packWeights(const IntegerConvShape &s,
                                                const std::vector<int8_t> &w) {
  const int64_t g = groupsPerRow(s);
  std::vector<int8_t> out(size_t(quads(s) * s.m * 4), 0);
  for (int64_t m = 0; m < s.m; ++m)
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t y = 0; y < s.kh; ++y)
        for (int64_t x = 0; x < s.kw; ++x) {
          int64_t q = (c * s.kh + y) * g + x / 4;
          out[size_t((q * s.m + m) * 4 + x - groupStart(s, x / 4))] =
              w[size_t(((m * s.c + c) * s.kh + y) * s.kw + x)];
        }
  return out;
}

std::vector<int32_t> DotProductConv::foldBias(const IntegerConvShape &s,
                                              const std::vector<int8_t> &w,
                                              const std::vector<int32_t> &bias,
                                              const Target &target) {
  const int64_t taps = s.c * s.kh * s.kw;
  std::vector<int32_t> out(bias);
  for (int64_t m = 0; m < s.m; ++m) {
    int64_t sum = 0;
    for (int64_t k = 0; k < taps; ++k)
      sum += w[size_t(m * taps + k)];
    out[size_t(m)] = int32_t(
        bias[size_t(m)] - (unsignedZeroPoint(s) - inputOffset(target)) * sum);
  }
  return out;
}

DotProductConv::DotProductConv(const IntegerConvShape &s, const Target &target,
                               bool parallel)
    : shape(s), target(target),
      input(s.inputSigned ? Int(8) : UInt(8), 4, "input"),
      weights(Int(weightBits(target)), 3, "weights") {
  // ---- Algorithm ----
  Var x("x"), y("y"), c("c"), n("n");
  // The unsigned input bytes, or, for ARM's sdot (signed x signed only),
  // those bytes minus 128 (foldBias adds 128 * sum(w) back).
  Func bytes("bytes");
  Expr raw = input(x, y, c, n);
  if (signedBytes(target))
    bytes(x, y, c, n) =
        s.inputSigned ? raw : cast<int8_t>(raw ^ cast<uint8_t>(0x80));
  else
    bytes(x, y, c, n) =
        s.inputSigned ? cast<uint8_t>(raw) ^ cast<uint8_t>(0x80) : raw;
  Type byteType = signedBytes(target) ? Int(8) : UInt(8);
  // Padding (and, with fewer than 4 taps per row, the zero-weight taps past
  // them) reads the zero point; `likely` lets Halide peel the border tiles so
  // the interior loads stay plain vector loads.
  Func padded =
      readsOutsideImage(s)
          ? BoundaryConditions::constant_exterior(
                bytes,
                cast(byteType, unsignedZeroPoint(s) - inputOffset(target)),
                {{0, int(s.w)}, {0, int(s.h)}})
          : bytes;

  const int g = int(groupsPerRow(s));
  const bool pairs = pairwise(target);
  // Without a 4-way dot product (x86 before VNNI) the multiply-add is
  // vpmaddwd, which sums pairs: each 4-tap group is two pairs, kept in
  // separate accumulator lanes `h` until the reduction ends, so no step
  // shuffles lanes to finish a group.
  const int span = pairs ? 2 : 4;
  Var ox("ox"), oy("oy"), m("m"), h("h");
  RDom r(0, span, 0, g, 0, int(s.kh), 0, int(s.c), "r");
  Expr groupStartX = s.kw >= 4 ? min(r.y * 4, int(s.kw) - 4) : r.y * 4;
  Expr tap = groupStartX + r.x;
  Expr lane = r.x;
  if (pairs) {
    tap += 2 * h;
    lane += 2 * h;
  }
  Expr ix = ox * int(s.strideX) + tap * int(s.dilationX) - int(s.padLeft);
  Expr iy = oy * int(s.strideY) + r.z * int(s.dilationY) - int(s.padTop);
  Expr q = (r.w * int(s.kh) + r.z) * g + r.y;
  // With stride 1 a vector of neighbouring pixels reads taps spanning V + 3
  // bytes, which LLVM loads as 16 + 2 + 1 bytes, the 2 with AVX512-FP16's
  // `vmovw` on sapphirerapids (IsaGuard.h then rebuilds the whole kernel
  // without VNNI, 2-3x slower); with stride 2 they span 2V + 2 (3.1-3.6x
  // slower). Instead each reduction step loads the four tap-shifted vectors
  // of pixels (strided loads at stride 2) and interleaves them (LLVM keeps
  // the 64-byte result in a register). Stride 4 reads the taps as one dense
  // vector; at stride 3 the plain loads measured 2x faster than shifted ones.
  const bool shiftedTaps = hasVnni(target) && s.strideX <= 2;
  Func shifted("shifted");
  Var t("t"), sx("sx"), sb("sb"), sy("sy"), sc("sc"), sn("sn");
  shifted(t, sx, sb, sy, sc, sn) =
      padded(sx * int(s.strideX) + sb + t * int(s.dilationX), sy, sc, sn);
  Expr pixel =
      shiftedTaps
          ? shifted(r.x, ox, groupStartX * int(s.dilationX) - int(s.padLeft),
                    iy, r.w, n)
          : padded(ix, iy, r.w, n);
  Type product = pairs ? Int(16) : Int(32);
  Func acc("acc");
  acc(h, ox, oy, m, n) = pairs ? select(h == 0, bias(m), 0) : bias(m);
  acc(h, ox, oy, m, n) += cast<int32_t>(cast(product, pixel)) *
                          cast<int32_t>(cast(product, weights(lane, m, q)));
  Expr sum = pairs ? acc(0, ox, oy, m, n) + acc(1, ox, oy, m, n)
                   : acc(0, ox, oy, m, n);
  output(ox, oy, m, n) = convEpilogue(s, sum, m, multiplier, shift);

  // ---- Schedule ----
  // Register tile (see PixelTile): vectors of output pixels x channels. Each
  // reduction step loads the taps of the tile's pixels (a vector of bytes
  // per pixel vector), broadcasts each channel's weight bytes and issues one
  // dot product per channel and pixel vector; the taps are the innermost
  // vector lanes, which Halide's x86/ARM back ends turn into the dot-product
  // instruction.
  const int vector = std::max(1, target.natural_vector_size<int32_t>());
  const PixelTile tile = pixelTile(s, target, vector);
  Var xo("xo"), xi("xi"), mo("mo"), mi("mi"), yo("yo"), yi("yi");
  output.bound(ox, 0, int(s.outW)).bound(oy, 0, int(s.outH));
  output.bound(m, 0, int(s.m)).bound(n, 0, int(s.n));
  // Overlapping last tiles (recomputing a few outputs) keep every tile full.
  output
      .split(ox, xo, xi, vector / tile.rowsPerVector,
             TailStrategy::ShiftInwards)
      .split(oy, yo, yi, tile.outputRows(), TailStrategy::ShiftInwards)
      .split(m, mo, mi, tile.channels, TailStrategy::ShiftInwards)
      .reorder(xi, yi, mi, xo, mo, yo, n)
      .vectorize(xi)
      .unroll(mi)
      .parallel(yo);
  // Each output row is stored as its own vector (a store spanning two rows
  // would be scattered lane by lane).
  if (tile.outputRows() > 1)
    output.unroll(yi);
  // One-thread JIT runs keep the library's code (its parallel loop, outlined)
  // and run the rows in order, as the library's runtime does with one thread;
  // a serial schedule compiles to a different, slower inner loop.
  if (!parallel)
    output.jit_handlers().custom_do_par_for =
        [](JITUserContext *context,
           int (*task)(JITUserContext *, int, uint8_t *), int min, int size,
           uint8_t *closure) {
          for (int i = min; i < min + size; ++i)
            if (int status = task(context, i, closure))
              return status;
          return 0;
        };
  acc.bound(h, 0, pairs ? 2 : 1);
  acc.compute_at(output, xo);
  Var oyo("oyo"), oyi("oyi");
  for (Stage stage : {Stage(acc), acc.update()})
    stage.split(oy, oyo, oyi, tile.rowsPerVector, TailStrategy::RoundUp);
  acc.update()
      .reorder(r.x, h, ox, oyi, oyo, m, r.y, r.z, r.w)
      .atomic()
      .vectorize(r.x);
  if (shiftedTaps)
    shifted.compute_at(acc, r.y)
        .store_in(MemoryType::Stack)
        .bound_extent(t, 4)
        .vectorize(sx, vector)
        .unroll(t);
  for (Stage stage : {Stage(acc), acc.update()}) {
    if (pairs)
      stage.vectorize(h);
    stage.vectorize(ox).unroll(m);
    if (tile.rowsPerVector > 1)
      stage.vectorize(oyi);
    if (tile.vectors > 1)
      stage.unroll(oyo);
  }

  // The border tiles of a padded conv would gather byte by byte through the
  // boundary condition (more than half the tiles of a 28 x 28 image with pad
  // 2). When the input rows one row of tiles reads fit on the stack, they
  // are copied with their padding first, so every tile loads plain vectors;
  // the copy is 1/M of the conv's work. (The library's runtime has no heap.)
  // At stride 2 the copy is made without padding too: LLVM assembled the
  // shifted taps' strided loads from the caller's buffer byte by byte
  // (an unpadded 7x7/2 stem: 1.39 -> 0.48 ms with the copy).
  if (readsOutsideImage(s) || (shiftedTaps && s.strideX == 2)) {
    int64_t rows =
        (s.kh - 1) * s.dilationY + 1 + (tile.outputRows() - 1) * s.strideY;
    int64_t cols = (s.outW - 1) * s.strideX +
                   (std::max<int64_t>(s.kw, 4) - 1) * s.dilationX + 1;
    if (s.c * rows * cols <= kStackRowBytes) {
      Var px = padded.args()[0];
      padded.compute_at(output, yo).store_in(MemoryType::Stack);
      const int bytes = target.natural_vector_size<uint8_t>();
      if (cols >= bytes)
        padded.vectorize(px, bytes);
    }
  }

  input.dim(0).set_bounds(0, int(s.w)).dim(1).set_bounds(0, int(s.h));
  input.dim(2).set_bounds(0, int(s.c)).dim(3).set_bounds(0, int(s.n));
  input.dim(1).set_stride(int(s.w)).dim(2).set_stride(int(s.w * s.h));
  input.dim(3).set_stride(int(s.w * s.h * s.c));
  weights.dim(0).set_bounds(0, 4).dim(1).set_bounds(0, int(s.m)).set_stride(4);
  weights.dim(2).set_bounds(0, int(quads(s))).set_stride(4 * int(s.m));
  bias.dim(0).set_bounds(0, int(s.m));
  multiplier.dim(0).set_bounds(0, int(s.requantChannels));
  shift.dim(0).set_bounds(0, int(s.requantChannels));
}

void DotProductConv::bind(const std::vector<int8_t> &w,
                          const std::vector<int32_t> &b,
                          const std::vector<int64_t> &mult,
                          const std::vector<int64_t> &sh) {
  const IntegerConvShape &s = shape;
  packedWeights = packWeights(s, w);
  foldedBias = foldBias(s, w, b, target);
  multipliers = mult.empty() ? std::vector<int64_t>{1} : mult;
  shifts = sh.empty() ? std::vector<int64_t>{1} : sh;
  if (weightBits(target) == 16) {
    packedWeights16.assign(packedWeights.begin(), packedWeights.end());
    weights.set(
        Buffer<int16_t>(packedWeights16.data(), 4, int(s.m), int(quads(s))));
  } else {
    weights.set(
        Buffer<int8_t>(packedWeights.data(), 4, int(s.m), int(quads(s))));
  }
  bias.set(Buffer<int32_t>(foldedBias.data(), int(s.m)));
  multiplier.set(Buffer<int64_t>(multipliers.data(), int(multipliers.size())));
  shift.set(Buffer<int64_t>(shifts.data(), int(shifts.size())));
}

Buffer<> DotProductConv::outputBuffer() const {
  const IntegerConvShape &s = shape;
  return Buffer<>(output.output_types()[0],
                  {int(s.outW), int(s.outH), int(s.m), int(s.n)});
}

void DotProductConv::run(const std::vector<uint8_t> &in, Buffer<> &result) {
  const IntegerConvShape &s = shape;
  Buffer<uint8_t> x(const_cast<uint8_t *>(in.data()), int(s.w), int(s.h),
                    int(s.c), int(s.n));
  if (s.inputSigned)
    input.set(Buffer<int8_t>(reinterpret_cast<int8_t *>(x.data()), int(s.w),
                             int(s.h), int(s.c), int(s.n)));
  else
    input.set(x);
  realizeInto(output, result, target);
}

std::vector<int32_t> DotProductConv::run(const std::vector<uint8_t> &in,
                                         const std::vector<int8_t> &w,
                                         const std::vector<int32_t> &b,
                                         const std::vector<int64_t> &mult,
                                         const std::vector<int64_t> &sh) {
  bind(w, b, mult, sh);
  Buffer<> result = outputBuffer();
  run(in, result);
  Type type = result.type();
  std::vector<int32_t> out;
  for (int b = 0; b < result.dim(3).extent(); ++b)
    for (int o = 0; o < result.dim(2).extent(); ++o)
      for (int i = 0; i < result.dim(1).extent(); ++i)
        for (int j = 0; j < result.dim(0).extent(); ++j)
          out.push_back(type == Int(32)   ? result.as<int32_t>()(j, i, o, b)
                        : type == UInt(8) ? result.as<uint8_t>()(j, i, o, b)
                                          : result.as<int8_t>()(j, i, o, b));
  return out;
}

void DotProductConv::compileTo(const KernelOutputs &files,
                               const std::string &name) {
  std::vector<Argument> args = {input, weights, bias};
  if (shape.requantize)
    args.insert(args.end(), {multiplier, shift});
  compileOutputs(output, args, files, name, target);
}

} // namespace qnnc::codegen
