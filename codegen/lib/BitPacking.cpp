#include "qnn/Codegen/BitPacking.h"

#include <cstddef>

namespace qnnc::codegen {

int64_t Operand::coefficient(int plane) const {
  if (encoding == Encoding::Bipolar)
    return 2;
  if (encoding == Encoding::TwosComplement && plane == bits - 1)
    return -(int64_t(1) << plane);
  return int64_t(1) << plane;
}

bool Operand::representable(int64_t v) const {
  switch (encoding) {
  case Encoding::Bipolar:
    return v == 1 || v == -1;
  case Encoding::Unsigned:
    return v >= 0 && v < (int64_t(1) << bits);
  case Encoding::TwosComplement:
    return v >= -(int64_t(1) << (bits - 1)) && v < (int64_t(1) << (bits - 1));
  }
  return false;
}

uint64_t Operand::encode(int64_t v) const {
  if (encoding == Encoding::Bipolar)
    return v > 0 ? 1 : 0;
  return uint64_t(v) & ((uint64_t(1) << bits) - 1);
}

std::vector<uint64_t> packRows(const std::vector<int64_t> &values, int64_t m,
                               int64_t k, const Operand &op) {
  int64_t kw = wordsFor(k);
  std::vector<uint64_t> out(std::size_t(op.planes()) * m * kw, 0);
  for (int64_t r = 0; r < m; ++r)
    for (int64_t c = 0; c < k; ++c) {
      uint64_t code = op.encode(values[r * k + c]);
      for (int p = 0; p < op.planes(); ++p)
        if (code >> p & 1)
          out[(std::size_t(p) * m + r) * kw + c / 64] |= uint64_t(1)
                                                         << (c % 64);
    }
  return out;
}

std::vector<uint64_t> packColumnPanels(const std::vector<int64_t> &values,
                                       int64_t k, int64_t n, int64_t panelWidth,
                                       const Operand &op) {
  int64_t kw = wordsFor(k), panels = (n + panelWidth - 1) / panelWidth;
  std::vector<uint64_t> out(std::size_t(op.planes()) * panels * kw * panelWidth,
                            0);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c) {
      uint64_t code = op.encode(values[r * n + c]);
      int64_t panel = c / panelWidth, lane = c % panelWidth;
      for (int p = 0; p < op.planes(); ++p)
        if (code >> p & 1)
          out[((std::size_t(p) * panels + panel) * kw + r / 64) * panelWidth +
              lane] |= uint64_t(1) << (r % 64);
    }
  return out;
}

std::vector<uint64_t> packPixels(const std::vector<int64_t> &values, int64_t h,
                                 int64_t w, int64_t c, const Operand &op) {
  int64_t cw = wordsFor(c);
  std::vector<uint64_t> out(std::size_t(op.planes()) * h * w * cw, 0);
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t ch = 0; ch < c; ++ch) {
        uint64_t code = op.encode(values[(y * w + x) * c + ch]);
        for (int p = 0; p < op.planes(); ++p)
          if (code >> p & 1)
            out[((std::size_t(p) * h + y) * w + x) * cw + ch / 64] |=
                uint64_t(1) << (ch % 64);
      }
  return out;
}

std::vector<uint64_t> packConvWeights(const std::vector<int64_t> &values,
                                      int64_t m, int64_t c, int64_t kh,
                                      int64_t kw, const Operand &op) {
  // Row o's K bits run over (ky, kx, channel); padding stays zero.
  int64_t cpad = convPositionBits(c), words = convGemmK(kh, kw, c) / 64;
  std::vector<uint64_t> out(std::size_t(op.planes()) * m * words, 0);
  for (int64_t o = 0; o < m; ++o)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
          int64_t pos = (y * kw + x) * cpad + ch;
          uint64_t code = op.encode(values[((o * c + ch) * kh + y) * kw + x]);
          for (int p = 0; p < op.planes(); ++p)
            if (code >> p & 1)
              out[(std::size_t(p) * m + o) * words + pos / 64] |= uint64_t(1)
                                                                  << (pos % 64);
        }
  return out;
}

std::vector<uint64_t> tileGemvRows(const std::vector<uint64_t> &packed,
                                   int64_t m, int64_t k, int planes, int rows) {
  const int64_t kw = wordsFor(k), tiles = (m + rows - 1) / rows;
  std::vector<uint64_t> out(std::size_t(planes * tiles * kw * rows), 0);
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t r = 0; r < m; ++r)
      for (int64_t w = 0; w < kw; ++w)
        out[std::size_t(((p * tiles + r / rows) * kw + w) * rows + r % rows)] =
            packed[std::size_t((p * m + r) * kw + w)];
  return out;
}

} // namespace qnnc::codegen
