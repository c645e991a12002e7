//===- gemm_bench.cpp - Bit-serial GEMM vs fp32 and int8 baselines --------===//
//
// Runs, in one process, qnnc's bit-serial kernels (W1A1, W1A2, W2A2; kernel
// only and with activation packing) and the baselines OpenBLAS cblas_sgemm and
// oneDNN dnnl_gemm_u8s8s32 on seed 001's AlexNet shapes. Reports GOPS = 2*M*K*N
// / time as a counter; compare ratios within one run, not absolute numbers
// across runs (the machine is shared).
//
//   build/bin/qnnc-bench-gemm [--benchmark_filter=...]
//
//===----------------------------------------------------------------------===//

#include "qnn/Codegen/ActivationPacker.h"
#include "qnn/Codegen/BitSerialGemm.h"
#include "qnn/Codegen/DotProductConv.h"
#include "qnn/Codegen/GemmTiling.h"
#include "qnn/Codegen/IntegerGemm.h"
#include "qnn/Codegen/PackedIm2Col.h"
#include "qnn/Codegen/ThresholdPacker.h"
#include "qnnc_runtime.h"

#include <benchmark/benchmark.h>
#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>

#include <cstdlib>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <memory>
#include <random>
#include <unistd.h>

using namespace qnnc::codegen;

namespace {

struct Shape {
  int64_t m, k, n;
};
// Seed 001's AlexNet layers, an in-cache square, and a 3x3 conv over 64
// channels at 32x32 (a CIFAR-sized layer): its int32 result rows are 4 KB
// apart, the case of the kernel's panel groups.
const Shape kShapes[] = {{96, 363, 3025},  {256, 2400, 729}, {384, 2304, 169},
                         {384, 3456, 169}, {256, 3456, 169}, {4096, 9216, 1},
                         {4096, 4096, 1},  {1000, 4096, 1},  {256, 2048, 256},
                         {64, 576, 1024}};

void setOps(benchmark::State &state, const Shape &s) {
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * s.m * s.k * s.n * double(state.iterations()) / 1e9,
      benchmark::Counter::kIsRate);
}

std::vector<int64_t> randomValues(const Operand &op, size_t n,
                                  std::mt19937_64 &rng) {
  std::vector<int64_t> v(n);
  for (int64_t &x : v)
    x = op.encoding == Encoding::Bipolar
            ? (rng() & 1 ? 1 : -1)
            : int64_t(rng() % (uint64_t(1) << op.bits));
  return v;
}

/// Google Benchmark calls a benchmark several times while it sizes the
/// iteration count; JIT-compiling on each call made a run take an hour. Each
/// registered benchmark builds its kernels once, on its first call (so a
/// filtered-out one compiles nothing).
template <typename T> using Lazy = std::shared_ptr<std::unique_ptr<T>>;
template <typename T> Lazy<T> lazy() {
  return std::make_shared<std::unique_ptr<T>>();
}

struct BitSerialCase {
  BitSerialCase(Shape s, int wBits, int aBits, bool parallel)
      : shape{s.m, s.k, s.n,
              wBits == 1 ? Operand{1, Encoding::Bipolar}
                         : Operand{wBits, Encoding::TwosComplement},
              aBits == 1 ? Operand{1, Encoding::Bipolar}
                         : Operand{aBits, Encoding::Unsigned}},
        // Both take the tiles the compiler's lowering gives them for AVX-512
        // (a GEMV: one 64-byte line of rows, kGemvTileRows).
        gemm(
            shape,
            s.n == 1
                ? GemmSchedule{int(kGemvTileRows), 1, parallel}
                : GemmSchedule{int(planePairRows(shape.weights.planes() *
                                                     shape.activations.planes(),
                                                 4, 2)),
                               2, parallel},
            Halide::get_host_target()),
        packer(s.k, s.n, gemm.panelWidth(), shape.activations,
               Halide::get_host_target()) {
    std::mt19937_64 rng(1);
    auto w = randomValues(shape.weights, s.m * s.k, rng);
    auto a = randomValues(shape.activations, s.k * s.n, rng);
    weights = packRows(w, s.m, s.k, shape.weights);
    activations =
        packColumnPanels(a, s.k, s.n, gemm.panelWidth(), shape.activations);
    bytes.assign(a.begin(), a.end());
    // JIT-compile and bind the weights (a GEMV lays them out as the library
    // does at compile time) outside the timed loop.
    gemm.run(weights, activations, result);
    packer.run(bytes, activations);
  }
  GemmShape shape;
  BitSerialGemm gemm;
  ActivationPacker packer;
  std::vector<uint64_t> weights, activations;
  std::vector<int8_t> bytes;
  // Outputs are allocated once: the library's kernels write into its arena,
  // so a fresh M x N vector per call would time malloc and page faults (an
  // eighth of 96x363x3025's time) and serialize the 2-thread runs.
  std::vector<int32_t> result;
};

