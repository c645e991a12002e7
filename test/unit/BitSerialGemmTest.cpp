// The bit-serial GEMM pipeline against a scalar reference: every
// weight/activation bit-width pair 1..4 in unsigned, two's complement and
// bipolar encodings, shapes that are multiples of no tile or vector size, and
// each x86 vector ISA this machine executes. Integer results must be identical.

#include "qnn/Codegen/BitSerialGemm.h"
#include "ReadText.h"
#include "X86Targets.h"
#include "qnn/Codegen/ActivationPacker.h"
#include "qnn/Codegen/GemmTiling.h"
#include "qnn/Codegen/IntegerGemm.h"
#include "qnn/Codegen/PackedIm2Col.h"
#include "qnn/Codegen/PackedMaxPool.h"

#include <gtest/gtest.h>

#include <random>
#include <tuple>

using namespace qnnc::codegen;

namespace {

std::vector<int64_t> randomValues(const Operand &op, size_t count,
                                  std::mt19937_64 &rng) {
  std::vector<int64_t> v(count);
  int64_t lo = op.encoding == Encoding::TwosComplement
                   ? -(int64_t(1) << (op.bits - 1))
                   : 0;
  int64_t hi = op.encoding == Encoding::TwosComplement
                   ? (int64_t(1) << (op.bits - 1)) - 1
                   : (int64_t(1) << op.bits) - 1;
  std::uniform_int_distribution<int64_t> d(lo, hi);
  for (int64_t &x : v)
    x = op.encoding == Encoding::Bipolar ? (rng() & 1 ? 1 : -1) : d(rng);
  return v;
}

std::vector<int32_t> reference(const std::vector<int64_t> &w,
                               const std::vector<int64_t> &a, int64_t m,
                               int64_t k, int64_t n) {
  std::vector<int32_t> c(size_t(m * n), 0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      int64_t s = 0;
      for (int64_t p = 0; p < k; ++p)
        s += w[i * k + p] * a[p * n + j];
      c[i * n + j] = int32_t(s);
    }
  return c;
}

void checkValues(const GemmShape &shape, const GemmSchedule &schedule,
                 const Halide::Target &target, const std::vector<int64_t> &w,
                 const std::vector<int64_t> &a) {
  BitSerialGemm gemm(shape, schedule, target);
  auto got = gemm.run(packRows(w, shape.m, shape.k, shape.weights),
                      packColumnPanels(a, shape.k, shape.n, gemm.panelWidth(),
                                       shape.activations));
  EXPECT_EQ(got, reference(w, a, shape.m, shape.k, shape.n))
      << "M=" << shape.m << " K=" << shape.k << " N=" << shape.n << " target "
      << target.to_string();
}

void check(const GemmShape &shape, const GemmSchedule &schedule,
           const Halide::Target &target, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto w = randomValues(shape.weights, shape.m * shape.k, rng);
  auto a = randomValues(shape.activations, shape.k * shape.n, rng);
  checkValues(shape, schedule, target, w, a);
}

using Halide::Target;
using qnnc::test::x86Targets;

struct Case {
  int wBits, aBits;
  Encoding w, a;
};

class BitWidths : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

TEST_P(BitWidths, OddShapesOnEveryX86Variant) {
  auto [wBits, aBits, encodings] = GetParam();
  GemmShape shape;
  shape.m = 7, shape.k = 65, shape.n = 3;
  shape.weights = {wBits, encodings & 1 ? Encoding::TwosComplement
                                        : Encoding::Unsigned};
  shape.activations = {aBits, encodings & 2 ? Encoding::TwosComplement
                                            : Encoding::Unsigned};
  for (const Target &t : x86Targets())
    check(shape, GemmSchedule{}, t, 1000 * wBits + 10 * aBits + encodings);
}

INSTANTIATE_TEST_SUITE_P(AllPairs, BitWidths,
                         ::testing::Combine(::testing::Range(1, 5),
                                            ::testing::Range(1, 5),
                                            ::testing::Values(0, 1, 3)));

TEST(BitSerialGemm, BipolarWeightsAndActivations) {
  GemmShape shape;
  shape.m = 9, shape.k = 130, shape.n = 17;
  shape.weights = {1, Encoding::Bipolar};
  shape.activations = {1, Encoding::Bipolar};
  for (const Target &t : x86Targets())
    check(shape, GemmSchedule{}, t, 7);
}

TEST(BitSerialGemm, PlanePairAccumulators) {
  // One accumulator per plane pair (weighted per output) where the tile's
  // registers allow, on a long K (18 words) and on a short one with a partial
  // word (6): W1A2 with 2 x 2 tiles, W2A2 (negative two's complement plane
  // weight) with 1 x 2 tiles; W1A2 with 4 x 2 and W2A2 with 2 x 2 tiles keep
  // one accumulator.
  for (int64_t k : {1100, 363}) {
    GemmShape shape;
    shape.m = 11, shape.k = k, shape.n = 21;
    shape.weights = {1, Encoding::Bipolar};
    shape.activations = {2, Encoding::Unsigned};
    for (const Target &t : x86Targets()) {
      check(shape, GemmSchedule{2, 2, false}, t, 12);
      check(shape, GemmSchedule{4, 2, false}, t, 15);
    }
    shape.weights = {2, Encoding::TwosComplement};
    for (const Target &t : x86Targets()) {
      check(shape, GemmSchedule{1, 2, false}, t, 13);
      check(shape, GemmSchedule{2, 2, false}, t, 14);
    }
  }
}

TEST(BitSerialGemm, HalfWordUnitsOnAvx512) {
  // With VPOPCNTDQ a serial GEMM reads its words as 32-bit halves into 32-bit
  // accumulators, and fully unrolls a short K (halves x activation planes <=
  // 18, or 24 with two planes: 363 unrolls for A1 and A2). Shapes: K unrolled
  // (363: 12 halves) and looped (1100), a partial
  // last panel (N = 40) and row tile (M = 13), every correction path (XNOR,
  // column popcounts for bipolar weights, row popcounts for bipolar
  // activations), plane-pair accumulators (W1A2 with 2 x 2 tiles). The other
  // x86 variants keep 64-bit units: the same cases against the same
  // reference.
  Target host = Halide::get_host_target();
  GemmShape probe;
  probe.m = 13, probe.k = 363, probe.n = 40;
  probe.weights = probe.activations = {1, Encoding::Bipolar};
  if (host.has_feature(Target::AVX512_SapphireRapids)) {
    EXPECT_EQ(BitSerialGemm(probe, GemmSchedule{}, host).operandBits(), 32);
    EXPECT_EQ(
        BitSerialGemm(probe, GemmSchedule{4, 2, true}, host).operandBits(), 32)
        << "parallel schedules run panel tasks on 32-bit halves too";
    ThresholdEpilogue pixels{1, 2, -1, {1, Encoding::Bipolar}, 1};
    EXPECT_EQ(BitSerialGemm(probe, GemmSchedule{4, 2, true}, host, pixels)
                  .operandBits(),
              32)
        << "a fused epilogue packing pixels runs pixel-block tasks on halves";
  }
  uint64_t seed = 40;
  for (int64_t k : {363, 1100})
    for (auto [w, a] :
         {std::pair<Operand, Operand>{{1, Encoding::Bipolar},
                                      {1, Encoding::Bipolar}},
          {{1, Encoding::Bipolar}, {2, Encoding::Unsigned}},
          {{2, Encoding::TwosComplement}, {1, Encoding::Bipolar}},
          {{2, Encoding::TwosComplement}, {2, Encoding::Unsigned}}}) {
      GemmShape shape = probe;
      shape.k = k, shape.weights = w, shape.activations = a;
      for (const Target &t : x86Targets()) {
        check(shape, GemmSchedule{}, t, seed);
        check(shape, GemmSchedule{2, 2, false}, t, seed + 1);
        check(shape, GemmSchedule{4, 2, true}, t, seed + 2);
      }
      seed += 3;
    }
}

TEST(BitSerialGemm, DepthOfOneHalfWord) {
  // K <= 32: one 32-bit unit on AVX-512 (the panel's halves deinterleaved in
  // pairs must not reach before word 0), and a 1x1 conv over few channels or
  // a 3x3 one over one channel has such a K. Serial, parallel and with panel
  // groups (N = 512); bit-exact against the reference on every x86 variant
  // (parallel on the host's).
  GemmShape shape;
  shape.m = 13;
  uint64_t seed = 90;
  for (int64_t k : {9, 32})
    for (int64_t n : {40, 512})
      for (auto [w, a] :
           {std::pair<Operand, Operand>{{1, Encoding::Bipolar},
                                        {1, Encoding::Bipolar}},
            {{1, Encoding::Bipolar}, {2, Encoding::Unsigned}},
            {{2, Encoding::TwosComplement}, {2, Encoding::Unsigned}}}) {
        shape.k = k, shape.n = n, shape.weights = w, shape.activations = a;
        for (const Target &t : x86Targets())
          check(shape, GemmSchedule{4, 2, false}, t, seed++);
        check(shape, GemmSchedule{4, 2, true}, Halide::get_host_target(),
              seed++);
      }
}

TEST(BitSerialGemm, PopcountsAtTheirLimits) {
  // Operands that make every popcount its maximum (all bits set, or all
  // differing for XNOR) and the opposite, on long K with a partial last word:
  // any accumulator too narrow for K, or a padding bit that counts, shows.
  struct Case {
    Operand a;
    int64_t k, w, value, other;
  };
  for (Case c : {Case{{1, Encoding::Bipolar}, 64 * 71 + 5, 1, -1, 1},
                 Case{{2, Encoding::Unsigned}, 64 * 23 + 3, 1, 3, 0},
                 Case{{3, Encoding::Unsigned}, 64 * 9 + 1, 1, 7, 0}}) {
    GemmShape shape;
    shape.m = 5, shape.k = c.k, shape.n = 11;
    shape.weights = {1, Encoding::Bipolar};
    shape.activations = c.a;
    // Rows alternate all +1 and all -1; columns are all `value` except the
    // last, which is all `other`.
    std::vector<int64_t> w(size_t(shape.m * shape.k)), a(size_t(c.k * 11));
    for (int64_t i = 0; i < shape.m; ++i)
      for (int64_t p = 0; p < c.k; ++p)
        w[size_t(i * c.k + p)] = i % 2 ? -c.w : c.w;
    for (int64_t p = 0; p < c.k; ++p)
      for (int64_t j = 0; j < 11; ++j)
        a[size_t(p * 11 + j)] = j == 10 ? c.other : c.value;
    for (const Target &t : x86Targets())
      checkValues(shape, GemmSchedule{4, 2, false}, t, w, a);
  }
}

TEST(BitSerialGemm, BipolarWeightsTwoBitActivations) {
  GemmShape shape;
  shape.m = 13, shape.k = 200, shape.n = 33;
  shape.weights = {1, Encoding::Bipolar};
  shape.activations = {2, Encoding::TwosComplement};
  for (const Target &t : x86Targets())
    check(shape, GemmSchedule{6, 1, false}, t, 8);
}

TEST(BitSerialGemm, GemvAndLargerTilesInParallel) {
  GemmShape shape;
  shape.m = 37, shape.k = 1000, shape.n = 1;
  shape.weights = {1, Encoding::Bipolar};
  shape.activations = {2, Encoding::Unsigned};
  check(shape, GemmSchedule{8, 1, true}, Halide::get_host_target(), 9);
  shape.n = 70;
  check(shape, GemmSchedule{5, 4, true}, Halide::get_host_target(), 10);
  // 38 panels (of 16 columns on AVX-512, 8 on AVX2) in parallel tasks of
  // 3 (or 5): the last task is partial, the last panel too.
  shape.m = 29, shape.k = 363, shape.n = 16 * 37 + 5;
  shape.weights = shape.activations = {1, Encoding::Bipolar};
  check(shape, GemmSchedule{4, 2, true}, Halide::get_host_target(), 12);
  // 76 row tiles in 16 parallel tasks of 5: the last task holds one tile.
  shape.m = 301, shape.k = 1000, shape.n = 1;
  shape.activations = {1, Encoding::Bipolar};
  check(shape, GemmSchedule{4, 2, true}, Halide::get_host_target(), 11);
}

TEST(BitSerialGemm, PanelGroupsForResultRowsKilobytesApart) {
  // N a multiple of 512: int32 result rows a multiple of 2 KB apart, where the
  // row tiles of 16 panels run in turn (a cache-set conflict otherwise). A
  // short K (unrolled on AVX-512) and a long one, plane pairs, serial and
  // parallel; on AVX-512 the 2 x 6 tile's 48-column panels leave a partial
  // last group (22 panels) and a partial last panel, and in parallel 2 groups
  // become tasks of a group x a block of row tiles. Bit-exact against the
  // reference.
  GemmShape shape;
  shape.m = 29, shape.n = 1024;
  if (Halide::get_host_target().arch == Target::X86) {
    shape.k = 363, shape.weights = shape.activations = {1, Encoding::Bipolar};
    EXPECT_EQ(BitSerialGemm(shape, GemmSchedule{}, Halide::get_host_target())
                  .panelGroup(),
              16);
    GemmShape other = shape;
    other.n = 1008;
    EXPECT_EQ(BitSerialGemm(other, GemmSchedule{}, Halide::get_host_target())
                  .panelGroup(),
              1);
  }
  uint64_t seed = 70;
  for (auto [k, w, a] :
       {std::tuple<int64_t, Operand, Operand>{
            363, {1, Encoding::Bipolar}, {1, Encoding::Bipolar}},
        {363, {1, Encoding::Bipolar}, {2, Encoding::Unsigned}},
        {130, {2, Encoding::TwosComplement}, {2, Encoding::Unsigned}},
        {1100, {1, Encoding::Bipolar}, {1, Encoding::Bipolar}}}) {
    shape.k = k, shape.weights = w, shape.activations = a;
    for (const Target &t : x86Targets()) {
      check(shape, GemmSchedule{4, 2, false}, t, seed++);
      check(shape, GemmSchedule{4, 2, true}, t, seed++);
      check(shape, GemmSchedule{2, 6, true}, t, seed++);
    }
  }
}

TEST(BitSerialGemm, GemvTiledWeightsOnOddShapes) {
  // GEMV weights are re-laid out in row tiles, rows across the vector lanes
  // (GemvTiles): tiles asked for as a number of rows that is no multiple of
  // the vector (6: rounded up per target), M not a multiple of the tile, a
  // partial last tile of several vectors (40 rows for 45), and each
  // correction path (row popcounts for bipolar activations, column popcounts
  // for bipolar weights, XNOR).
  struct Case {
    Operand w, a;
    int64_t m, k;
    GemmSchedule schedule;
  };
  uint64_t seed = 30;
  for (const Case &c : {Case{{2, Encoding::Unsigned},
                             {1, Encoding::Bipolar},
                             29,
                             64 * 13 + 7,
                             GemmSchedule{6, 2, false}},
                        Case{{1, Encoding::Bipolar},
                             {2, Encoding::TwosComplement},
                             17,
                             150,
                             GemmSchedule{4, 1, false}},
                        Case{{1, Encoding::Bipolar},
                             {1, Encoding::Bipolar},
                             45,
                             64 * 21 + 33,
                             GemmSchedule{8, 4, true}},
                        Case{{1, Encoding::Bipolar},
                             {1, Encoding::Bipolar},
                             45,
                             64 * 3 + 1,
                             GemmSchedule{40, 1, false}}}) {
    GemmShape shape;
    shape.m = c.m, shape.k = c.k, shape.n = 1;
    shape.weights = c.w, shape.activations = c.a;
    for (const Target &t : x86Targets())
      check(shape, c.schedule, t, seed++);
  }
}

TEST(BitSerialGemm, GemvPrefetchesItsWeightStream) {
  // A GEMV tile of one 64-byte line of rows (kGemvTileRows) prefetches its
  // weight stream on x86; wider tiles do not, since Halide 14 would misplace
  // the prefetches of their further lines (see the schedule). Compile-only:
  // the results of the prefetching kernels are checked above (rows 6 and 8,
  // 2-bit weights, prefetches past the last tile).
  GemmShape shape;
  shape.m = 256, shape.k = 4096, shape.n = 1;
  shape.weights = shape.activations = {1, Encoding::Bipolar};
  auto prefetches = [&](int rows, const char *target) {
    BitSerialGemm gemm(shape, GemmSchedule{rows, 1, false}, Target(target));
    std::string path = testing::TempDir() + "gemv_prefetch.s";
    gemm.compileToAssembly(path, "gemv");
    return qnnc::test::takeText(path).find("prefetch") != std::string::npos;
  };
  EXPECT_TRUE(prefetches(int(kGemvTileRows), "x86-64-linux-avx512_skylake"));
  EXPECT_TRUE(prefetches(int(kGemvTileRows), "x86-64-linux-avx2"));
  EXPECT_FALSE(prefetches(32, "x86-64-linux-avx512_skylake"));
}

} // namespace

