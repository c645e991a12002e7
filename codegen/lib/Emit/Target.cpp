#include "qnn/Codegen/Emit/Target.h"

#include <algorithm>
#include <cstdlib>

using namespace Halide;

namespace qnnc::codegen {

namespace {
struct Named {
  const char *name, *halide, *cc, *description;
  bool avxVnni = true;
};
const char kAvx512Vnni[] = "x86-64-linux-sse41-avx-avx2-fma-f16c-avx512-avx512_"
                           "skylake-avx512_cannonlake-avx512_sapphirerapids";
// Short names for the targets qnnc is tested on; anything else is passed to
// Halide's target parser as is.
const Named kNamed[] = {
    {"x86-64-sse41", "x86-64-linux-sse41", "cc", "x86-64 with SSE4.1"},
    {"x86-64-avx2", "x86-64-linux-sse41-avx-avx2-fma-f16c", "cc",
     "x86-64 with AVX2 (Haswell and later)"},
    {"x86-64-avx512",
     "x86-64-linux-sse41-avx-avx2-fma-f16c-avx512-avx512_skylake", "cc",
     "x86-64 with AVX-512 (Skylake-X and later)"},
    // Halide 14's only target with VPOPCNTDQ and VNNI (LLVM's
    // sapphirerapids); the instructions of it that these CPUs lack are kept
    // out by IsaGuard.h.
    {"x86-64-avx512-vnni", kAvx512Vnni, "cc",
     "x86-64 with AVX-512 VPOPCNTDQ, VNNI and AVX-VNNI (Sapphire Rapids, "
     "Zen 5)"},
    {"x86-64-avx512-zen4", kAvx512Vnni, "cc",
     "x86-64 with AVX-512 VPOPCNTDQ and VNNI, no AVX-VNNI (Zen 4, Ice Lake)",
     false},
    {"arm-64-linux", "arm-64-linux", "aarch64-linux-gnu-gcc",
     "aarch64 Linux, NEON"},
    {"arm-32-linux", "arm-32-linux", "arm-linux-gnueabihf-gcc",
     "armv7-a Linux, NEON, hard float"},
};

/// `ar` of the same binutils as `cc` (prefix-gcc -> prefix-ar).
std::string archiverFor(const std::string &cc) {
  if (const char *env = std::getenv("QNNC_AR"))
    return env;
  auto slash = cc.rfind('/');
  std::string base = slash == std::string::npos ? cc : cc.substr(slash + 1);
  std::string dir = slash == std::string::npos ? "" : cc.substr(0, slash + 1);
  auto dash = base.rfind('-');
  if (dash != std::string::npos && base.find("gcc") == dash + 1)
    return dir + base.substr(0, dash + 1) + "ar";
  return "ar";
}
} // namespace

int TargetInfo::lanes() const {
  return std::max(1, halide.natural_vector_size<uint64_t>());
}

bool resolveTarget(const std::string &spec, const std::string &cc,
                   TargetInfo &out, std::string &error) {
  out.spec = spec;
  out.avxVnni = true;
  std::string halideSpec = spec, defaultCc = "cc";
  for (const Named &n : kNamed)
    if (spec == n.name) {
      halideSpec = n.halide;
      defaultCc = n.cc;
      out.avxVnni = n.avxVnni;
    }
  if (spec == "host") {
    out.halide = get_host_target();
#if defined(__x86_64__)
    // Halide 14 calls a Zen 4 host sapphirerapids too.
    out.avxVnni = __builtin_cpu_supports("avxvnni");
#endif
  } else if (!Target::validate_target_string(halideSpec)) {
    error =
        "unknown target '" + spec + "'; known targets:\n" + describeTargets();
    return false;
  } else {
    out.halide = Target(halideSpec);
    if (out.halide.arch == Target::ARM)
      defaultCc = out.halide.bits == 64 ? "aarch64-linux-gnu-gcc"
                                        : "arm-linux-gnueabihf-gcc";
  }
  if (out.halide.os != Target::Linux) {
    error = "target '" + spec + "': only Linux targets are supported";
    return false;
  }
  // The library brings its own tiny runtime (runtime/qnnc_runtime.c); kernels
  // trust the glue's buffers (no asserts, no bounds queries) and get the
  // per-call context (thread count) as Halide's user_context.
  out.halide = out.halide.with_feature(Target::NoRuntime)
                   .with_feature(Target::NoAsserts)
                   .with_feature(Target::NoBoundsQuery)
                   .with_feature(Target::UserContext);
  const char *env = std::getenv("QNNC_CC");
  out.cc = !cc.empty() ? cc : env ? env : defaultCc;
  out.ar = archiverFor(out.cc);
  out.cflags = {"-O2", "-std=c99", "-fPIC"};
  if (out.halide.arch == Target::ARM && out.halide.bits == 32)
    out.cflags.insert(out.cflags.end(),
                      {"-march=armv7-a", "-mfpu=neon", "-mfloat-abi=hard"});
  return true;
}

std::string describeTargets() {
  size_t width = 4;
  for (const Named &n : kNamed)
    width = std::max(width, std::string(n.name).size());
  auto column = [&](const std::string &name) {
    return "  " + name + std::string(width + 2 - name.size(), ' ');
  };
  std::string s = column("host") + "this machine (Halide's host target)\n";
  for (const Named &n : kNamed)
    s += column(n.name) + n.description + " (C compiler " + n.cc + ")\n";
  s += "  or any Halide target string, e.g. x86-64-linux-avx2\n";
  return s;
}

} // namespace qnnc::codegen
