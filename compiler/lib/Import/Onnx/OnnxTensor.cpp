#include "OnnxTensor.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

namespace qnnc::onnximport {

using ref::DType;

std::optional<DType> dtypeFromOnnx(int32_t t) {
  switch (t) {
  case onnx::TensorProto::FLOAT:
    return DType::F32;
  case onnx::TensorProto::DOUBLE:
    return DType::F64;
  case onnx::TensorProto::BOOL:
    return DType::Bool;
  case onnx::TensorProto::INT8:
    return DType::I8;
  case onnx::TensorProto::UINT8:
    return DType::U8;
  case onnx::TensorProto::INT16:
    return DType::I16;
  case onnx::TensorProto::UINT16:
    return DType::U16;
  case onnx::TensorProto::INT32:
    return DType::I32;
  case onnx::TensorProto::UINT32:
    return DType::U32;
  case onnx::TensorProto::INT64:
    return DType::I64;
  default:
    return std::nullopt;
  }
}

std::string onnxTypeName(int32_t t) {
  if (onnx::TensorProto::DataType_IsValid(t))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(t));
  return "type #" + std::to_string(t);
}

namespace {

size_t byteSize(DType t) { return std::max(1, ref::bitWidth(t) / 8); }

double decodeRaw(DType t, const char *p) {
  auto get = [&](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return static_cast<double>(v);
  };
  switch (t) {
  case DType::F32:
    return get(float());
  case DType::F64:
    return get(double());
  case DType::Bool:
    return get(uint8_t()) ? 1.0 : 0.0;
  case DType::I8:
    return get(int8_t());
  case DType::U8:
    return get(uint8_t());
  case DType::I16:
    return get(int16_t());
  case DType::U16:
    return get(uint16_t());
  case DType::I32:
    return get(int32_t());
  case DType::U32:
    return get(uint32_t());
  case DType::I64:
    return get(int64_t());
  }
  return 0;
}

bool readExternal(const onnx::TensorProto &proto, const std::string &modelDir,
                  std::string &bytes, std::string &error) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &kv : proto.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset")
      offset = std::stoll(kv.value());
    else if (kv.key() == "length")
      length = std::stoll(kv.value());
  }
  if (location.empty() || location.find("..") != std::string::npos) {
    error = "external data of '" + proto.name() + "' has no valid location";
    return false;
  }
  std::ifstream in(modelDir + "/" + location, std::ios::binary);
  if (!in) {
    error = "cannot open external data file '" + location + "' of '" +
            proto.name() + "'";
    return false;
  }
  in.seekg(offset);
  bytes.assign(std::istreambuf_iterator<char>(in),
               std::istreambuf_iterator<char>());
  if (length >= 0) {
    if (static_cast<int64_t>(bytes.size()) < length) {
      error = "external data of '" + proto.name() + "' is truncated";
      return false;
    }
    bytes.resize(length);
  }
  return true;
}

} // namespace

bool tensorFromProto(const onnx::TensorProto &proto,
                     const std::string &modelDir, ref::Tensor &out,
                     std::string &error) {
  auto dtype = dtypeFromOnnx(proto.data_type());
  if (!dtype) {
    error = "tensor '" + proto.name() + "' has unsupported element type " +
            onnxTypeName(proto.data_type());
    return false;
  }
  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  // Count elements without overflow before allocating anything: a malformed
  // file may claim dimensions its data does not have.
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) {
      error = "tensor '" + proto.name() + "' has a negative dimension";
      return false;
    }
    if (d != 0 && count > kMaxTensorElements / d) {
      error = "tensor '" + proto.name() + "' claims more than " +
              std::to_string(kMaxTensorElements) + " elements";
      return false;
    }
    count *= d;
  }
  size_t available;
  switch (*dtype) {
  case DType::F32:
    available = proto.float_data_size();
    break;
  case DType::F64:
    available = proto.double_data_size();
    break;
  case DType::I64:
    available = proto.int64_data_size();
    break;
  case DType::U32:
    available = proto.uint64_data_size();
    break;
  default:
    available = proto.int32_data_size();
    break;
  }
  if (proto.has_raw_data())
    available = proto.raw_data().size() / byteSize(*dtype);
  if (proto.data_location() != onnx::TensorProto::EXTERNAL &&
      available != size_t(count)) {
    error = "tensor '" + proto.name() + "' has " + std::to_string(available) +
            " values but its shape needs " + std::to_string(count);
    return false;
  }
  out = ref::Tensor(*dtype, shape);
  size_t n = out.data.size();
  auto mismatch = [&](size_t got) {
    error = "tensor '" + proto.name() + "' has " + std::to_string(got) +
            " values but its shape " + out.describe() + " needs " +
            std::to_string(n);
    return false;
  };

  bool external = proto.data_location() == onnx::TensorProto::EXTERNAL;
  if (proto.has_raw_data() || external) {
    std::string externalBytes;
    if (external && !readExternal(proto, modelDir, externalBytes, error))
      return false;
    const std::string &raw = external ? externalBytes : proto.raw_data();
    size_t size = byteSize(*dtype);
    if (raw.size() != n * size)
      return mismatch(raw.size() / size);
    for (size_t i = 0; i < n; ++i)
      out.data[i] = decodeRaw(*dtype, raw.data() + i * size);
    return true;
  }
  auto copy = [&](const auto &field) {
    if (static_cast<size_t>(field.size()) != n)
      return mismatch(field.size());
    for (size_t i = 0; i < n; ++i)
      out.data[i] = static_cast<double>(field.Get(i));
    return true;
  };
  switch (*dtype) {
  case DType::F32:
    return copy(proto.float_data());
  case DType::F64:
    return copy(proto.double_data());
  case DType::I64:
    return copy(proto.int64_data());
  case DType::U32:
    return copy(proto.uint64_data());
  default:
    return copy(proto.int32_data()); // bool, (u)int8, (u)int16, int32
  }
}

} // namespace qnnc::onnximport