void bitSerial(benchmark::State &state, Shape s, int wBits, int aBits,
               bool includePacking, bool parallel, Lazy<BitSerialCase> cache) {
  if (!*cache)
    *cache = std::make_unique<BitSerialCase>(s, wBits, aBits, parallel);
  BitSerialCase &b = **cache;
  for (auto _ : state) {
    if (includePacking)
      b.packer.run(b.bytes, b.activations);
    b.gemm.runBound(b.activations, b.result);
    benchmark::DoNotOptimize(b.result.data());
  }
  setOps(state, s);
}

// A GEMV inside a network finds its weights in DRAM, not in the cache the
// previous iteration warmed: the same call after writing 64 MB (more than the
// last-level cache) between iterations, outside the timed region.
void coldWeights(benchmark::State &state, Shape s, Lazy<BitSerialCase> cache) {
  if (!*cache)
    *cache = std::make_unique<BitSerialCase>(s, 1, 1, false);
  BitSerialCase &b = **cache;
  static std::vector<char> flush(size_t(64) << 20);
  char fill = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::fill(flush.begin(), flush.end(), ++fill);
    benchmark::ClobberMemory();
    state.ResumeTiming();
    b.gemm.runBound(b.activations, b.result);
    benchmark::DoNotOptimize(b.result.data());
  }
  setOps(state, s);
}

// AlexNet's binary-weight convs 2-5 (one image; channels in 32-bit units or
// whole words per kernel position, convUnitBits) with W1A2 operands, and
// binary first layers on 1 and 3 image channels (C-bit fields per position):
// MNIST-sized and AlexNet's conv1 with binary weights.
struct Conv {
  const char *name;
  int64_t h, c, m, k, pad, stride = 1;
};
const Conv kConvs[] = {{"conv2", 27, 96, 256, 5, 2},
                       {"conv3", 13, 256, 384, 3, 1},
                       {"conv4", 13, 384, 384, 3, 1},
                       {"conv5", 13, 384, 256, 3, 1},
                       {"mnist_conv1_c1", 28, 1, 32, 3, 1},
                       {"alexnet_conv1_c3", 227, 3, 96, 11, 0, 4}};

ConvShape convShape(const Conv &c) {
  ConvShape s;
  s.h = s.w = c.h, s.c = c.c, s.kh = s.kw = c.k;
  s.strideY = s.strideX = c.stride;
  s.padTop = s.padLeft = s.padBottom = s.padRight = c.pad;
  s.activations = {2, Encoding::Unsigned};
  return s;
}

struct ConvCase {
  explicit ConvCase(const Conv &c)
      : conv(convShape(c)), shape{c.m, conv.gemmK(), conv.outH() * conv.outW(),
                                  Operand{1, Encoding::Bipolar},
                                  conv.activations},
        gemm(shape, GemmSchedule{4, 2, false}, Halide::get_host_target()),
        lowering(conv, gemm.panelWidth(), Halide::get_host_target()),
        parallelLowering(conv, gemm.panelWidth(), Halide::get_host_target(),
                         /*parallel=*/true) {
    std::mt19937_64 rng(1);
    pixels = packPixels(
        randomValues(conv.activations, conv.h * conv.w * conv.c, rng), conv.h,
        conv.w, conv.c, conv.activations);
    weights = packRows(randomValues(shape.weights, shape.m * shape.k, rng),
                       shape.m, shape.k, shape.weights);
    lowering.run(pixels, columns);
    gemm.run(weights, columns, result);
  }
  ConvShape conv;
  GemmShape shape;
  BitSerialGemm gemm;
  PackedIm2Col lowering, parallelLowering;
  std::vector<uint64_t> pixels, weights, columns;
  std::vector<int32_t> result;
};

