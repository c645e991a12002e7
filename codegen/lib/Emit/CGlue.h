//===- CGlue.h - The generated C API: <name>.h and <name>.c ---------------===//

#ifndef QNN_CODEGEN_EMIT_CGLUE_H
#define QNN_CODEGEN_EMIT_CGLUE_H

#include "KernelCalls.h"

#include <string>
#include <vector>

namespace qnnc::codegen {

struct GlueModel {
  std::string name, source, target;
  std::vector<int64_t> inputShape, outputShape;
  std::string inputCType, outputCType;
  int64_t arenaBytes = 0;
  std::vector<KernelCall> calls;
  std::vector<ConstantArray> constants;
};

std::string emitHeader(const GlueModel &model);
std::string emitSource(const GlueModel &model);

} // namespace qnnc::codegen

#endif
