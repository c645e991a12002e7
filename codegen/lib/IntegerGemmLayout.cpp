#include "qnn/Codegen/IntegerGemmLayout.h"

#include <cstddef>

namespace qnnc::codegen {

std::vector<int16_t>
IntegerGemmLayout::packWeights(const std::vector<int32_t> &w, int64_t m,
                               int64_t k) const {
  std::vector<int16_t> out(std::size_t(groups(k) * m * group), 0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p)
      out[std::size_t(((p / group) * m + i) * group + p % group)] =
          int16_t(w[std::size_t(i * k + p)]);
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
