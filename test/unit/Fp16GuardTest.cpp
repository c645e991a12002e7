// The assembly check behind the x86 instruction guard (Fp16Guard.h): kernels
// for avx512_sapphirerapids must not use AVX512-FP16, which AMD Zen 4/5 lack.

#include "Fp16Guard.h"

#include <gtest/gtest.h>

using namespace qnnc::codegen;

namespace {

TEST(Fp16Guard, RecognizesAvx512Fp16) {
  EXPECT_TRUE(usesAvx512Fp16("\tvmovw\t%xmm0, %eax\n"));
  EXPECT_TRUE(usesAvx512Fp16("\tvpaddq\t%zmm1, %zmm2, %zmm3\n"
                             "\tvaddph\t%zmm1, %zmm2, %zmm3\n"));
  // F16C conversions and integer code are fine everywhere.
  EXPECT_FALSE(usesAvx512Fp16("\tvcvtph2ps\t%xmm0, %ymm1\n"
                              "\tvpopcntq\t%zmm0, %zmm0\n"
                              "\tvpshufb\t%ymm0, %ymm1, %ymm2\n"));
}

} // namespace
