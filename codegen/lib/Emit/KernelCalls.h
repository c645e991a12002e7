//===- KernelCalls.h - One Halide kernel and its call in the glue ---------===//

#ifndef QNN_CODEGEN_EMIT_KERNELCALLS_H
#define QNN_CODEGEN_EMIT_KERNELCALLS_H

#include "qnn/Codegen/Emit/Target.h"
#include "qnn/Codegen/KernelOutputs.h"

#include "mlir/IR/Operation.h"

#include <functional>
#include <string>
#include <vector>

namespace qnnc::codegen {

/// Where a kernel argument lives at run time.
struct BufferRef {
  enum Kind { ModelInput, ModelOutput, Arena, Constant } kind = Arena;
  int64_t offset = 0;           ///< Arena: byte offset
  std::string constant;         ///< Constant: C array name
  int code = 0, bits = 32;      ///< halide_type_t (0 int, 1 uint, 2 float)
  std::vector<int64_t> extents; ///< innermost first, dense
};

/// A C array of constants for the glue.
struct ConstantArray {
  std::string name, ctype;
  std::vector<std::string> literals;
  int64_t bytes = 0;
};

/// How the glue describes a kernel's result to a trace callback
/// (struct qnnc_tensor_view in qnnc_runtime.h).
struct TraceView {
  int kind = 0;              ///< QNNC_VIEW_*, -1: no view (scratch buffers)
  bool channelMajor = false; ///< one image: trace in NCHW order
  int encoding = 0, bits = 0;
  int64_t channels = 0, columns = 0, lanes = 0, words = 0, planes = 0,
          panels = 0;
};

struct KernelCall {
  std::string function; ///< C symbol of the Halide pipeline
  std::string layer;    ///< ONNX node the result belongs to
  std::string kind;     ///< one-line description for reports and metadata
  std::vector<BufferRef> args; ///< Halide argument order, result last
  TraceView view;
  /// Compiles the Halide pipeline into the requested files.
  std::function<void(const KernelOutputs &)> compile;
};

/// Builds the kernel for one planned qkernel op. `name` is the C symbol;
/// `constants` receives the op's constant arrays. False with `error`.
bool buildKernelCall(mlir::Operation *op, const std::string &name,
                     const TargetInfo &target,
                     std::vector<ConstantArray> &constants, KernelCall &call,
                     std::string &error);

} // namespace qnnc::codegen

#endif
