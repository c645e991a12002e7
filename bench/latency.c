/* Per-image latency of a qnnc-generated library, batch 1: runs ITERATIONS
 * inputs (cycling through the given ones) and prints "min_us median_us". Built
 * by e2e_latency.py with -DHEADER="<name>.h" -DMODEL(f)=<name>_##f -DIN=...
 * -DOUTS=... -DOUT_T=...; usage: latency INPUTS.f32 COUNT ITERATIONS [THREADS]
 * (THREADS, default 1, is what <name>_init gets). */
#define _POSIX_C_SOURCE 199309L
#include HEADER
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef WARMUP
#define WARMUP 1000
#endif

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  long count = atol(argv[2]), iterations = atol(argv[3]);
  int threads = argc > 4 ? atoi(argv[4]) : 1;
  float *in = malloc(sizeof(float) * IN * count);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(in, sizeof(float) * IN, (size_t)count, f) != (size_t)count)
    return 2;
  fclose(f);
  size_t size = MODEL(workspace_size)();
  char *block = malloc(size + 64);
  void *ws = block + (64 - (size_t)block % 64) % 64;
  if (MODEL(init)(ws, size, threads) != QNNC_OK)
    return 1;
  OUT_T out[OUTS];
  double *t = malloc(sizeof(double) * (size_t)iterations);
  for (long i = 0; i < WARMUP; ++i) /* warm-up */
    MODEL(run)(ws, in + (i % count) * IN, out);
  for (long i = 0; i < iterations; ++i) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status = MODEL(run)(ws, in + (i % count) * IN, out);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (status != QNNC_OK)
      return 1;
    t[i] = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
  }
  qsort(t, (size_t)iterations, sizeof(double), compare);
  printf("%.2f %.2f\n", t[0], t[iterations / 2]);
  return 0;
}