namespace {

TEST(ActivationPacker, MatchesScalarPackingOnOddShapes) {
  std::mt19937_64 rng(3);
  for (Operand op :
       {Operand{1, Encoding::Bipolar}, Operand{2, Encoding::Unsigned},
        Operand{3, Encoding::TwosComplement}, Operand{4, Encoding::Unsigned}}) {
    for (auto [k, n] :
         {std::pair<int64_t, int64_t>{65, 3}, {200, 33}, {64, 16}, {5, 70}}) {
      auto values = randomValues(op, k * n, rng);
      std::vector<int8_t> bytes(values.begin(), values.end());
      for (int64_t panel : {1, 8, 16}) {
        ActivationPacker packer(k, n, panel, op, Halide::get_host_target());
        EXPECT_EQ(packer.run(bytes), packColumnPanels(values, k, n, panel, op))
            << "bits " << op.bits << " K=" << k << " N=" << n << " panel "
            << panel;
      }
    }
  }
  // Rows wider than a byte vector on every ISA (the last vector of columns
  // shifted inwards, padding columns of the last panel) and K off the word.
  for (Operand op :
       {Operand{1, Encoding::Bipolar}, Operand{2, Encoding::Unsigned}})
    for (auto [k, n] : {std::pair<int64_t, int64_t>{130, 169}, {77, 64}}) {
      auto values = randomValues(op, k * n, rng);
      std::vector<int8_t> bytes(values.begin(), values.end());
      for (const Halide::Target &t : x86Targets()) {
        ActivationPacker packer(k, n, 16, op, t);
        EXPECT_EQ(packer.run(bytes), packColumnPanels(values, k, n, 16, op))
            << "bits " << op.bits << " K=" << k << " N=" << n << " "
            << t.to_string();
      }
    }
  // A GEMV's column: words vectorized across K. 1,000 rows: 15 whole words
  // and a partial one; 700: 10 and a partial one (on AVX-512 the second
  // vector of 8 words shifted inwards onto the first).
  for (auto [op, k] :
       {std::pair<Operand, int64_t>{{1, Encoding::Bipolar}, 1000},
        {{1, Encoding::Bipolar}, 700},
        {{2, Encoding::Unsigned}, 700},
        {{3, Encoding::TwosComplement}, 700}}) {
    auto values = randomValues(op, k, rng);
    std::vector<int8_t> bytes(values.begin(), values.end());
    for (const Halide::Target &t : x86Targets()) {
      ActivationPacker packer(k, 1, 1, op, t);
      EXPECT_EQ(packer.run(bytes), packColumnPanels(values, k, 1, 1, op))
          << "bits " << op.bits << " K=" << k << " " << t.to_string();
    }
  }
}

} // namespace

