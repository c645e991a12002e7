// Runs one AOT-compiled bit-serial GEMM kernel (qnn-gemm-gen ... obj) on random
// operands and compares it with a scalar reference. Built by the cross compiler
// for the kernel's target (e.g. aarch64-linux-gnu-g++ -static) and run under
// qemu-user by arm_gemm_qemu.py. Shape and encodings come from -D flags: GEMM_M
// GEMM_K GEMM_N PANEL W_BITS W_ENC A_BITS A_ENC GEMV_ROWS.

#include "HalideBuffer.h"
#include "qnn/Codegen/BitPacking.h"

#include <cstdio>
#include <cstdlib>
#include <random>

using namespace qnnc::codegen;

extern "C" int bitserial_gemm(halide_buffer_t *weights,
                              halide_buffer_t *activations,
                              halide_buffer_t *out);

// The kernels are compiled without Halide's runtime: these are the entry points
// they use.
extern "C" void *halide_malloc(void *, size_t size) {
  return aligned_alloc(64, (size + 63) / 64 * 64);
}
extern "C" void halide_free(void *, void *p) { free(p); }

int main() {
  Operand w{W_BITS, Encoding(W_ENC)}, a{A_BITS, Encoding(A_ENC)};
  std::mt19937_64 rng(42);
  auto draw = [&](const Operand &op) -> int64_t {
    if (op.encoding == Encoding::Bipolar)
      return rng() & 1 ? 1 : -1;
    int64_t v = int64_t(rng() % (uint64_t(1) << op.bits));
    return op.encoding == Encoding::TwosComplement
               ? v - (int64_t(1) << (op.bits - 1))
               : v;
  };
  std::vector<int64_t> wv(GEMM_M * GEMM_K), av(GEMM_K * GEMM_N);
  for (auto &x : wv)
    x = draw(w);
  for (auto &x : av)
    x = draw(a);
  auto pw = packRows(wv, GEMM_M, GEMM_K, w);
  auto pa = packColumnPanels(av, GEMM_K, GEMM_N, PANEL, a);
  int kw = int(wordsFor(GEMM_K)), panels = int((GEMM_N + PANEL - 1) / PANEL);
#if BYTE_OPERANDS
  // The NEON kernel reads the same words as bytes.
  Halide::Runtime::Buffer<uint8_t> wb(reinterpret_cast<uint8_t *>(pw.data()),
                                      8 * kw, GEMM_M, w.planes());
  Halide::Runtime::Buffer<uint8_t> ab(reinterpret_cast<uint8_t *>(pa.data()),
                                      8 * PANEL, kw, panels, a.planes());
#elif GEMV_ROWS
  // A GEMV takes its weights in row tiles, rows innermost.
  pw = tileGemvRows(pw, GEMM_M, GEMM_K, w.planes(), GEMV_ROWS);
  Halide::Runtime::Buffer<uint64_t> wb(pw.data(), GEMV_ROWS, kw,
                                       (GEMM_M + GEMV_ROWS - 1) / GEMV_ROWS,
                                       w.planes());
  Halide::Runtime::Buffer<uint64_t> ab(pa.data(), PANEL, kw, panels,
                                       a.planes());
#else
  Halide::Runtime::Buffer<uint64_t> wb(pw.data(), kw, GEMM_M, w.planes());
  Halide::Runtime::Buffer<uint64_t> ab(pa.data(), PANEL, kw, panels,
                                       a.planes());
#endif
  Halide::Runtime::Buffer<int32_t> cb(GEMM_N, GEMM_M);
  if (bitserial_gemm(wb.raw_buffer(), ab.raw_buffer(), cb.raw_buffer()) != 0) {
    std::printf("kernel returned an error\n");
    return 2;
  }
  long bad = 0;
  for (int i = 0; i < GEMM_M; ++i)
    for (int j = 0; j < GEMM_N; ++j) {
      long s = 0;
      for (int p = 0; p < GEMM_K; ++p)
        s += long(wv[i * GEMM_K + p] * av[p * GEMM_N + j]);
      bad += cb(j, i) != s;
    }
  std::printf("M=%d K=%d N=%d: %ld of %d outputs differ\n", GEMM_M, GEMM_K,
              GEMM_N, bad, GEMM_M * GEMM_N);
  return bad ? 1 : 0;
}
