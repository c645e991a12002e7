// The generated kernels read halide_buffer_t as Halide 14 lays it out; the
// glue fills the runtime's own copy of that struct (qnnc_runtime.h), so both
// must agree field by field.
#include "HalideRuntime.h"

#include <gtest/gtest.h>

#include <cstddef>

extern "C" void qnnc_runtime_abi_layout(size_t out[12]);

namespace {

TEST(RuntimeAbi, BufferStructsMatchHalide14) {
  size_t ours[12];
  qnnc_runtime_abi_layout(ours);
  const size_t halide[12] = {sizeof(halide_dimension_t),
                             offsetof(halide_dimension_t, extent),
                             offsetof(halide_dimension_t, stride),
                             offsetof(halide_dimension_t, flags),
                             sizeof(halide_buffer_t),
                             offsetof(halide_buffer_t, device_interface),
                             offsetof(halide_buffer_t, host),
                             offsetof(halide_buffer_t, flags),
                             offsetof(halide_buffer_t, type),
                             offsetof(halide_buffer_t, dimensions),
                             offsetof(halide_buffer_t, dim),
                             offsetof(halide_buffer_t, padding)};
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(ours[i], halide[i]) << "field " << i;
}

} // namespace
