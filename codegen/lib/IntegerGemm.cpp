#include "qnn/Codegen/IntegerGemm.h"
#include "Realize.h"
#include "qnn/Codegen/DotProductConv.h"

#include <stdexcept>

using namespace Halide;

namespace qnnc::codegen {

namespace {
bool hasVnni(const Target &t) {
  return t.has_feature(Target::AVX512_SapphireRapids);
}
/// Values of a group one instruction reduces into an int32 lane: 4 bytes, or
/// 2 where the machine multiplies int16 pairs (16-bit operands, or bytes on
/// x86 without VNNI). The rest of a group stays in separate accumulators.
int span(const IntegerGemmLayout &l, const Target &t) {
  if (l.bits == 16)
    return t.arch == Target::ARM ? 1 : 2;
  return DotProductConv::pairwise(t) ? 2 : 4;
}
int vectorRegisters(const Target &t) {
  return t.has_feature(Target::AVX512) ||
                 (t.arch == Target::ARM && t.bits == 64)
             ? 32
             : 16;
}
} // namespace

IntegerGemmLayout IntegerGemm::layout(int bits, const Target &t) {
  if (bits != 8 && bits != 16)
    throw std::invalid_argument("integer GEMM: operands must be 8 or 16 bits");
  IntegerGemmLayout l;
  l.bits = bits;
  l.group = bits == 8 ? 4 : 2;
  l.weightBits = bits == 16 || DotProductConv::pairwise(t) ? 16 : 8;
  l.inputOffset = bits == 8 && DotProductConv::signedBytes(t) ? 128 : 0;
  return l;
}

bool integerGemmApplies(const IntegerConvShape &s, bool weightsSigned,
                        bool weightZeroPointsZero) {
  return s.n == 1 && s.h == 1 && s.w == 1 && s.kh == 1 && s.kw == 1 &&
         weightsSigned && weightZeroPointsZero;
}

namespace {
IntegerGemmShape gemmShape(const IntegerConvShape &s) {
  IntegerGemmShape g;
  g.m = s.m;
  g.k = s.c;
  g.n = s.n;
  g.activationZeroPoint = s.inputZeroPoint;
  g.activationsSigned = s.inputSigned;
  return g;
}
} // namespace

IntegerGemm::IntegerGemm(const IntegerGemmShape &s, const Target &target,
                         IntegerGemmTile tile)
    : IntegerGemm(s, target, tile, nullptr) {}

IntegerGemm::IntegerGemm(const IntegerConvShape &matmul, const Target &target)
    : IntegerGemm(gemmShape(matmul), target, {}, &matmul) {}

IntegerGemm::IntegerGemm(const IntegerGemmShape &s, const Target &target,
                         IntegerGemmTile tile, const IntegerConvShape *epilogue)
    : shape(s), packing(layout(s.bits, target)), target(target),
      requantize(epilogue && epilogue->requantize),
      weights(Int(packing.weightBits), 3, "weights"),
      activations(s.bits == 16          ? Int(16)
                  : s.activationsSigned ? Int(8)
                                        : UInt(8),
                  2, "activations") {
  const int group = packing.group, lanes = span(packing, target);
  const int halves = group / lanes;
  const int M = int(s.m), K = int(s.k), N = int(s.n);
  const int kq = int(packing.groups(s.k));
  const int vector = std::max(1, target.natural_vector_size<int32_t>());
  // Registers for accumulators: the rest hold the loaded vector(s) and the
  // broadcasts; VNNI's dot products read their broadcast from memory.
  // NEON without a dot product needs registers for the widened products and
  // their pairwise sums too.
  const int budget = target.arch == Target::ARM && lanes != 4
                         ? vectorRegisters(target) / 2
                         : vectorRegisters(target) - (hasVnni(target) ? 8 : 4);
  // GEMV-shaped (N below a vector): vectors of output rows (narrower ones for
  // fewer rows, such as a classifier's 10), their weights in tiles.
  const bool gemv = N < vector && M >= 2;
  int rowVector = vector, rowVectors = 1;
  if (gemv) {
    while (rowVector > M)
      rowVector /= 2;
    rowVectors = tile.vectors ? tile.vectors
                              : std::max(1, std::min(4, budget / (N * halves)));
    rowVectors = std::min(rowVectors, M / rowVector);
    packing.tileRows = rowVectors * rowVector;
  }
  const int tileRows = int(packing.tileRows);

  // ---- Algorithm ----
  Var l("l"), n("n"), q("q"), m("m"), h("h");
  // Rows past K repeat the last one; their weights are zero. `likely` lets
  // Halide peel the last group so the others load whole rows.
  Func rows = BoundaryConditions::repeat_edge(activations, {{0, N}, {0, K}});
  Expr a = rows(n, q * group + l);
  if (s.activationsSigned)
    a = cast<uint8_t>(a) ^ cast<uint8_t>(0x80); // s + 128
  if (packing.inputOffset)
    a = cast<int8_t>(a ^ cast<uint8_t>(0x80)); // sdot multiplies signed bytes
  // Interleaved activations: the `group` K values of a column side by side.
  Type product = lanes == 2 && s.bits == 8 ? Int(16) : a.type();
  Func act("act");
  act(l, n, q) = cast(product, a);
  Type wide = lanes == 2 && s.bits == 8 ? Int(16) : Int(32);
  RDom r(0, lanes, 0, kq, "r");
  Expr lane = r.x + h * lanes;
  Func acc("acc");
  // A GEMV's accumulators are indexed by row in tile (m) and tile (t), so a
  // vector of rows is a dense load from its tile's weights (as m % tileRows of
  // an output row the simplifier could not prove one, and gathered). The last
  // tile computes all its rows; those past M have zero weights.
  Var t("t");
  std::vector<Var> accVars = {h, n, m};
  Expr bias0 = bias(m), w = weights(lane, m, r.y);
  if (tileRows) {
    accVars.push_back(t);
    bias0 = bias(min(t * tileRows + m, M - 1));
    w = weights(lane, m, t * kq + r.y);
  }
  acc(accVars) = select(h == 0, bias0, 0);
  acc(accVars) += cast<int32_t>(cast(wide, act(lane, n, r.y))) *
                  cast<int32_t>(cast(wide, w));
  auto accAt = [&](int i) -> Expr {
    return tileRows ? acc(i, n, m % tileRows, m / tileRows) : acc(i, n, m);
  };
  Expr sum = accAt(0);
  for (int i = 1; i < halves; ++i)
    sum += accAt(i);
  output(n, m) =
      epilogue ? convEpilogue(*epilogue, sum, m, multiplier, shift) : sum;

  // ---- Schedule ----
  output.bound(n, 0, N).bound(m, 0, M);
  acc.bound(h, 0, halves);
  Stage update = acc.update();
  Var no("no"), ni("ni"), mo("mo"), mi("mi"), vo("vo"), vi("vi");
  if (N >= vector) {
    // Tile: rows x (vectors x vector) columns; the interleaved activations of
    // a column block are built once and reused by every row tile.
    int vectors = std::min(tile.vectors ? tile.vectors : 2, N / vector);
    int rowsPerTile =
        tile.rows ? tile.rows : std::max(1, budget / (vectors * halves));
    rowsPerTile = std::min(rowsPerTile, M);
    output.split(n, no, ni, vectors * vector, TailStrategy::ShiftInwards)
        .split(m, mo, mi, rowsPerTile, TailStrategy::ShiftInwards)
        .split(ni, vo, vi, vector)
        .reorder(vi, vo, mi, mo, no)
        .vectorize(vi)
        .unroll(vo)
        .unroll(mi);
    act.compute_at(output, no)
        .reorder(l, n, q)
        .vectorize(l)
        .vectorize(n, std::max(1, target.natural_vector_size(product)) / group);
    acc.compute_at(output, mo).unroll(h).vectorize(n, vector).unroll(m);
    update.reorder(r.x, h, n, m, r.y).atomic().vectorize(r.x);
    update.split(n, vo, vi, vector).vectorize(vi).unroll(vo).unroll(m);
  } else if (gemv) {
    // Each step loads one contiguous vector of a tile's weights and
    // broadcasts a column's group, read in place: nothing is allocated, as a
    // library's kernels must not (its runtime has no heap). Rows of the last
    // tile past M are computed (constant extents) and not stored.
    // Dense results (every caller's): a vector of rows is one store.
    output.output_buffer().dim(1).set_stride(N);
    output.split(m, mo, mi, tileRows, TailStrategy::GuardWithIf)
        .split(mi, vo, vi, rowVector)
        .reorder(vi, vo, n, mo)
        .vectorize(vi)
        .unroll(vo)
        .unroll(n);
    acc.compute_at(output, mo)
        .bound(m, 0, tileRows)
        .unroll(h)
        .vectorize(m, rowVector)
        .unroll(n);
    update.reorder(r.x, h, m, n, r.y).atomic().vectorize(r.x);
    update.split(m, vo, vi, rowVector).vectorize(vi).unroll(vo).unroll(n);
  } else {
    acc.compute_at(output, Var::outermost()); // M x N x 4 bytes: the stack
  }
  if (halves > 1)
    update.vectorize(h);

  std::array<int64_t, 3> extents = packing.weightExtents(s.m, s.k);
  weights.dim(0).set_bounds(0, group).dim(1).set_bounds(0, int(extents[1]));
  weights.dim(1).set_stride(group).dim(2).set_bounds(0, int(extents[2]));
  weights.dim(2).set_stride(group * int(extents[1]));
  bias.dim(0).set_bounds(0, M);
  if (requantize) {
    multiplier.dim(0).set_bounds(0, int(epilogue->requantChannels));
    shift.dim(0).set_bounds(0, int(epilogue->requantChannels));
  }
  activations.dim(0).set_bounds(0, N).dim(1).set_bounds(0, K).set_stride(N);
}

std::vector<int16_t>
IntegerGemm::packWeights(const std::vector<int32_t> &w) const {
  return packing.packWeights(w, shape.m, shape.k);
}

std::vector<int32_t>
IntegerGemm::foldBias(const std::vector<int32_t> &w,
                      const std::vector<int32_t> &b) const {
  return packing.foldBias(
      w, shape.m, shape.k,
      shape.activationZeroPoint + (shape.activationsSigned ? 128 : 0), b);
}

void IntegerGemm::setWeights(const std::vector<int32_t> &w,
                             const std::vector<int32_t> &b) {
  const IntegerGemmShape &s = shape;
  std::vector<int16_t> packed = packWeights(w);
  std::array<int64_t, 3> e = packing.weightExtents(s.m, s.k);
  packedWeights =
      Buffer<>(Int(packing.weightBits), {int(e[0]), int(e[1]), int(e[2])});
  size_t i = 0;
  if (packing.weightBits == 8)
    packedWeights.as<int8_t>().for_each_value(
        [&](int8_t &v) { v = int8_t(packed[i++]); });
  else
    packedWeights.as<int16_t>().for_each_value(
        [&](int16_t &v) { v = packed[i++]; });
  std::vector<int32_t> folded = foldBias(w, b);
  foldedBias = Buffer<int32_t>(int(s.m));
  std::copy(folded.begin(), folded.end(), foldedBias.data());
  weights.set(packedWeights);
  bias.set(foldedBias);
}

void IntegerGemm::run(const Buffer<> &a, Buffer<int32_t> &out) {
  activations.set(a);
  realizeInto(output, out, target);
}

std::vector<int32_t> IntegerGemm::run(const std::vector<int32_t> &values) {
  const int N = int(shape.n), K = int(shape.k);
  Buffer<> a(activations.type(), {N, K});
  // Dense, dimension 0 (columns) innermost: the row-major order.
  for (size_t i = 0; i < values.size(); ++i)
    if (shape.bits == 8)
      static_cast<uint8_t *>(a.data())[i] = uint8_t(values[i]);
    else
      static_cast<int16_t *>(a.data())[i] = int16_t(values[i]);
  std::vector<int32_t> out(size_t(shape.m * shape.n));
  Buffer<int32_t> ob(out.data(), N, int(shape.m));
  run(a, ob);
  return out;
}

void IntegerGemm::compileTo(const KernelOutputs &files,
                            const std::string &name) {
  std::vector<Argument> args = {activations, weights, bias};
  if (requantize)
    args.insert(args.end(), {multiplier, shift});
  compileOutputs(output, args, files, name, target);
}

} // namespace qnnc::codegen
