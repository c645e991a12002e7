/* qnnc_runtime.h - the runtime every qnnc-generated library links.
 *
 * Plain C99. The generated kernels are Halide pipelines compiled without
 * Halide's runtime; the few entry points they call (parallel-for) are defined
 * in qnnc_runtime.c. The buffer structs below are the Halide 14 ABI
 * (halide_buffer_t / halide_dimension_t): the kernels read them, so field
 * order and sizes are fixed; a unit test checks them against HalideRuntime.h.
 */
#ifndef QNNC_RUNTIME_H
#define QNNC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes returned by every generated entry point. */
enum qnnc_status {
  QNNC_OK = 0,
  QNNC_ERR_NULL_ARGUMENT = -1,   /* a pointer argument is NULL */
  QNNC_ERR_WORKSPACE_SIZE = -2,  /* workspace smaller than <name>_workspace_size() */
  QNNC_ERR_ALIGNMENT = -3,       /* workspace not 64-byte aligned */
  QNNC_ERR_NOT_INITIALIZED = -4, /* workspace not set up by <name>_init */
  QNNC_ERR_THREADS = -5,         /* thread count < 1, or threads unavailable */
  QNNC_ERR_KERNEL = -6           /* a kernel reported failure */
};

const char *qnnc_status_string(int status);

#ifndef HALIDE_HALIDERUNTIME_H
/* Halide 14 buffer ABI (see the note at the top). */
struct halide_dimension_t {
  int32_t min, extent, stride;
  uint32_t flags;
};
struct halide_type_t {
  uint8_t code, bits;
  uint16_t lanes;
};
struct halide_buffer_t {
  uint64_t device;
  const void *device_interface;
  uint8_t *host;
  uint64_t flags;
  struct halide_type_t type;
  int32_t dimensions;
  struct halide_dimension_t *dim;
  void *padding;
};
#endif

/* Per-call state handed to every kernel as Halide's user_context. */
struct qnnc_context {
  int threads;
};

/* Fills `b` (dimensions `rank`, extents innermost first, dense) to describe
 * `host`. `dims` must hold `rank` entries and outlive the call. */
void qnnc_buffer(struct halide_buffer_t *b, struct halide_dimension_t *dims,
                 void *host, int code, int bits, int rank,
                 const int32_t *extents);

#ifdef __cplusplus
}
#endif

#endif
