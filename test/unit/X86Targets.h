//===- X86Targets.h - The x86 vector ISAs this machine executes -----------===//

#ifndef QNNC_TEST_UNIT_X86TARGETS_H
#define QNNC_TEST_UNIT_X86TARGETS_H

#include "Halide.h"

#include <vector>

namespace qnnc::test {

/// SSE4.1 only, AVX2, and the host itself (AVX-512 with VPOPCNTDQ and VNNI
/// where the host has them); just the host on other architectures.
inline std::vector<Halide::Target> x86Targets() {
  using Halide::Target;
  Target host = Halide::get_host_target();
  if (host.arch != Target::X86)
    return {host};
  auto without = [&](const std::vector<Target::Feature> &drop) {
    Target t = host;
    for (auto f : drop)
      t = t.without_feature(f);
    return t;
  };
  std::vector<Target::Feature> avx512 = {
      Target::AVX512, Target::AVX512_Skylake, Target::AVX512_Cannonlake,
      Target::AVX512_SapphireRapids, Target::AVX512_KNL};
  std::vector<Target::Feature> sse = avx512;
  sse.insert(sse.end(), {Target::AVX, Target::AVX2, Target::FMA, Target::F16C});
  std::vector<Target> targets = {without(sse)};
  if (host.has_feature(Target::AVX2))
    targets.push_back(without(avx512));
  if (host.has_feature(Target::AVX512))
    targets.push_back(host);
  return targets;
}

} // namespace qnnc::test

#endif
