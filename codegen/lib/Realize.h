//===- Realize.h - JIT-run or compile a kernel, errors as exceptions ------===//

#ifndef QNN_CODEGEN_REALIZE_H
#define QNN_CODEGEN_REALIZE_H

#include "qnn/Codegen/IsaGuard.h"
#include "qnn/Codegen/KernelOutputs.h"

#include "Halide.h"

#include <stdexcept>
#include <string>

namespace qnnc::codegen {

/// Realizes `f` into `out` for `target`; Halide's errors become
/// std::runtime_error, so callers need no Halide exception types.
template <typename T>
void realizeInto(Halide::Func &f, Halide::Buffer<T> &out,
                 const Halide::Target &target) {
  try {
    f.realize(out, jitTargetFor(f, target));
  } catch (const Halide::Error &e) {
    throw std::runtime_error(std::string("Halide: ") + e.what());
  }
}

/// Compiles `f` ahead of time into the requested files (object, assembly,
/// lowered statement); Halide's errors become std::runtime_error.
inline void compileOutputs(Halide::Func &f,
                           const std::vector<Halide::Argument> &args,
                           const KernelOutputs &files, const std::string &name,
                           const Halide::Target &target) {
  try {
    compileGuarded(f, args, files, name, target);
  } catch (const Halide::Error &e) {
    throw std::runtime_error(std::string("Halide: ") + e.what());
  }
}

} // namespace qnnc::codegen

#endif
