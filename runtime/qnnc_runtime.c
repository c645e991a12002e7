/* qnnc_runtime.c - parallel-for for the generated kernels, buffer helper,
 * status strings. No allocation: worker state lives on the caller's stack. */
#include "qnnc_runtime.h"

#ifndef QNNC_SERIAL
#include <pthread.h>
#endif

const char *qnnc_status_string(int status) {
  switch (status) {
  case QNNC_OK:
    return "ok";
  case QNNC_ERR_NULL_ARGUMENT:
    return "a pointer argument is NULL";
  case QNNC_ERR_WORKSPACE_SIZE:
    return "workspace is smaller than the model needs";
  case QNNC_ERR_ALIGNMENT:
    return "workspace is not 64-byte aligned";
  case QNNC_ERR_NOT_INITIALIZED:
    return "workspace was not initialized";
  case QNNC_ERR_THREADS:
    return "bad thread count or threads unavailable";
  case QNNC_ERR_KERNEL:
    return "a kernel failed";
  }
  return "unknown status";
}

void qnnc_buffer(struct halide_buffer_t *b, struct halide_dimension_t *dims,
                 void *host, int code, int bits, int rank,
                 const int32_t *extents) {
  int32_t stride = 1;
  for (int i = 0; i < rank; ++i) {
    dims[i].min = 0;
    dims[i].extent = extents[i];
    dims[i].stride = stride;
    dims[i].flags = 0;
    stride *= extents[i];
  }
  b->device = 0;
  b->device_interface = 0;
  b->host = (uint8_t *)host;
  b->flags = 0;
  b->type.code = (uint8_t)code;
  b->type.bits = (uint8_t)bits;
  b->type.lanes = 1;
  b->dimensions = rank;
  b->dim = dims;
  b->padding = 0;
}

double qnnc_view_value(const struct qnnc_tensor_view *v, int column,
                       int channel) {
  switch (v->kind) {
  case QNNC_VIEW_INT32_CM:
    return ((const int32_t *)v->data)[(long)channel * v->columns + column];
  case QNNC_VIEW_FLOAT_RM:
    return ((const float *)v->data)[(long)column * v->channels + channel];
  case QNNC_VIEW_UINT8_RM:
    return ((const uint8_t *)v->data)[(long)column * v->channels + channel];
  case QNNC_VIEW_INT32_RM:
    return ((const int32_t *)v->data)[(long)column * v->channels + channel];
  case QNNC_VIEW_INT8_RM:
    return ((const int8_t *)v->data)[(long)column * v->channels + channel];
  case QNNC_VIEW_INT64_RM:
    return (
        double)((const int64_t *)v->data)[(long)column * v->channels + channel];
  }
  const uint64_t *words = (const uint64_t *)v->data;
  int panel = column / v->lanes, lane = column % v->lanes;
  int64_t value = 0;
  for (int p = 0; p < v->planes; ++p) {
    long index =
        (((long)p * v->panels + panel) * v->words + channel / 64) * v->lanes +
        lane;
    int64_t bit = (int64_t)(words[index] >> (channel % 64) & 1);
    if (v->encoding == QNNC_BIPOLAR)
      return bit ? 1.0 : -1.0;
    if (v->encoding == QNNC_TWOS_COMPLEMENT && p == v->bits - 1)
      value -= bit << p;
    else
      value += bit << p;
  }
  return (double)value;
}

/* Halide's parallel loop body: f(user_context, index, closure). */
typedef int (*qnnc_task_fn)(void *, int, uint8_t *);

#ifndef QNNC_MAX_THREADS
#define QNNC_MAX_THREADS 64
#endif

#ifndef QNNC_SERIAL
/* One contiguous slice of iterations per thread: the kernels' parallel loops
 * are over output tiles of equal cost. */
struct qnnc_slice {
  qnnc_task_fn f;
  void *user_context;
  uint8_t *closure;
  int begin, end, result;
};

static void *qnnc_run_slice(void *arg) {
  struct qnnc_slice *s = (struct qnnc_slice *)arg;
  s->result = 0;
  for (int i = s->begin; i < s->end && s->result == 0; ++i)
    s->result = s->f(s->user_context, i, s->closure);
  return 0;
}
#endif

int halide_do_par_for(void *user_context, qnnc_task_fn f, int min, int size,
                      uint8_t *closure) {
  const struct qnnc_context *ctx = (const struct qnnc_context *)user_context;
  int threads = ctx && ctx->threads > 1 ? ctx->threads : 1;
  if (threads > size)
    threads = size;
#ifndef QNNC_SERIAL
  if (threads > 1) {
    struct qnnc_slice slices[QNNC_MAX_THREADS];
    pthread_t ids[QNNC_MAX_THREADS];
    if (threads > QNNC_MAX_THREADS)
      threads = QNNC_MAX_THREADS;
    int joinable[QNNC_MAX_THREADS] = {0};
    int result = 0;
    for (int t = 0; t < threads; ++t) {
      slices[t].f = f;
      slices[t].user_context = user_context;
      slices[t].closure = closure;
      slices[t].begin = min + (int)((long long)size * t / threads);
      slices[t].end = min + (int)((long long)size * (t + 1) / threads);
    }
    /* The calling thread runs slice 0; a slice whose thread cannot start runs
     * inline, so the loop always completes. */
    for (int t = 1; t < threads; ++t) {
      joinable[t] = pthread_create(&ids[t], 0, qnnc_run_slice, &slices[t]) == 0;
      if (!joinable[t])
        qnnc_run_slice(&slices[t]);
    }
    qnnc_run_slice(&slices[0]);
    for (int t = 1; t < threads; ++t)
      if (joinable[t])
        pthread_join(ids[t], 0);
    for (int t = 0; t < threads; ++t)
      if (slices[t].result)
        result = slices[t].result;
    return result;
  }
#endif
  for (int i = min; i < min + size; ++i) {
    int r = f(user_context, i, closure);
    if (r)
      return r;
  }
  return 0;
}