namespace {

// GEMM -> multithreshold -> bit-packing for the next layer in one pipeline,
// against the scalar chain reference GEMM, threshold counting and
// packColumnPanels.
TEST(BitSerialGemm, FusedThresholdPackEpilogue) {
  std::mt19937_64 rng(11);
  struct Case {
    int64_t m, k, n;
    Operand w, a, next;
    int thresholds;
    int64_t scale, bias;
  };
  for (const Case &c : {Case{70,
                             100,
                             5,
                             {1, Encoding::Bipolar},
                             {1, Encoding::Bipolar},
                             {1, Encoding::Bipolar},
                             1,
                             2,
                             -1},
                        Case{13,
                             65,
                             19,
                             {1, Encoding::Bipolar},
                             {2, Encoding::Unsigned},
                             {2, Encoding::Unsigned},
                             3,
                             1,
                             0},
                        // K of 18 words: plane-pair accumulators.
                        Case{21,
                             1100,
                             10,
                             {1, Encoding::Bipolar},
                             {2, Encoding::Unsigned},
                             {2, Encoding::Unsigned},
                             3,
                             1,
                             0},
                        Case{130,
                             200,
                             1,
                             {2, Encoding::TwosComplement},
                             {2, Encoding::Unsigned},
                             {2, Encoding::TwosComplement},
                             3,
                             1,
                             -2},
                        // Packed pixels from 32-bit halves of channel bits
                        // on every ISA (N past a panel): a partial last half
                        // (100 = 3 x 32 + 4 channels), and 40 channels with
                        // a bipolar next layer, a partial last block.
                        Case{100,
                             150,
                             40,
                             {1, Encoding::Bipolar},
                             {2, Encoding::Unsigned},
                             {2, Encoding::Unsigned},
                             3,
                             1,
                             0},
                        Case{40,
                             70,
                             33,
                             {1, Encoding::Bipolar},
                             {1, Encoding::Bipolar},
                             {1, Encoding::Bipolar},
                             1,
                             2,
                             -1},
                        // K of one 32-bit half (a 3x3 conv over one
                        // channel).
                        Case{20,
                             9,
                             100,
                             {1, Encoding::Bipolar},
                             {2, Encoding::Unsigned},
                             {2, Encoding::Unsigned},
                             3,
                             1,
                             0},
                        // Enough pixel blocks that parallel tasks hold
                        // several and the last task fewer (38 blocks of 16
                        // pixels on AVX-512 in tasks of 3).
                        Case{70,
                             300,
                             600,
                             {1, Encoding::Bipolar},
                             {2, Encoding::Unsigned},
                             {2, Encoding::Unsigned},
                             3,
                             1,
                             0}}) {
    GemmShape shape{c.m, c.k, c.n, c.w, c.a};
    auto w = randomValues(c.w, c.m * c.k, rng);
    auto a = randomValues(c.a, c.k * c.n, rng);
    auto ref = reference(w, a, c.m, c.k, c.n);
    std::vector<int32_t> t(c.m * c.thresholds);
    std::uniform_int_distribution<int32_t> d(-20, 20);
    for (int64_t m = 0; m < c.m; ++m) { // sorted thresholds per channel
      std::vector<int32_t> row(c.thresholds);
      for (auto &x : row)
        x = d(rng);
      std::sort(row.begin(), row.end());
      std::copy(row.begin(), row.end(), t.begin() + m * c.thresholds);
    }
    // The next layer's activations are this layer's output channels: K' = M, N'
    // = N.
    std::vector<int64_t> levels(c.m * c.n);
    for (int64_t m = 0; m < c.m; ++m)
      for (int64_t n = 0; n < c.n; ++n) {
        int64_t count = 0;
        for (int i = 0; i < c.thresholds; ++i)
          count += ref[m * c.n + n] >= t[m * c.thresholds + i];
        levels[m * c.n + n] = c.bias + c.scale * count;
      }
    // Output panels of 8 columns, and of 1 (packed pixels of a convolution:
    // the blocked, pixel-vectorized epilogue), serial and in parallel (row
    // tiles as tasks for column panels, pixel blocks for packed pixels).
    for (int64_t width : {8, 1})
      for (bool parallel : {false, true})
        for (const Halide::Target &target : x86Targets()) {
          ThresholdEpilogue e{c.thresholds, c.scale, c.bias, c.next, width};
          BitSerialGemm gemm(shape, GemmSchedule{4, 2, parallel}, target, e);
          auto got = gemm.runFused(
              packRows(w, c.m, c.k, c.w),
              packColumnPanels(a, c.k, c.n, gemm.panelWidth(), c.a), t);
          EXPECT_EQ(got, packColumnPanels(levels, c.m, c.n, width, c.next))
              << "M=" << c.m << " N=" << c.n << " width " << width
              << (parallel ? " parallel" : " serial") << " target "
              << target.to_string();
        }
  }
}

} // namespace