// What an implicit GEMM could save at most: the packed im2col by itself (on
// one thread or the runtime's two) and the GEMM on its columns, side by side.
void convLowering(benchmark::State &state, Conv c, bool im2col, bool parallel,
                  Lazy<ConvCase> cache) {
  if (!*cache)
    *cache = std::make_unique<ConvCase>(c);
  ConvCase &b = **cache;
  if (parallel)
    b.parallelLowering.run(b.pixels, b.columns); // JIT, not timed
  for (auto _ : state) {
    if (im2col)
      (parallel ? b.parallelLowering : b.lowering).run(b.pixels, b.columns);
    else
      b.gemm.run(b.weights, b.columns, b.result);
    benchmark::ClobberMemory();
  }
  if (im2col)
    return; // moves words, computes nothing: time only
  state.counters["GOPS"] =
      benchmark::Counter(2.0 * b.shape.m * b.shape.k * b.shape.n *
                             double(state.iterations()) / 1e9,
                         benchmark::Counter::kIsRate);
}

// 8-bit (u8 x s8) or 16-bit (s16 x s16) integer GEMM on row-major activations
// (as oneDNN's u8s8s32 gets them); weights packed once, as the compiler does.
void halideInteger(benchmark::State &state, Shape s, int bits,
                   Lazy<IntegerGemm> cache) {
  std::mt19937_64 rng(5);
  const int lo = bits == 8 ? 0 : -32768, span = bits == 8 ? 256 : 65536;
  std::vector<int32_t> a(s.k * s.n);
  for (int32_t &x : a)
    x = lo + int32_t(rng() % span);
  if (!*cache) {
    std::vector<int32_t> w(s.m * s.k);
    for (int32_t &x : w)
      x = int32_t(rng() % span) - span / 2;
    *cache = std::make_unique<IntegerGemm>(
        IntegerGemmShape{s.m, s.k, s.n, bits, 0}, Halide::get_host_target());
    (*cache)->setWeights(w);
    (*cache)->run(a); // JIT-compile outside the timed loop
  }
  Halide::Buffer<> in(bits == 8 ? Halide::UInt(8) : Halide::Int(16),
                      {int(s.n), int(s.k)});
  size_t i = 0;
  if (bits == 8)
    in.as<uint8_t>().for_each_value([&](uint8_t &v) { v = uint8_t(a[i++]); });
  else
    in.as<int16_t>().for_each_value([&](int16_t &v) { v = int16_t(a[i++]); });
  Halide::Buffer<int32_t> out(int(s.n), int(s.m));
  for (auto _ : state) {
    (*cache)->run(in, out);
    benchmark::ClobberMemory();
  }
  setOps(state, s);
}

// 8-bit first layers as the compiler emits them: DotProductConv, no im2col.
// Each does the MACs of oneDNN's u8s8s32 GEMM on its im2col shape (given
// its im2col for free): AlexNet's conv1 (227x227x3 u8 image, 96 s8 11x11
// filters, stride 4) is 96x363x3025, a ResNet stem (224x224x3, 64 7x7
// filters, stride 2, pad 3) 64x147x12544.
struct FirstLayer {
  const char *name;
  int64_t c, hw, m, k, stride, pad;
  IntegerConvShape shape() const {
    IntegerConvShape s;
    s.c = c, s.h = s.w = hw, s.m = m, s.kh = s.kw = k;
    s.strideY = s.strideX = stride;
    s.padTop = s.padLeft = pad;
    s.outH = s.outW = (hw + 2 * pad - k) / stride + 1;
    s.requantize = false;
    return s;
  }
  Shape gemm() const {
    IntegerConvShape s = shape();
    return Shape{m, c * k * k, s.outH * s.outW};
  }
};
const FirstLayer kFirstLayers[] = {{"alexnet_conv1", 3, 227, 96, 11, 4, 0},
                                   {"resnet_stem", 3, 224, 64, 7, 2, 3}};

