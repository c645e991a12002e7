/* Per-kernel time of a qnnc-generated library: <name>_run_traced's callback
 * after every kernel takes the time since the previous one (kernels without a
 * trace view, such as im2col and packed pooling, count into the next traced
 * one). Built like latency.c; usage: layer_profile INPUTS.f32 RUNS [THREADS] */
#define _POSIX_C_SOURCE 199309L
#include HEADER
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double last, total[256];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void on_kernel(void *user, int layer, const char *name,
                      const struct qnnc_tensor_view *view) {
  (void)user;
  (void)name;
  (void)view;
  double t = now();
  if (layer < 256)
    total[layer] += t - last;
  last = now();
}

int main(int argc, char **argv) {
  long runs = atol(argv[2]);
  int threads = argc > 3 ? atoi(argv[3]) : 1;
  float *in = malloc(sizeof(float) * IN);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(in, sizeof(float), IN, f) != IN)
    return 2;
  fclose(f);
  size_t size = MODEL(workspace_size)();
  char *block = malloc(size + 64);
  void *ws = block + (64 - (size_t)block % 64) % 64;
  OUT_T out[OUTS];
  if (MODEL(init)(ws, size, threads) != QNNC_OK)
    return 1;
  /* Run 0 warms up and is not counted: it page-faults the workspace in. */
  for (long r = 0; r <= runs; ++r) {
    if (r == 1)
      memset(total, 0, sizeof total);
    last = now();
    if (MODEL(run_traced)(ws, in, out, on_kernel, 0) != QNNC_OK)
      return 1;
  }
  for (int l = 0; l < LAYERS && l < 256; ++l)
    if (total[l] > 0)
      printf("%s\t%s\t%.1f\n", MODEL(layer_names)[l], MODEL(layer_kinds)[l],
             total[l] / runs);
  return 0;
}
