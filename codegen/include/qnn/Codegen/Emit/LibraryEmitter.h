//===- LibraryEmitter.h - qkernel function -> lib<name>.a + <name>.h ------===//

#ifndef QNN_CODEGEN_EMIT_LIBRARYEMITTER_H
#define QNN_CODEGEN_EMIT_LIBRARYEMITTER_H

#include "qnn/Codegen/Emit/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <functional>
#include <string>

namespace qnnc::codegen {

struct LibraryOptions {
  std::string name;   ///< C prefix of every symbol, and lib<name>.a
  std::string outDir; ///< receives the library, header and intermediates
  TargetInfo target;
  /// How far to go: Halide statements, assembly, objects, or the library.
  enum class Stop { HalideStmt, Asm, Obj, Lib } stop = Stop::Lib;
  /// Called with one line per step of a compile.
  std::function<void(const std::string &)> progress;
};

/// Compiles every kernel of `func` (planned qkernel IR) with Halide, writes the
/// C glue, header and runtime, compiles them for the target and archives
/// everything into outDir/lib<name>.a (plus <name>.h and qnnc_runtime.h).
/// Returns false with `error` naming the op or the failing tool.
bool emitLibrary(mlir::func::FuncOp func, const LibraryOptions &options,
                 std::string &error);

/// Runs `argv` (argv[0] looked up in PATH); false with `error` holding its
/// output when it cannot start or fails.
bool runTool(const std::vector<std::string> &argv, std::string &error);

/// C source of the program `qnnc run` links against lib<name>.a (see
/// Runner.cpp); `outType` is the output's C element type.
std::string emitRunner(const std::string &name, const std::string &outType);

/// Source text of runtime/ (embedded at build time), by file name.
const char *runtimeSource(const std::string &file);

} // namespace qnnc::codegen

#endif