void dotProductConv(benchmark::State &state, FirstLayer layer, bool parallel,
                    Lazy<DotProductConv> cache) {
  IntegerConvShape s = layer.shape();
  std::vector<uint8_t> image(size_t(s.c * s.h * s.w));
  std::mt19937_64 rng(1);
  for (uint8_t &x : image)
    x = uint8_t(rng());
  if (!*cache) {
    std::vector<int8_t> w(size_t(s.m * s.c * s.kh * s.kw));
    for (int8_t &x : w)
      x = int8_t(rng());
    // One thread, like the oneDNN row it is compared with, or the runtime's
    // two (a library built with --threads 2).
    *cache = std::make_unique<DotProductConv>(s, Halide::get_host_target(),
                                              parallel);
    (*cache)->bind(w, std::vector<int32_t>(size_t(s.m), 0), {}, {});
  }
  Halide::Buffer<> out = (*cache)->outputBuffer();
  (*cache)->run(image, out); // JIT-compiles on the first call: not timed
  for (auto _ : state) {
    (*cache)->run(image, out);
    benchmark::ClobberMemory();
  }
  setOps(state, layer.gemm());
}

#if defined(__x86_64__)
// This machine's binary peak, the yardstick for the kernels' GOPS: 12
// independent AND + VPOPCNTQ + VPADDQ chains on registers, 2 x 512 binary ops
// per chain step (AND and add, as GOPS counts them). The AND operand changes
// every step so nothing is hoisted.
__attribute__((target("avx512f,avx512vpopcntdq"))) void
binaryPeak(benchmark::State &state) {
  constexpr int kChains = 12, kSteps = 1000;
  __m512i w = _mm512_set1_epi64(0x5555aaaa12345678LL), a[kChains], acc[kChains];
#pragma GCC unroll 12
  for (int i = 0; i < kChains; ++i) {
    a[i] = _mm512_set1_epi64(int64_t(i) * 0x0101010101010101LL + 7);
    acc[i] = _mm512_setzero_si512();
  }
  for (auto _ : state)
    for (int step = 0; step < kSteps; ++step) {
      asm volatile("" : "+v"(w));
#pragma GCC unroll 12
      for (int i = 0; i < kChains; ++i)
        acc[i] = _mm512_add_epi64(
            acc[i], _mm512_popcnt_epi64(_mm512_and_si512(a[i], w)));
    }
  for (int i = 0; i < kChains; ++i)
    benchmark::DoNotOptimize(acc[i]);
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * 512 * kChains * kSteps * double(state.iterations()) / 1e9,
      benchmark::Counter::kIsRate);
}

// What a GEMV's weights allow by themselves: the M x K weight bits of a W1A1
// GEMV read once per call (one sequential stream, as the kernel reads its
// tiled weights) with XOR + VPOPCNTQ + VPADDQ into 8 accumulators and nothing
// else, GOPS counted as for the GEMV. Where the matrix misses L1 and L2 this
// is the memory bound the GEMV rows meet.
__attribute__((target("avx512f,avx512vpopcntdq"))) void
weightStream(benchmark::State &state, Shape s) {
  const size_t vectors = size_t(s.m * ((s.k + 63) / 64) / 8);
  std::vector<uint64_t> w(8 * vectors);
  std::mt19937_64 rng(3);
  for (uint64_t &v : w)
    v = rng();
  for (auto _ : state) {
    __m512i x = _mm512_set1_epi64(0x5555aaaa12345678LL);
    asm volatile("" : "+v"(x));
    __m512i acc[8];
    for (__m512i &a : acc)
      a = _mm512_setzero_si512();
    for (size_t i = 0; i + 8 <= vectors; i += 8)
#pragma GCC unroll 8
      for (int j = 0; j < 8; ++j)
        acc[j] = _mm512_add_epi64(
            acc[j], _mm512_popcnt_epi64(_mm512_xor_si512(
                        _mm512_loadu_si512(&w[8 * (i + j)]), x)));
    for (__m512i &a : acc)
      benchmark::DoNotOptimize(a);
  }
  setOps(state, s);
}

