//===- Fp16Guard.h - Keep AVX512-FP16 out of kernels for AMD cores --------===//
//
// Halide 14 has one x86 target with VPOPCNTDQ and VNNI, avx512_sapphirerapids,
// and compiles it with LLVM's -mcpu=sapphirerapids. That CPU has AVX512-FP16,
// which AMD Zen 4 and Zen 5 (where Halide's host target is the same) do not:
// LLVM then moves odd 16-bit pieces of integer vectors with `vmovw`/`vmovsh`
// (a 19-byte load in a stride-1 DotProductConv, for example), and the kernel
// dies with SIGILL there. No Halide 14 target option removes the feature, so
// each kernel's assembly is checked; one that uses FP16 is built for
// the target without avx512_sapphirerapids instead (same schedule, LLVM's
// cannonlake: no VPOPCNTQ/VNNI for that kernel, but it runs everywhere).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CODEGEN_FP16GUARD_H
#define QNN_CODEGEN_FP16GUARD_H

#include "Halide.h"

#include <map>
#include <string>
#include <vector>

namespace qnnc::codegen {

/// Whether x86 assembly (AT&T, as LLVM prints it) uses AVX512-FP16
/// instructions (F16C's vcvtph2ps/vcvtps2ph do not count).
bool usesAvx512Fp16(const std::string &assembly);

/// Func::compile_to(files, ...) for `target`, or, if the kernel would use
/// AVX512-FP16 instructions, for `target` without avx512_sapphirerapids.
void compileWithoutFp16(
    Halide::Func &f, const std::vector<Halide::Argument> &args,
    const std::map<Halide::OutputFileType, std::string> &files,
    const std::string &name, const Halide::Target &target);

/// The same for a JIT run on this machine: checked (once per Func) only when
/// the host lacks AVX512-FP16.
Halide::Target jitTargetFor(Halide::Func &f, const Halide::Target &target);

} // namespace qnnc::codegen

#endif
