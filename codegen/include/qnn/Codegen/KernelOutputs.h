//===- KernelOutputs.h - Files an ahead-of-time kernel compile writes -----===//

#ifndef QNN_CODEGEN_KERNELOUTPUTS_H
#define QNN_CODEGEN_KERNELOUTPUTS_H

#include "Halide.h"

#include <map>
#include <string>

namespace qnnc::codegen {

/// Output kind (object, assembly, stmt, ...) -> path.
using KernelOutputs = std::map<Halide::OutputFileType, std::string>;

} // namespace qnnc::codegen

#endif
