#include "qnn/Codegen/IntegerGemmLayout.h"

#include <cstddef>

namespace qnnc::codegen {

std::array<int64_t, 3> IntegerGemmLayout::weightExtents(int64_t m,
                                                        int64_t k) const {
  if (!tileRows)
    return {group, m, groups(k)};
  return {group, tileRows, (m + tileRows - 1) / tileRows * groups(k)};
}

std::vector<int16_t>
IntegerGemmLayout::packWeights(const std::vector<int32_t> &w, int64_t m,
                               int64_t k) const {
  std::array<int64_t, 3> e = weightExtents(m, k);
  std::vector<int16_t> out(std::size_t(e[0] * e[1] * e[2]), 0);
  // Untiled: one tile of all M rows.
  const int64_t rows = tileRows ? tileRows : m, kq = groups(k);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p) {
      int64_t q = i / rows * kq + p / group;
      out[std::size_t((q * rows + i % rows) * group + p % group)] =
          int16_t(w[std::size_t(i * k + p)]);
    }
  return out;
}

std::vector<int32_t>
IntegerGemmLayout::foldBias(const std::vector<int32_t> &w, int64_t m, int64_t k,
                            int32_t zeroPoint,
                            const std::vector<int32_t> &bias) const {
  std::vector<int32_t> out(std::size_t(m), 0);
  for (int64_t i = 0; i < m; ++i) {
    int64_t sum = 0;
    for (int64_t p = 0; p < k; ++p)
      sum += w[std::size_t(i * k + p)];
    // Wraps like the int32 accumulator it corrects.
    out[std::size_t(i)] =
        int32_t(uint32_t(bias.empty() ? 0 : bias[std::size_t(i)]) -
                uint32_t(int64_t(zeroPoint - inputOffset) * sum));
  }
  return out;
}

} // namespace qnnc::codegen