// The same yardstick without VPOPCNTQ: AVX2's nibble-table popcount (XOR,
// shift, 2 x AND, 2 x VPSHUFB, byte add, VPSADBW, 64-bit add per 256 bits),
// the sequence LLVM emits for the kernels' 64-bit popcounts, on registers.
__attribute__((target("avx2"))) void binaryPeakAvx2(benchmark::State &state) {
  constexpr int kChains = 8, kSteps = 1000;
  const __m256i nibbles = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
  const __m256i table =
      _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1,
                       2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  __m256i w = _mm256_set1_epi64x(0x5555aaaa12345678LL), a[kChains],
          acc[kChains];
  for (int i = 0; i < kChains; ++i) {
    a[i] = _mm256_set1_epi64x(int64_t(i) * 0x0101010101010101LL + 7);
    acc[i] = _mm256_setzero_si256();
  }
  for (auto _ : state)
    for (int step = 0; step < kSteps; ++step) {
      asm volatile("" : "+x"(w));
#pragma GCC unroll 8
      for (int i = 0; i < kChains; ++i) {
        __m256i x = _mm256_xor_si256(a[i], w);
        __m256i lo = _mm256_and_si256(x, nibbles),
                hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibbles);
        __m256i bytes = _mm256_add_epi8(_mm256_shuffle_epi8(table, lo),
                                        _mm256_shuffle_epi8(table, hi));
        acc[i] = _mm256_add_epi64(acc[i], _mm256_sad_epu8(bytes, zero));
      }
    }
  for (int i = 0; i < kChains; ++i)
    benchmark::DoNotOptimize(acc[i]);
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * 256 * kChains * kSteps * double(state.iterations()) / 1e9,
      benchmark::Counter::kIsRate);
}
#endif

void openblasSgemm(benchmark::State &state, Shape s) {
  std::vector<float> a(s.m * s.k, 0.5f), b(s.k * s.n, 0.25f), c(s.m * s.n);
  // The first call sets OpenBLAS up (once it took 250 ms): not timed.
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s.m, s.n, s.k, 1.0f,
              a.data(), s.k, b.data(), s.n, 0.0f, c.data(), s.n);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s.m, s.n, s.k, 1.0f,
                a.data(), s.k, b.data(), s.n, 0.0f, c.data(), s.n);
    benchmark::ClobberMemory();
  }
  setOps(state, s);
}

void onednnInt8(benchmark::State &state, Shape s) {
  std::vector<uint8_t> a(s.m * s.k, 3);
  std::vector<int8_t> b(s.k * s.n, -2);
  std::vector<int32_t> c(s.m * s.n);
  int32_t co = 0;
  // The first call generates oneDNN's JIT kernels: not timed.
  dnnl_gemm_u8s8s32('N', 'N', 'F', s.m, s.n, s.k, 1.0f, a.data(), s.k, 0,
                    b.data(), s.n, 0, 0.0f, c.data(), s.n, &co);
  for (auto _ : state) {
    dnnl_gemm_u8s8s32('N', 'N', 'F', s.m, s.n, s.k, 1.0f, a.data(), s.k, 0,
                      b.data(), s.n, 0, 0.0f, c.data(), s.n, &co);
    benchmark::ClobberMemory();
  }
  setOps(state, s);
}

std::string name(const char *what, const Shape &s) {
  return std::string(what) + "/" + std::to_string(s.m) + "x" +
         std::to_string(s.k) + "x" + std::to_string(s.n);
}

