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
bool hasVnni(const Target &t) {
  return t.has_feature(Target::AVX512_SapphireRapids);
}
/// Output channels per register tile: the accumulators take most of the
/// vector registers, leaving room for the input vector and the weight
/// broadcasts (and, without a fused dot-product instruction, its widened
/// halves).
int tileRows(const Target &t) {
  int registers =
      t.has_feature(Target::AVX512) || (t.arch == Target::ARM && t.bits == 64)
          ? 32
          : 16;
  return hasVnni(t) ? registers * 3 / 4 : registers / 2;
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

std::vector<int32_t>
DotProductConv::foldBias(const IntegerConvShape &s,
                         const std::vector<int8_t> &w,
                         const std::vector<int32_t> &bias) {
  const int64_t taps = s.c * s.kh * s.kw;
  std::vector<int32_t> out(bias);
  for (int64_t m = 0; m < s.m; ++m) {
    int64_t sum = 0;
    for (int64_t k = 0; k < taps; ++k)
      sum += w[size_t(m * taps + k)];
    out[size_t(m)] = int32_t(bias[size_t(m)] - unsignedZeroPoint(s) * sum);
  }
  return out;
}

DotProductConv::DotProductConv(const IntegerConvShape &s, const Target &target)
    : shape(s), target(target),
      input(s.inputSigned ? Int(8) : UInt(8), 4, "input") {
  // ---- Algorithm ----
  Var x("x"), y("y"), c("c"), n("n");
  Func bytes("bytes");
  bytes(x, y, c, n) =
      s.inputSigned ? cast<uint8_t>(input(x, y, c, n)) ^ cast<uint8_t>(0x80)
                    : input(x, y, c, n);
  // Padding (and, with fewer than 4 taps per row, the zero-weight taps past
  // them) reads the zero point; `likely` lets Halide peel the border tiles so
  // the interior loads stay plain vector loads.
  Func padded = readsOutsideImage(s)
                    ? BoundaryConditions::constant_exterior(
                          bytes, cast<uint8_t>(unsignedZeroPoint(s)),
                          {{0, int(s.w)}, {0, int(s.h)}})
                    : bytes;

  const int g = int(groupsPerRow(s));
  Var ox("ox"), oy("oy"), m("m");
  RDom r(0, 4, 0, g, 0, int(s.kh), 0, int(s.c), "r");
  Expr start = s.kw >= 4 ? min(r.y * 4, int(s.kw) - 4) : r.y * 4;
  Expr ix =
      ox * int(s.strideX) + (start + r.x) * int(s.dilationX) - int(s.padLeft);
  Expr iy = oy * int(s.strideY) + r.z * int(s.dilationY) - int(s.padTop);
  Expr q = (r.w * int(s.kh) + r.z) * g + r.y;
  Func acc("acc");
  acc(ox, oy, m, n) = bias(m);
  acc(ox, oy, m, n) +=
      cast<int32_t>(padded(ix, iy, r.w, n)) * cast<int32_t>(weights(r.x, m, q));
  output(ox, oy, m, n) =
      convEpilogue(s, acc(ox, oy, m, n), m, multiplier, shift);

  // ---- Schedule ----
  // Register tile: one vector of output pixels x `rows` output channels. Each
  // reduction step loads 4 bytes per pixel (one vector), broadcasts 4 weight
  // bytes per channel and issues one dot product per channel; the four taps
  // are the innermost vector lanes, which Halide's x86/ARM back ends turn into
  // the dot-product instruction.
  const int vector = std::max(1, target.natural_vector_size<int32_t>());
  const int rows = int(std::min<int64_t>(s.m, tileRows(target)));
  Var xo("xo"), xi("xi"), mo("mo"), mi("mi");
  output.bound(ox, 0, int(s.outW)).bound(oy, 0, int(s.outH));
  output.bound(m, 0, int(s.m)).bound(n, 0, int(s.n));
  // Overlapping last tiles (recomputing a few outputs) keep every tile full.
  output.split(ox, xo, xi, vector, TailStrategy::ShiftInwards)
      .split(m, mo, mi, rows, TailStrategy::ShiftInwards)
      .reorder(xi, mi, xo, mo, oy, n)
      .vectorize(xi)
      .unroll(mi)
      .parallel(oy);
  acc.compute_at(output, xo).vectorize(ox).unroll(m);
  acc.update()
      .reorder(r.x, ox, m, r.y, r.z, r.w)
      .atomic()
      .vectorize(r.x)
      .vectorize(ox)
      .unroll(m);

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

std::vector<int32_t> DotProductConv::run(const std::vector<uint8_t> &in,
                                         const std::vector<int8_t> &w,
                                         const std::vector<int32_t> &b,
                                         const std::vector<int64_t> &mult,
                                         const std::vector<int64_t> &sh) {
  const IntegerConvShape &s = shape;
  Buffer<uint8_t> x(const_cast<uint8_t *>(in.data()), int(s.w), int(s.h),
                    int(s.c), int(s.n));
  if (s.inputSigned)
    input.set(Buffer<int8_t>(reinterpret_cast<int8_t *>(x.data()), int(s.w),
                             int(s.h), int(s.c), int(s.n)));
  else
    input.set(x);
  auto packed = packWeights(s, w);
  auto folded = foldBias(s, w, b);
  weights.set(Buffer<int8_t>(packed.data(), 4, int(s.m), int(quads(s))));
  bias.set(Buffer<int32_t>(folded.data(), int(s.m)));
  std::vector<int64_t> m1 = mult.empty() ? std::vector<int64_t>{1} : mult,
                       s1 = sh.empty() ? std::vector<int64_t>{1} : sh;
  multiplier.set(Buffer<int64_t>(m1.data(), int(m1.size())));
  shift.set(Buffer<int64_t>(s1.data(), int(s1.size())));
  std::vector<int> dims = {int(s.outW), int(s.outH), int(s.m), int(s.n)};
  Type type = output.output_types()[0];
  Buffer<> result(type, dims);
  try {
    output.realize(result, target);
  } catch (const Halide::Error &e) {
    throw std::runtime_error(std::string("Halide: ") + e.what());
  }
  std::vector<int32_t> out;
  for (int b = 0; b < dims[3]; ++b)
    for (int o = 0; o < dims[2]; ++o)
      for (int i = 0; i < dims[1]; ++i)
        for (int j = 0; j < dims[0]; ++j)
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
