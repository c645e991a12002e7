#include "qnn/Codegen/HalideProbe.h"

#include "Halide.h"

#include <stdexcept>

namespace qnnc::codegen {

std::string halideHostTarget() { return Halide::get_host_target().to_string(); }

int64_t halideAndPopcount(const std::vector<uint64_t> &a,
                          const std::vector<uint64_t> &b) {
  if (a.size() != b.size() || a.empty())
    throw std::runtime_error(
        "halideAndPopcount: operands must be non-empty and equally long");
  try {
    Halide::Buffer<uint64_t> bufA(const_cast<uint64_t *>(a.data()),
                                  (int)a.size());
    Halide::Buffer<uint64_t> bufB(const_cast<uint64_t *>(b.data()),
                                  (int)b.size());
    Halide::RDom k(0, (int)a.size());
    Halide::Func dot("dot");
    dot() = Halide::cast<int64_t>(0);
    dot() += Halide::cast<int64_t>(Halide::popcount(bufA(k) & bufB(k)));
    Halide::Buffer<int64_t> out = dot.realize({});
    return out();
  } catch (const Halide::Error &e) {
    throw std::runtime_error(std::string("Halide: ") + e.what());
  }
}

} // namespace qnnc::codegen
