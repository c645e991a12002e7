//===- IsaGuard.h - Keep instructions the CPU lacks out of kernels --------===//
//
// Halide 14 has one x86 target with VPOPCNTDQ and VNNI, avx512_sapphirerapids,
// and compiles it with LLVM's -mcpu=sapphirerapids; its host detection picks
// that target on AMD Zen 4 and Zen 5 as well. Two extensions of that CPU are
// missing on other cores with VPOPCNTDQ and VNNI:
// - AVX512-FP16 (Zen 4, Zen 5): LLVM moves odd 16-bit pieces of integer
//   vectors with `vmovw`/`vmovsh` (a 19-byte load in a stride-1
//   DotProductConv, for example);
// - AVX-VNNI (Zen 4, Ice Lake, whose VNNI is EVEX-only): LLVM encodes 256-bit
//   dot products as `{vex} vpdpbusd` (a small int8 GEMV, for example).
// Either kernel dies with SIGILL there. No Halide 14 target option removes a
// feature, so each kernel's assembly is checked; one that uses a missing
// instruction is built for the target without avx512_sapphirerapids instead
// (same schedule, LLVM's cannonlake: no VPOPCNTQ/VNNI for that kernel, but it
// runs everywhere). FP16 is always checked; AVX-VNNI only for a CPU without
// it: the JIT host, or compilations inside an `IsaGuardScope` for such a CPU.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_ISAGUARD_H
#define QNN_CODEGEN_ISAGUARD_H

#include "Halide.h"

#include <map>
#include <string>
#include <vector>

namespace qnnc::codegen {

/// Whether x86 assembly (AT&T, as LLVM prints it) uses AVX512-FP16
/// instructions (F16C's vcvtph2ps/vcvtps2ph do not count).
bool usesAvx512Fp16(const std::string &assembly);

/// Whether x86 assembly uses AVX-VNNI: the VEX-encoded dot products LLVM
/// prints with a `{vex}` prefix (the EVEX forms are AVX512-VNNI).
bool usesAvxVnni(const std::string &assembly);

/// Kernels this thread compiles ahead of time while an instance lives are
/// for the CPU it describes, and it keeps a note of what the guard did. A
/// scope rather than a parameter because Halide 14's Target cannot say
/// "sapphirerapids without AVX-VNNI" and every kernel carries just a
/// Halide::Target. Without a scope, kernels are for a CPU with AVX-VNNI.
class IsaGuardScope {
public:
  explicit IsaGuardScope(bool cpuHasAvxVnni);
  ~IsaGuardScope();
  IsaGuardScope(const IsaGuardScope &) = delete;
  IsaGuardScope &operator=(const IsaGuardScope &) = delete;

  /// Why the last kernel compiled since the previous call was built without
  /// avx512_sapphirerapids; empty if none was.
  std::string takeNote();

private:
  friend void
  compileGuarded(Halide::Func &, const std::vector<Halide::Argument> &,
                 const std::map<Halide::OutputFileType, std::string> &,
                 const std::string &, const Halide::Target &);
  IsaGuardScope *outer;
  bool avxVnniMissing;
  std::string note;
};

/// Func::compile_to(files, ...) for `target`, or, if the kernel would use an
/// instruction the CPU lacks (see above), for `target` without
/// avx512_sapphirerapids.
void compileGuarded(Halide::Func &f, const std::vector<Halide::Argument> &args,
                    const std::map<Halide::OutputFileType, std::string> &files,
                    const std::string &name, const Halide::Target &target);

/// The same for a JIT run on this machine: checked (once per Func) only when
/// the host lacks AVX512-FP16 or AVX-VNNI.
Halide::Target jitTargetFor(Halide::Func &f, const Halide::Target &target);

} // namespace qnnc::codegen

#endif
