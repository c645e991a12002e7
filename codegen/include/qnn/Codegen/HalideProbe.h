//===- HalideProbe.h - Check that libHalide works inside qnnc -------------===//

#ifndef QNN_CODEGEN_HALIDEPROBE_H
#define QNN_CODEGEN_HALIDEPROBE_H

#include <cstdint>
#include <string>
#include <vector>

namespace qnnc::codegen {

/// The Halide target string that qnnc would compile for on this machine.
std::string halideHostTarget();

/// JIT-compiles a binary dot product (AND + popcount over 64-bit words,
/// reduced) with Halide and runs it: sum_i popcount(a[i] & b[i]). Throws
/// std::runtime_error if Halide fails.
int64_t halideAndPopcount(const std::vector<uint64_t> &a,
                          const std::vector<uint64_t> &b);

} // namespace qnnc::codegen

#endif