namespace {

// Convolution through channel-interleaved packed im2col + the bit-serial GEMM
// against a direct integer convolution (zero padding): strides, dilations,
// asymmetric padding, channel counts that are not multiples of 64 (whole
// words, 32/16/8-bit units and C-bit fields per kernel position), several
// bit-widths, the im2col serial and in parallel panel tasks; bit-exact.
TEST(PackedConv, MatchesDirectConvolution) {
  std::mt19937_64 rng(21);
  struct Case {
    ConvShape conv;
    int64_t m;
    Operand w;
  };
  auto conv = [](int64_t h, int64_t w, int64_t c, int64_t k, int64_t stride,
                 int64_t dil, int64_t pt, int64_t pl, int64_t pb, int64_t pr,
                 Operand a) {
    ConvShape s;
    s.h = h, s.w = w, s.c = c, s.kh = k, s.kw = k,
    s.strideY = s.strideX = stride;
    s.dilationY = s.dilationX = dil, s.padTop = pt, s.padLeft = pl,
    s.padBottom = pb;
    s.padRight = pr, s.activations = a;
    return s;
  };
  for (const Case &c :
       {Case{conv(7, 6, 3, 3, 1, 1, 1, 1, 1, 1, {2, Encoding::Unsigned}),
             5,
             {1, Encoding::Bipolar}},
        Case{conv(9, 9, 70, 3, 2, 1, 0, 1, 2, 0, {1, Encoding::Unsigned}),
             4,
             {2, Encoding::TwosComplement}},
        Case{conv(8, 7, 16, 2, 1, 2, 1, 0, 0, 1, {3, Encoding::TwosComplement}),
             3,
             {1, Encoding::Bipolar}},
        Case{conv(5, 5, 130, 1, 1, 1, 0, 0, 0, 0, {1, Encoding::Bipolar}),
             2,
             {1, Encoding::Bipolar}},
        // Channel counts that pack tighter than whole words per kernel
        // position (convUnitBits): 32-bit units with the row ending inside
        // a word, 8-bit units with stride and padding, and XNOR over 8-bit
        // units where the row's padding must not count as matches.
        Case{conv(6, 5, 96, 3, 1, 1, 1, 1, 1, 1, {2, Encoding::Unsigned}),
             5,
             {1, Encoding::Bipolar}},
        Case{conv(7, 7, 24, 3, 2, 1, 1, 1, 0, 0, {1, Encoding::Unsigned}),
             3,
             {2, Encoding::TwosComplement}},
        Case{conv(9, 9, 8, 5, 1, 1, 0, 0, 0, 0, {1, Encoding::Bipolar}),
             4,
             {1, Encoding::Bipolar}},
        // Channel counts no unit divides, C bits per position at any bit
        // offset (convBitFields): one channel (9 bits of a word), fields
        // crossing words (3 channels, 11x11, stride 4), stride with
        // dilation and asymmetric padding, 12 channels, and XNOR with the
        // row ending inside a word.
        Case{conv(6, 7, 1, 3, 1, 1, 1, 1, 1, 1, {2, Encoding::Unsigned}),
             3,
             {1, Encoding::Bipolar}},
        Case{conv(23, 21, 3, 11, 4, 1, 2, 2, 2, 2, {2, Encoding::Unsigned}),
             5,
             {1, Encoding::Bipolar}},
        Case{conv(11, 10, 5, 3, 2, 2, 1, 0, 2, 1, {1, Encoding::Unsigned}),
             4,
             {2, Encoding::TwosComplement}},
        Case{conv(7, 6, 12, 2, 1, 1, 0, 1, 1, 0, {3, Encoding::TwosComplement}),
             3,
             {1, Encoding::Bipolar}},
        Case{conv(8, 9, 7, 3, 1, 1, 0, 0, 0, 0, {1, Encoding::Bipolar}),
             4,
             {1, Encoding::Bipolar}},
        // Kernels 5 wide and more read each kernel row as one run of kw * C
        // bits from compacted image rows: one channel with padding, 2
        // channels with stride and asymmetric padding, 12 channels (60-bit
        // runs), 7 channels x 9 (63 bits) with a vertical dilation.
        Case{conv(9, 8, 1, 5, 1, 1, 2, 2, 2, 2, {2, Encoding::Unsigned}),
             3,
             {1, Encoding::Bipolar}},
        Case{conv(17, 15, 2, 7, 2, 1, 3, 1, 2, 0, {1, Encoding::Unsigned}),
             4,
             {2, Encoding::TwosComplement}},
        Case{conv(9, 10, 12, 5, 1, 1, 1, 2, 0, 1, {2, Encoding::Unsigned}),
             3,
             {1, Encoding::Bipolar}},
        Case{[&] {
               ConvShape s =
                   conv(14, 12, 7, 9, 1, 1, 0, 0, 0, 0, {1, Encoding::Bipolar});
               s.kh = 3, s.dilationY = 2;
               return s;
             }(),
             2,
             {1, Encoding::Bipolar}}}) {
    const ConvShape &s = c.conv;
    auto x = randomValues(s.activations, s.h * s.w * s.c, rng); // HWC
    auto w = randomValues(c.w, c.m * s.c * s.kh * s.kw, rng);   // MCHW
    int64_t oh = s.outH(), ow = s.outW(), n = oh * ow;
    std::vector<int32_t> expected(c.m * n, 0);
    for (int64_t o = 0; o < c.m; ++o)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          int64_t sum = 0;
          for (int64_t ch = 0; ch < s.c; ++ch)
            for (int64_t ky = 0; ky < s.kh; ++ky)
              for (int64_t kx = 0; kx < s.kw; ++kx) {
                int64_t iy = oy * s.strideY - s.padTop + ky * s.dilationY;
                int64_t ix = ox * s.strideX - s.padLeft + kx * s.dilationX;
                if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w)
                  continue;
                sum += w[((o * s.c + ch) * s.kh + ky) * s.kw + kx] *
                       x[(iy * s.w + ix) * s.c + ch];
              }
          expected[o * n + oy * ow + ox] = int32_t(sum);
        }
    if (s.activations.encoding == Encoding::Bipolar && s.padTop + s.padLeft > 0)
      continue; // bipolar activations pad with -1, not 0 (documented); no
                // padding here
    GemmShape shape{c.m, s.gemmK(), n, c.w, s.activations, s.validK()};
    for (const Halide::Target &target : x86Targets()) {
      BitSerialGemm gemm(shape, GemmSchedule{}, target);
      auto weights = packConvWeights(w, c.m, s.c, s.kh, s.kw, c.w);
      for (bool parallel : {false, true}) {
        PackedIm2Col im2col(s, gemm.panelWidth(), target, parallel);
        auto columns = im2col.run(packPixels(x, s.h, s.w, s.c, s.activations));
        EXPECT_EQ(gemm.run(weights, columns), expected)
            << "conv " << s.h << "x" << s.w << "x" << s.c << " k" << s.kh
            << " target " << target.to_string()
            << (parallel ? ", parallel im2col" : "");
      }
    }
  }
}

} // namespace

