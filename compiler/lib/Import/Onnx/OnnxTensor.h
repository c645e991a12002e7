//===- OnnxTensor.h - ONNX TensorProto and type conversion ----------------===//

#ifndef QNN_IMPORT_ONNX_ONNXTENSOR_H
#define QNN_IMPORT_ONNX_ONNXTENSOR_H

#include "qnn/Reference/Tensor.h"

#include "onnx/onnx_pb.h"

#include <optional>
#include <string>

namespace qnnc::onnximport {

/// Largest tensor the importer materializes (2^31 elements): bigger claims are
/// malformed input for the networks qnnc compiles, and refusing them avoids
/// out-of-memory aborts.
constexpr int64_t kMaxTensorElements = int64_t(1) << 31;

/// Maps an ONNX TensorProto data type to the evaluator's dtype; std::nullopt if
/// unsupported.
std::optional<ref::DType> dtypeFromOnnx(int32_t onnxType);
std::string onnxTypeName(int32_t onnxType);

/// Decodes an initializer or Constant value (raw_data or the typed fields).
/// Returns false and sets `error` if the type is unsupported or the data does
/// not match the shape. External data is resolved relative to `modelDir`.
bool tensorFromProto(const onnx::TensorProto &proto,
                     const std::string &modelDir, ref::Tensor &out,
                     std::string &error);

} // namespace qnnc::onnximport

#endif
