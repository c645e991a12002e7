/* The qnnc runtime's own definition of the Halide buffer ABI, measured in C
 * (this file does not see HalideRuntime.h); RuntimeAbiTest.cpp compares. */
#include "qnnc_runtime.h"

#include <stddef.h>

void qnnc_runtime_abi_layout(size_t out[12]) {
  out[0] = sizeof(struct halide_dimension_t);
  out[1] = offsetof(struct halide_dimension_t, extent);
  out[2] = offsetof(struct halide_dimension_t, stride);
  out[3] = offsetof(struct halide_dimension_t, flags);
  out[4] = sizeof(struct halide_buffer_t);
  out[5] = offsetof(struct halide_buffer_t, device_interface);
  out[6] = offsetof(struct halide_buffer_t, host);
  out[7] = offsetof(struct halide_buffer_t, flags);
  out[8] = offsetof(struct halide_buffer_t, type);
  out[9] = offsetof(struct halide_buffer_t, dimensions);
  out[10] = offsetof(struct halide_buffer_t, dim);
  out[11] = offsetof(struct halide_buffer_t, padding);
}