namespace {

// First layers: 8-bit activations with binary weights run on the same kernel,
// one popcount pass per activation bit-plane (seed 000's addition technique in
// bit-serial form).
TEST(BitSerialGemm, BinaryWeightsEightBitActivations) {
  GemmShape shape;
  shape.m = 11, shape.k = 147, shape.n = 29;
  shape.weights = {1, Encoding::Bipolar};
  shape.activations = {8, Encoding::Unsigned};
  for (const Halide::Target &t : x86Targets())
    check(shape, GemmSchedule{}, t, 12);
  shape.activations = {8, Encoding::TwosComplement};
  check(shape, GemmSchedule{}, Halide::get_host_target(), 13);
}

} // namespace

namespace {

// The 8/16-bit integer GEMM against int64 sums wrapped to int32, bit-exact:
// GEMM tiles, GEMV-shaped (N below a vector, M below a vector) and a single
// row, K off every group and tile, full-range operands (u8, s8, s16), a zero
// point and a bias.
TEST(IntegerGemm, MatchesScalarReferenceOnEveryX86Variant) {
  std::mt19937_64 rng(31);
  // 8-bit with signed activations too (the kernel offsets them by 128).
  for (int variant : {8, 16, -8})
    for (auto [m, k, n] : {std::tuple<int64_t, int64_t, int64_t>{7, 65, 3},
                           {9, 300, 37},
                           {16, 64, 32},
                           {37, 1001, 1},
                           {40, 129, 2},
                           {13, 67, 48},
                           {1, 50, 3}}) {
      const int bits = std::abs(variant);
      const bool signedBytes = variant < 0;
      int32_t zeroPoint = bits == 16 ? -77 : signedBytes ? -5 : 128;
      std::vector<int32_t> w(m * k), a(k * n), bias(m);
      for (auto &x : w)
        x = bits == 8 ? int32_t(rng() % 256) - 128
                      : int32_t(rng() % 65536) - 32768;
      for (auto &x : a)
        x = bits == 16    ? int32_t(rng() % 65536) - 32768
            : signedBytes ? int32_t(rng() % 256) - 128
                          : int32_t(rng() % 256);
      for (auto &x : bias)
        x = int32_t(rng() % 2001) - 1000;
      // Extremes in the first row and column: -128 x 255, -32768 x -32768.
      for (int64_t p = 0; p < k; ++p) {
        w[p] = bits == 8 ? -128 : -32768;
        a[p * n] = bits == 16 ? -32768 : signedBytes ? -128 : 255;
      }
      std::vector<int32_t> expected(m * n);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          int64_t s = bias[i];
          for (int64_t p = 0; p < k; ++p)
            s += int64_t(w[i * k + p]) * (a[p * n + j] - zeroPoint);
          expected[i * n + j] = int32_t(uint32_t(uint64_t(s)));
        }
      for (const Halide::Target &t : x86Targets()) {
        IntegerGemm gemm(
            IntegerGemmShape{m, k, n, bits, zeroPoint, signedBytes}, t);
        gemm.setWeights(w, bias);
        EXPECT_EQ(gemm.run(a), expected) << variant << "-bit " << m << "x" << k
                                         << "x" << n << " " << t.to_string();
      }
    }
}

} // namespace

