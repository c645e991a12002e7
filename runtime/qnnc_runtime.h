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
  QNNC_ERR_NULL_ARGUMENT = -1, /* a pointer argument is NULL */
  QNNC_ERR_WORKSPACE_SIZE =
      -2,                  /* workspace smaller than <name>_workspace_size() */
  QNNC_ERR_ALIGNMENT = -3, /* workspace not 64-byte aligned */
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

/* A kernel result as the trace callback sees it. Packed bit-planes: bit b of
 * word ((plane * panels + panel) * words + w) * lanes + lane is bit-plane
 * `plane` of channel 64 w + b, column (batch element) panel * lanes + lane. */
enum qnnc_view_kind {
  QNNC_VIEW_PACKED = 0,   /* bit-planes, see above */
  QNNC_VIEW_INT32_CM = 1, /* int32, [channels][columns] */
  QNNC_VIEW_FLOAT_RM = 2, /* float, [columns][channels] */
  QNNC_VIEW_INT64_RM = 3, /* int64, [columns][channels] */
  QNNC_VIEW_UINT8_RM = 4, /* uint8, [columns][channels] */
  QNNC_VIEW_INT8_RM = 5,  /* int8, [columns][channels] */
  QNNC_VIEW_INT32_RM = 6  /* int32, [columns][channels] */
};
enum qnnc_encoding {
  QNNC_UNSIGNED = 0,        /* value = sum of 2^p over set planes p */
  QNNC_TWOS_COMPLEMENT = 1, /* the top plane weighs -2^(bits-1) */
  QNNC_BIPOLAR = 2          /* one plane, value = 2 bit - 1 */
};
struct qnnc_tensor_view {
  const void *data;
  int kind, encoding, bits;
  int channels, columns;
  int planes, panels, words, lanes;
  int channel_major; /* columns are the pixels of one NCHW image */
};

/* Value of (column, channel) of a view, decoded. */
double qnnc_view_value(const struct qnnc_tensor_view *v, int column,
                       int channel);

/* Called after every kernel by <name>_run_traced: `layer` counts kernels from
 * 0, `name` is the ONNX node whose value the kernel produced. */
typedef void (*qnnc_trace_fn)(void *user, int layer, const char *name,
                              const struct qnnc_tensor_view *view);

/* Per-call state handed to every kernel as Halide's user_context. */
struct qnnc_context {
  int threads;
};

/* A parallel loop body as Halide's kernels pass it: runs iteration `index`,
 * returns non-zero on failure. */
typedef int (*qnnc_task_fn)(void *user_context, int index, uint8_t *closure);

/* Runs f(user_context, i, closure) for i in [min, min + size) on up to
 * `threads` threads (the caller's and the team's helpers) and returns 0 or a
 * failing iteration's result. The kernels' halide_do_par_for calls it with the
 * thread count of their qnnc_context. */
int qnnc_parallel_for(int threads, qnnc_task_fn f, void *user_context, int min,
                      int size, uint8_t *closure);

/* Starts the team's helper threads (threads - 1 of them, kept for the life of
 * the process) unless they run already; 0, or -1 if a thread could not start
 * (the loops then use the helpers that did). <name>_init calls it, so no run
 * creates a thread. */
int qnnc_team_reserve(int threads);

/* Fills `b` (dimensions `rank`, extents innermost first, dense) to describe
 * `host`. `dims` must hold `rank` entries and outlive the call. */
void qnnc_buffer(struct halide_buffer_t *b, struct halide_dimension_t *dims,
                 void *host, int code, int bits, int rank,
                 const int32_t *extents);

#ifdef __cplusplus
}
#endif

#endif
