//===- Npy.h - Read and write NumPy .npy files ----------------------------===//

#ifndef QNN_REFERENCE_NPY_H
#define QNN_REFERENCE_NPY_H

#include "qnn/Reference/Tensor.h"

#include <string>

namespace qnnc::ref {

/// Reads a C-order .npy file (format 1.0-3.0; f4, f8, b1, i1, u1, i2, u2, i4,
/// u4, i8). Returns false and sets `error` on any problem.
bool readNpy(const std::string &path, Tensor &out, std::string &error);

/// Writes `t` as a format-1.0 .npy file with the dtype matching t.dtype.
bool writeNpy(const std::string &path, const Tensor &t, std::string &error);

} // namespace qnnc::ref

#endif