// What a compiled binary conv runs: the GEMM on the packed im2col columns
// with the fused threshold + pack epilogue (A2 levels, packed pixels for the
// next conv, no int32 tensor in memory), on one thread or on the runtime's two
// (a library built with --threads 2). The im2col is not timed.
struct FusedConvCase {
  FusedConvCase(const Conv &c, bool parallel)
      : conv(c),
        gemm(conv.shape,
             GemmSchedule{int(planePairRows(conv.shape.weights.planes() *
                                                conv.shape.activations.planes(),
                                            4, 2)),
                          2, parallel},
             Halide::get_host_target(),
             ThresholdEpilogue{3, 1, 0, conv.conv.activations, 1}) {
    std::mt19937_64 rng(2);
    // Three ascending thresholds per channel around the dot products' range.
    const int32_t spread = int32_t(conv.shape.k);
    for (int64_t m = 0; m < conv.shape.m; ++m)
      for (int t = 0; t < 3; ++t)
        thresholds.push_back((t - 1) * spread / 2 + int32_t(rng() % 16));
    gemm.bindWeights(conv.weights);
    packed = gemm.runFusedBound(conv.columns, thresholds); // JIT, not timed
  }
  ConvCase conv;
  BitSerialGemm gemm;
  std::vector<int32_t> thresholds;
  std::vector<uint64_t> packed;
};

void fusedConv(benchmark::State &state, Conv c, bool parallel,
               Lazy<FusedConvCase> cache) {
  if (!*cache)
    *cache = std::make_unique<FusedConvCase>(c, parallel);
  FusedConvCase &b = **cache;
  for (auto _ : state) {
    b.packed = b.gemm.runFusedBound(b.conv.columns, b.thresholds);
    benchmark::DoNotOptimize(b.packed.data());
  }
  const GemmShape &g = b.conv.shape;
  setOps(state, Shape{g.m, g.k, g.n});
}

// What a compiled AlexNet runs after its 8-bit conv1: the 96 x 55 x 55 int32
// NCHW accumulators thresholded into packed A1 or A2 pixels (the next conv's
// input), on one thread or the runtime's two. Time only: it does no MACs.
void thresholdPack(benchmark::State &state, int bits, bool parallel,
                   Lazy<ThresholdPacker> cache) {
  ThresholdPackShape s;
  s.k = 96, s.n = 55 * 55, s.steps = (1 << bits) - 1;
  s.out = {bits, Encoding::Unsigned};
  s.floatInput = false, s.channelMajor = true, s.parallel = parallel;
  std::mt19937_64 rng(4);
  std::vector<int32_t> image(size_t(s.k * s.n)), thresholds;
  for (int32_t &x : image)
    x = int32_t(rng() % 4096) - 2048;
  for (int64_t c = 0; c < s.k; ++c)
    for (int t = 0; t < s.steps; ++t)
      thresholds.push_back((t - s.steps / 2) * 512 + int32_t(c));
  if (!*cache)
    *cache = std::make_unique<ThresholdPacker>(s, Halide::get_host_target());
  std::vector<uint64_t> packed = (*cache)->run(image, thresholds); // JIT
  for (auto _ : state) {
    packed = (*cache)->run(image, thresholds);
    benchmark::DoNotOptimize(packed.data());
  }
}

int registerAll() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512vpopcntdq"))
    // On 2 threads as well: the ceiling of the "2threads" rows' ratios on
    // this machine (a VM's two vCPUs reach 1.91-1.96x on registers alone).
    benchmark::RegisterBenchmark("binary_peak_avx512", binaryPeak)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime()
        ->Threads(1)
        ->Threads(2);
  if (__builtin_cpu_supports("avx2"))
    benchmark::RegisterBenchmark("binary_peak_avx2", binaryPeakAvx2)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