namespace {

// Max pooling on packed activations (bitwise OR of channel words for one bit,
// bit-sliced maximum for 2 and 3 unsigned bits) against pooling the unpacked
// values; padding never wins; two's complement operands are refused.
TEST(PackedMaxPool, MatchesUnpackedPooling) {
  std::mt19937_64 rng(41);
  for (Operand op :
       {Operand{1, Encoding::Bipolar}, Operand{1, Encoding::Unsigned},
        Operand{2, Encoding::Unsigned}, Operand{3, Encoding::Unsigned}}) {
    for (PoolShape s : {PoolShape{6, 7, 70, 2, 2, 2, 2, 0, 0, 0, 0},
                        PoolShape{5, 5, 200, 3, 3, 2, 2, 1, 1, 1, 1},
                        PoolShape{4, 9, 3, 3, 2, 1, 3, 0, 1, 2, 0},
                        // One word per pixel, a vector of output pixels
                        // (the example's pool; padded, 11 columns).
                        PoolShape{28, 28, 16, 2, 2, 2, 2, 0, 0, 0, 0},
                        PoolShape{19, 21, 40, 3, 3, 2, 2, 1, 1, 1, 1}}) {
      auto x = randomValues(op, s.h * s.w * s.c, rng);
      int64_t oh = s.outH(), ow = s.outW();
      std::vector<int64_t> expected(oh * ow * s.c);
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox)
          for (int64_t ch = 0; ch < s.c; ++ch) {
            int64_t best = INT64_MIN;
            for (int64_t ky = 0; ky < s.kh; ++ky)
              for (int64_t kx = 0; kx < s.kw; ++kx) {
                int64_t iy = oy * s.strideY - s.padTop + ky,
                        ix = ox * s.strideX - s.padLeft + kx;
                if (iy >= 0 && iy < s.h && ix >= 0 && ix < s.w)
                  best = std::max(best, x[(iy * s.w + ix) * s.c + ch]);
              }
            expected[(oy * ow + ox) * s.c + ch] = best;
          }
      PackedMaxPool pool(s, op, Halide::get_host_target());
      EXPECT_EQ(pool.run(packPixels(x, s.h, s.w, s.c, op)),
                packPixels(expected, oh, ow, s.c, op))
          << s.h << "x" << s.w << "x" << s.c << " k" << s.kh << "x" << s.kw;
    }
  }
  EXPECT_THROW(PackedMaxPool(PoolShape{}, Operand{2, Encoding::TwosComplement},
                             Halide::get_host_target()),
               std::invalid_argument);
}

} // namespace
