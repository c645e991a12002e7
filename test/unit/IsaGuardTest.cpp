// The x86 instruction guard (IsaGuard.h): kernels for avx512_sapphirerapids
// must not use AVX512-FP16, which AMD Zen 4/5 lack, nor, when compiled for a
// CPU without AVX-VNNI (Zen 4, Ice Lake), its VEX-encoded dot products.

#include "qnn/Codegen/IsaGuard.h"
#include "ReadText.h"
#include "qnn/Codegen/IntegerGemm.h"

#include <gtest/gtest.h>

using namespace qnnc::codegen;

namespace {

TEST(IsaGuard, RecognizesAvx512Fp16) {
  EXPECT_TRUE(usesAvx512Fp16("\tvmovw\t%xmm0, %eax\n"));
  EXPECT_TRUE(usesAvx512Fp16("\tvpaddq\t%zmm1, %zmm2, %zmm3\n"
                             "\tvaddph\t%zmm1, %zmm2, %zmm3\n"));
  // F16C conversions and integer code are fine everywhere.
  EXPECT_FALSE(usesAvx512Fp16("\tvcvtph2ps\t%xmm0, %ymm1\n"
                              "\tvpopcntq\t%zmm0, %zmm0\n"
                              "\tvpshufb\t%ymm0, %ymm1, %ymm2\n"));
}

TEST(IsaGuard, RecognizesAvxVnni) {
  EXPECT_TRUE(usesAvxVnni("\t{vex}\tvpdpbusd\t(%rdx), %ymm0, %ymm1\n"));
  EXPECT_TRUE(usesAvxVnni("\tvpaddd\t%ymm1, %ymm2, %ymm3\n"
                          "\t{vex}\tvpdpwssd\t%xmm1, %xmm2, %xmm3\n"));
  // The EVEX forms are AVX512-VNNI, which those CPUs have.
  EXPECT_FALSE(usesAvxVnni("\tvpdpbusd\t(%rdx), %zmm0, %zmm1\n"
                           "\tvpdpbusd\t%ymm1, %ymm2, %ymm3\n"));
}

std::string assemblyOf(IntegerGemm &gemm) {
  std::string path = testing::TempDir() + "isa_guard_gemv.s";
  gemm.compileTo({{Halide::OutputFileType::assembly, path}}, "gemv");
  return qnnc::test::takeText(path);
}

// A ten-row int8 GEMV computes on 256-bit vectors, which LLVM's
// sapphirerapids encodes as AVX-VNNI; compiled for a CPU without it, the
// kernel is rebuilt without. Compilation only: runs on any machine.
TEST(IsaGuard, RebuildsAvxVnniKernelsForCpusWithout) {
  Halide::Target target("x86-64-linux-sse41-avx-avx2-fma-f16c-avx512-avx512_"
                        "skylake-avx512_cannonlake-avx512_sapphirerapids-"
                        "no_runtime");
  IntegerGemm gemm(IntegerGemmShape{10, 64, 1, 8}, target);
  EXPECT_TRUE(usesAvxVnni(assemblyOf(gemm)))
      << "the shape no longer uses AVX-VNNI: pick one that does";
  {
    IsaGuardScope zen4(/*cpuHasAvxVnni=*/false);
    std::string guarded = assemblyOf(gemm);
    EXPECT_FALSE(usesAvxVnni(guarded));
    EXPECT_NE(guarded.find("vpmaddwd"), std::string::npos);
    EXPECT_NE(zen4.takeNote().find("{vex} vpdpbusd (AVX-VNNI)"),
              std::string::npos);
    EXPECT_EQ(zen4.takeNote(), "");
    {
      IsaGuardScope zen5(/*cpuHasAvxVnni=*/true); // the innermost scope rules
      EXPECT_TRUE(usesAvxVnni(assemblyOf(gemm)));
      EXPECT_EQ(zen5.takeNote(), "");
    }
    EXPECT_FALSE(usesAvxVnni(assemblyOf(gemm)));
  }
  EXPECT_TRUE(usesAvxVnni(assemblyOf(gemm))); // the scopes have ended
}

} // namespace
