#include "qnn/Reference/Npy.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace qnnc::ref {
namespace {

struct NpyType {
  const char *descr;
  DType dtype;
  size_t size;
};

const NpyType kTypes[] = {
    {"<f4", DType::F32, 4}, {"<f8", DType::F64, 8}, {"|b1", DType::Bool, 1},
    {"|i1", DType::I8, 1},  {"|u1", DType::U8, 1},  {"<i2", DType::I16, 2},
    {"<u2", DType::U16, 2}, {"<i4", DType::I32, 4}, {"<u4", DType::U32, 4},
    {"<i8", DType::I64, 8},
};

template <typename T> double load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return static_cast<double>(v);
}

template <typename T> void store(char *p, double v) {
  T x = static_cast<T>(v);
  std::memcpy(p, &x, sizeof(T));
}

double decode(DType t, const char *p) {
  switch (t) {
  case DType::F32:
    return load<float>(p);
  case DType::F64:
    return load<double>(p);
  case DType::Bool:
    return load<uint8_t>(p) ? 1.0 : 0.0;
  case DType::I8:
    return load<int8_t>(p);
  case DType::U8:
    return load<uint8_t>(p);
  case DType::I16:
    return load<int16_t>(p);
  case DType::U16:
    return load<uint16_t>(p);
  case DType::I32:
    return load<int32_t>(p);
  case DType::U32:
    return load<uint32_t>(p);
  case DType::I64:
    return load<int64_t>(p);
  }
  return 0;
}

void encode(DType t, char *p, double v) {
  switch (t) {
  case DType::F32:
    return store<float>(p, v);
  case DType::F64:
    return store<double>(p, v);
  case DType::Bool:
    return store<uint8_t>(p, v != 0);
  case DType::I8:
    return store<int8_t>(p, v);
  case DType::U8:
    return store<uint8_t>(p, v);
  case DType::I16:
    return store<int16_t>(p, v);
  case DType::U16:
    return store<uint16_t>(p, v);
  case DType::I32:
    return store<int32_t>(p, v);
  case DType::U32:
    return store<uint32_t>(p, v);
  case DType::I64:
    return store<int64_t>(p, v);
  }
}

/// Extracts the value text of 'key' from the header's Python dict literal.
bool dictValue(const std::string &header, const std::string &key,
               std::string &value) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos)
    return false;
  size_t colon = header.find(':', k);
  if (colon == std::string::npos)
    return false;
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos)
    return false;
  size_t end;
  if (header[start] == '(')
    end = header.find(')', start) + 1;
  else if (header[start] == '\'')
    end = header.find('\'', start + 1) + 1;
  else
    end = header.find_first_of(",}", start);
  if (end == std::string::npos || end == 0)
    return false;
  value = header.substr(start, end - start);
  return true;
}

} // namespace

bool readNpy(const std::string &path, Tensor &out, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    error = "'" + path + "' is not a .npy file (bad magic)";
    return false;
  }
  int major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                static_cast<unsigned char>(bytes[9]) << 8;
    offset = 10;
  } else if (bytes.size() >= 12) {
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = headerLen << 8 | static_cast<unsigned char>(bytes[8 + i]);
    offset = 12;
  } else {
    error = "'" + path + "': truncated .npy header";
    return false;
  }
  if (offset + headerLen > bytes.size()) {
    error = "'" + path + "': truncated .npy header";
    return false;
  }
  std::string header = bytes.substr(offset, headerLen);
  std::string descr, fortran, shapeText;
  if (!dictValue(header, "descr", descr) ||
      !dictValue(header, "fortran_order", fortran) ||
      !dictValue(header, "shape", shapeText)) {
    error = "'" + path + "': malformed .npy header";
    return false;
  }
  if (fortran != "False") {
    error = "'" + path + "': Fortran-order arrays are not supported";
    return false;
  }
  descr = descr.substr(1, descr.size() - 2);
  if (descr == "=f4" || descr == "=f8" || descr == "=i4" || descr == "=i8")
    descr[0] = '<';
  const NpyType *type = nullptr;
  for (const NpyType &t : kTypes)
    if (descr == t.descr)
      type = &t;
  if (!type) {
    error = "'" + path + "': unsupported dtype '" + descr + "'";
    return false;
  }
  std::vector<int64_t> shape;
  std::stringstream ss(shapeText.substr(1, shapeText.size() - 2));
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos)
      continue;
    shape.push_back(std::stoll(item));
  }
  int64_t n = product(shape);
  size_t dataStart = offset + headerLen;
  if (bytes.size() - dataStart < static_cast<size_t>(n) * type->size) {
    error = "'" + path + "': truncated data (" + std::to_string(n) +
            " elements expected)";
    return false;
  }
  out = Tensor(type->dtype, shape);
  for (int64_t i = 0; i < n; ++i)
    out.data[i] =
        decode(type->dtype, bytes.data() + dataStart + i * type->size);
  return true;
}

bool writeNpy(const std::string &path, const Tensor &t, std::string &error) {
  const NpyType *type = nullptr;
  for (const NpyType &k : kTypes)
    if (k.dtype == t.dtype)
      type = &k;
  std::string header = std::string("{'descr': '") + type->descr +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t d : t.shape)
    header += std::to_string(d) + ", ";
  if (!t.shape.empty())
    header.pop_back(); // "(5, " -> "(5,", a valid one-element tuple
  header += "), }";
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  size_t start = bytes.size();
  bytes.resize(start + t.data.size() * type->size);
  for (size_t i = 0; i < t.data.size(); ++i)
    encode(t.dtype, &bytes[start + i * type->size], t.data[i]);
  std::ofstream outFile(path, std::ios::binary);
  if (!outFile.write(bytes.data(), bytes.size())) {
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

} // namespace qnnc::ref
