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
#include "qnn/Codegen/Int8Gemm.h"

#include <benchmark/benchmark.h>
#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>

#include <random>

using namespace qnnc::codegen;

namespace {

struct Shape {
  int64_t m, k, n;
};
const Shape kShapes[] = {{96, 363, 3025},  {256, 2400, 729}, {384, 2304, 169},
                         {384, 3456, 169}, {256, 3456, 169}, {4096, 9216, 1},
                         {4096, 4096, 1},  {1000, 4096, 1},  {256, 2048, 256}};

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

void bitSerial(benchmark::State &state, Shape s, int wBits, int aBits,
               bool includePacking, bool parallel) {
  GemmShape shape{s.m, s.k, s.n,
                  wBits == 1 ? Operand{1, Encoding::Bipolar}
                             : Operand{wBits, Encoding::TwosComplement},
                  aBits == 1 ? Operand{1, Encoding::Bipolar}
                             : Operand{aBits, Encoding::Unsigned}};
  // GEMV (N = 1) wants more rows per tile and one vector of columns.
  GemmSchedule schedule =
      s.n == 1 ? GemmSchedule{8, 1, parallel} : GemmSchedule{4, 2, parallel};
  std::mt19937_64 rng(1);
  auto w = randomValues(shape.weights, s.m * s.k, rng);
  auto a = randomValues(shape.activations, s.k * s.n, rng);
  BitSerialGemm gemm(shape, schedule, Halide::get_host_target());
  auto pw = packRows(w, s.m, s.k, shape.weights);
  auto pa = packColumnPanels(a, s.k, s.n, gemm.panelWidth(), shape.activations);
  std::vector<int8_t> bytes(a.begin(), a.end());
  ActivationPacker packer(s.k, s.n, gemm.panelWidth(), shape.activations,
                          Halide::get_host_target());
  gemm.run(pw, pa); // JIT-compile outside the timed loop
  if (includePacking)
    packer.run(bytes);
  for (auto _ : state) {
    if (includePacking)
      pa = packer.run(bytes);
    benchmark::DoNotOptimize(gemm.run(pw, pa));
  }
  setOps(state, s);
}

void halideInt8(benchmark::State &state, Shape s) {
  std::vector<int8_t> w(s.m * s.k, -3);
  std::vector<uint8_t> a(s.k * s.n, 7);
  Int8Gemm gemm({s.m, s.k, s.n, 0}, 4, Halide::get_host_target());
  gemm.run(w, a); // JIT-compile outside the timed loop
  for (auto _ : state)
    benchmark::DoNotOptimize(gemm.run(w, a));
  setOps(state, s);
}

void openblasSgemm(benchmark::State &state, Shape s) {
  std::vector<float> a(s.m * s.k, 0.5f), b(s.k * s.n, 0.25f), c(s.m * s.n);
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

int registerAll() {
  for (const Shape &s : kShapes) {
    benchmark::RegisterBenchmark(name("openblas_sgemm_fp32", s).c_str(),
                                 openblasSgemm, s)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(name("onednn_u8s8s32", s).c_str(), onednnInt8,
                                 s)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(name("qnnc_int8", s).c_str(), halideInt8, s)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    for (auto [w, a] : {std::pair{1, 1}, {1, 2}, {2, 2}, {1, 8}}) {
      std::string tag = "qnnc_W" + std::to_string(w) + "A" + std::to_string(a);
      benchmark::RegisterBenchmark(name(tag.c_str(), s).c_str(), bitSerial, s,
                                   w, a, false, false)
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
      benchmark::RegisterBenchmark(
          name((tag + "_with_packing").c_str(), s).c_str(), bitSerial, s, w, a,
          true, false)
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
    }
    benchmark::RegisterBenchmark(name("qnnc_W1A1_2threads", s).c_str(),
                                 bitSerial, s, 1, 1, false, true)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
  }
  return 0;
}

const int registered = registerAll();

} // namespace

BENCHMARK_MAIN();
