// libHalide 14 works inside qnnc's process (next to MLIR 19): a JIT-compiled
// AND-popcount reduction equals the scalar count.

#include "qnn/Codegen/HalideProbe.h"

#include <gtest/gtest.h>

#include <bitset>
#include <random>

TEST(HalideProbe, AndPopcountMatchesScalarReference) {
  std::mt19937_64 rng(42);
  std::vector<uint64_t> a(67), b(67);
  int64_t expected = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = rng();
    b[i] = rng();
    expected += std::bitset<64>(a[i] & b[i]).count();
  }
  EXPECT_EQ(qnnc::codegen::halideAndPopcount(a, b), expected);
}

TEST(HalideProbe, HostTargetIsX86OrArm) {
  std::string t = qnnc::codegen::halideHostTarget();
  EXPECT_TRUE(t.rfind("x86-64", 0) == 0 || t.rfind("arm", 0) == 0) << t;
}
