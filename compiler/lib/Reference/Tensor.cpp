#include "qnn/Reference/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace qnnc::ref {

bool isFloat(DType t) { return t == DType::F32 || t == DType::F64; }

const char *dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::Bool:
    return "bool";
  case DType::I8:
    return "si8";
  case DType::U8:
    return "ui8";
  case DType::I16:
    return "si16";
  case DType::U16:
    return "ui16";
  case DType::I32:
    return "si32";
  case DType::U32:
    return "ui32";
  case DType::I64:
    return "si64";
  }
  return "?";
}

int bitWidth(DType t) {
  switch (t) {
  case DType::Bool:
    return 1;
  case DType::I8:
  case DType::U8:
    return 8;
  case DType::I16:
  case DType::U16:
    return 16;
  case DType::F32:
  case DType::I32:
  case DType::U32:
    return 32;
  default:
    return 64;
  }
}

static bool isUnsigned(DType t) {
  return t == DType::U8 || t == DType::U16 || t == DType::U32 ||
         t == DType::Bool;
}

double minValue(DType t) {
  if (isFloat(t))
    return -std::numeric_limits<double>::infinity();
  return isUnsigned(t) ? 0.0 : -std::ldexp(1.0, bitWidth(t) - 1);
}

double maxValue(DType t) {
  if (isFloat(t))
    return std::numeric_limits<double>::infinity();
  return isUnsigned(t) ? std::ldexp(1.0, bitWidth(t)) - 1
                       : std::ldexp(1.0, bitWidth(t) - 1) - 1;
}

double castTo(DType t, double v) {
  switch (t) {
  case DType::F32:
    return static_cast<double>(static_cast<float>(v));
  case DType::F64:
    return v;
  case DType::Bool:
    return v != 0.0 ? 1.0 : 0.0;
  case DType::I64:
    return std::trunc(v);
  default: {
    // Wrap like a C cast from a 64-bit integer (values here are always integers
    // in range of int64 already; truncation toward zero matches ONNX Cast from
    // float).
    int64_t i = static_cast<int64_t>(std::trunc(v));
    int b = bitWidth(t);
    uint64_t mask = (uint64_t(1) << b) - 1;
    uint64_t u = static_cast<uint64_t>(i) & mask;
    if (!isUnsigned(t) && (u >> (b - 1)))
      return static_cast<double>(static_cast<int64_t>(u) -
                                 static_cast<int64_t>(mask) - 1);
    return static_cast<double>(u);
  }
  }
  return v;
}

DType dtypeFromMlir(mlir::Type t) {
  if (t.isF32())
    return DType::F32;
  if (t.isF64())
    return DType::F64;
  auto i = mlir::dyn_cast<mlir::IntegerType>(t);
  assert(i && "unsupported element type");
  bool u = i.isUnsigned();
  unsigned w = i.getWidth();
  // Sub-byte streamlined types (si2, ui4, ...) are held in the next wider type: their values
  // always fit, and ops on them never rely on wrap-around.
  if (w == 1 && i.isSignless())
    return DType::Bool;
  if (w <= 8)
    return u ? DType::U8 : DType::I8;
  if (w <= 16)
    return u ? DType::U16 : DType::I16;
  if (w <= 32)
    return u ? DType::U32 : DType::I32;
  return DType::I64;
}

mlir::Type dtypeToMlir(mlir::MLIRContext *ctx, DType t) {
  using IT = mlir::IntegerType;
  switch (t) {
  case DType::F32:
    return mlir::Float32Type::get(ctx);
  case DType::F64:
    return mlir::Float64Type::get(ctx);
  case DType::Bool:
    return IT::get(ctx, 1);
  case DType::I8:
    return IT::get(ctx, 8, IT::Signed);
  case DType::U8:
    return IT::get(ctx, 8, IT::Unsigned);
  case DType::I16:
    return IT::get(ctx, 16, IT::Signed);
  case DType::U16:
    return IT::get(ctx, 16, IT::Unsigned);
  case DType::I32:
    return IT::get(ctx, 32, IT::Signed);
  case DType::U32:
    return IT::get(ctx, 32, IT::Unsigned);
  case DType::I64:
    return IT::get(ctx, 64, IT::Signed);
  }
  return {};
}

int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape)
    : dtype(dtype), shape(std::move(shape)), data(product(this->shape), 0.0) {}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape,
               std::vector<double> data)
    : dtype(dtype), shape(std::move(shape)), data(std::move(data)) {
  assert(static_cast<int64_t>(this->data.size()) == product(this->shape));
}

std::vector<int64_t> Tensor::strides() const {
  std::vector<int64_t> s(shape.size(), 1);
  for (int64_t i = rank() - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

std::string Tensor::describe() const {
  std::string s = std::string(dtypeName(dtype)) + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

} // namespace qnnc::ref
