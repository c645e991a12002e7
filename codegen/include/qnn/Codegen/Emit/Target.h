//===- Target.h - A qnnc target: Halide target + C toolchain --------------===//

#ifndef QNN_CODEGEN_EMIT_TARGET_H
#define QNN_CODEGEN_EMIT_TARGET_H

#include "Halide.h"

#include <string>
#include <vector>

namespace qnnc::codegen {

struct TargetInfo {
  std::string spec;      ///< as the user gave it ("host", "arm-64-linux", ...)
  Halide::Target halide; ///< kernels, with the no-runtime features added
  std::string cc, ar;    ///< C compiler and archiver for glue and runtime
  std::vector<std::string> cflags;
  /// Whether the CPU has AVX-VNNI (matters for avx512_sapphirerapids targets
  /// only: kernels that would use it are rebuilt without, see IsaGuard.h).
  bool avxVnni = true;
  /// Parallel loops over row tiles (the caller picks the thread count).
  bool parallel = true;
  /// 64-bit lanes of one vector register (panel width unit of the GEMMs).
  int lanes() const;
};

/// Resolves `spec` ("host", "x86-64-sse41", "x86-64-avx2", "x86-64-avx512",
/// "x86-64-avx512-vnni", "x86-64-avx512-zen4", "arm-64-linux", "arm-32-linux"
/// or any Halide target string). `cc` overrides the C compiler (else $QNNC_CC,
/// else the Debian compiler for the target); the archiver is the compiler's
/// binutils `ar`. Returns false with `error`.
bool resolveTarget(const std::string &spec, const std::string &cc,
                   TargetInfo &out, std::string &error);

/// The targets `--target` documents, one per line with a description.
std::string describeTargets();

} // namespace qnnc::codegen

#endif