#endif
  for (const Shape &s : kShapes) {
    benchmark::RegisterBenchmark(name("openblas_sgemm_fp32", s).c_str(),
                                 openblasSgemm, s)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(name("onednn_u8s8s32", s).c_str(), onednnInt8,
                                 s)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    for (int bits : {8, 16})
      benchmark::RegisterBenchmark(
          name(bits == 8 ? "qnnc_int8" : "qnnc_int16", s).c_str(),
          halideInteger, s, bits, lazy<IntegerGemm>())
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
    for (auto [w, a] : {std::pair{1, 1}, {1, 2}, {2, 2}, {1, 8}}) {
      std::string tag = "qnnc_W" + std::to_string(w) + "A" + std::to_string(a);
      benchmark::RegisterBenchmark(name(tag.c_str(), s).c_str(), bitSerial, s,
                                   w, a, false, false, lazy<BitSerialCase>())
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
      benchmark::RegisterBenchmark(
          name((tag + "_with_packing").c_str(), s).c_str(), bitSerial, s, w, a,
          true, false, lazy<BitSerialCase>())
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
    }
    benchmark::RegisterBenchmark(name("qnnc_W1A1_2threads", s).c_str(),
                                 bitSerial, s, 1, 1, false, true,
                                 lazy<BitSerialCase>())
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
  }
  for (const FirstLayer &layer : kFirstLayers) {
    Shape gemm = layer.gemm();
    // The AlexNet shape's oneDNN row is registered with kShapes.
    if (gemm.n != 3025)
      benchmark::RegisterBenchmark(name("onednn_u8s8s32", gemm).c_str(),
                                   onednnInt8, gemm)
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
    for (bool parallel : {false, true})
      benchmark::RegisterBenchmark(
          (std::string(parallel ? "qnnc_dotconv_u8s8_2threads/"
                                : "qnnc_dotconv_u8s8/") +
           layer.name + "_" + name("", gemm).substr(1))
              .c_str(),
          dotProductConv, layer, parallel, lazy<DotProductConv>())
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
  }
  for (const Shape &s : kShapes)
    if (s.n == 1) {
      benchmark::RegisterBenchmark(name("qnnc_W1A1_cold_weights", s).c_str(),
                                   coldWeights, s, lazy<BitSerialCase>())
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
#if defined(__x86_64__)
      if (__builtin_cpu_supports("avx512vpopcntdq"))
        benchmark::RegisterBenchmark(name("weight_stream_avx512", s).c_str(),
                                     weightStream, s)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
#endif
    }
  for (const Conv &c : kConvs) {
    Lazy<ConvCase> conv = lazy<ConvCase>();
    for (auto [im2col, parallel] :
         {std::pair{true, false}, {true, true}, {false, false}})
      benchmark::RegisterBenchmark(
          (std::string(!im2col    ? "qnnc_W1A2_conv/"
                       : parallel ? "qnnc_im2col_packed_A2_2threads/"
                                  : "qnnc_im2col_packed_A2/") +
           c.name)
              .c_str(),
          convLowering, c, im2col, parallel, conv)
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
  }
  for (const Conv &c : kConvs)
    for (bool parallel : {false, true})
      benchmark::RegisterBenchmark(
          (std::string(parallel ? "qnnc_W1A2_conv_fused_2threads/"
                                : "qnnc_W1A2_conv_fused/") +
           c.name)
              .c_str(),
          fusedConv, c, parallel, lazy<FusedConvCase>())
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
  for (int bits : {1, 2})
    for (bool parallel : {false, true})
      benchmark::RegisterBenchmark(
          ("qnnc_threshold_pack_A" + std::to_string(bits) +
           (parallel ? "_2threads" : "") + "/alexnet_conv1_96x3025")
              .c_str(),
          thresholdPack, bits, parallel, lazy<ThresholdPacker>())
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
  return 0;
}

const int registered = registerAll();

} // namespace

int main(int argc, char **argv) {
  // The baselines run single-threaded, like qnnc's kernels except the
  // "2threads" ones: oneDNN (OpenMP) and OpenBLAS read their thread counts
  // when they load, before main, so set them (unless the caller did) and
  // start again.
  if (!std::getenv("QNNC_BENCH_THREADS_SET")) {
    setenv("QNNC_BENCH_THREADS_SET", "1", 1);
    setenv("OMP_NUM_THREADS", "1", 0);
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    execv("/proc/self/exe", argv);
  }
  // Parallel kernels (the "2threads" rows) run on two threads of the
  // runtime the generated libraries link, not on Halide's JIT thread pool: its
  // workers sleep between calls, and waking them took a quarter to a third of a
  // 30-40 us two-thread GEMM on a VM, which no library pays.
  qnnc_team_reserve(2);
  Halide::JITHandlers handlers;
  handlers.custom_do_par_for =
      [](Halide::JITUserContext *context,
         int (*task)(Halide::JITUserContext *, int, uint8_t *), int min,
         int size, uint8_t *closure) {
        return qnnc_parallel_for(2, reinterpret_cast<qnnc_task_fn>(task),
                                 context, min, size, closure);
      };
  Halide::Internal::JITSharedRuntime::set_default_handlers(handlers);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
