/* The generated library's contract, checked from C: error codes for bad
 * arguments, no heap allocation inside run (malloc and friends are interposed
 * and counted), the same results on 2 and 3 threads (the runtime's team) as on
 * one, reentrancy (two threads with separate workspaces give the sequential
 * results, on one kernel thread each and on two, where the second caller finds
 * the team busy), and run_u8 == run on pixels / 255.
 *
 * Built by library_contract.py with -DHEADER="<name>.h" -DMODEL(f)=<name>_##f.
 * usage: library_contract INPUTS.f32 COUNT */
#define _GNU_SOURCE
#include HEADER
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int counting;
static volatile long allocations;

/* Interposed allocator: counts calls made while `counting` is set. */
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
void *malloc(size_t n) {
  if (counting)
    __sync_fetch_and_add(&allocations, 1);
  if (!real_malloc)
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
  return real_malloc(n);
}
void *calloc(size_t a, size_t b) {
  if (counting)
    __sync_fetch_and_add(&allocations, 1);
  if (!real_calloc) { /* dlsym may calloc: serve it from a static pool */
    static char pool[4096];
    static size_t used;
    if (used + a * b <= sizeof pool) {
      void *p = pool + used;
      used += (a * b + 15) / 16 * 16;
      return p;
    }
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
  }
  return real_calloc(a, b);
}
void *realloc(void *p, size_t n) {
  if (counting)
    __sync_fetch_and_add(&allocations, 1);
  if (!real_realloc)
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
  return real_realloc(p, n);
}

static int failures;
#define EXPECT(cond, ...)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("FAIL: " __VA_ARGS__);                                            \
      printf("\n");                                                            \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static void *aligned_workspace(size_t size) {
  char *p = malloc(size + 128);
  return p + (64 - (uintptr_t)p % 64) % 64;
}

struct job {
  const float *in;
  long count;
  OUT_T *out;
  int threads, status;
};

static void *run_all(void *arg) {
  struct job *j = arg;
  size_t size = MODEL(workspace_size)();
  void *ws = aligned_workspace(size);
  j->status = MODEL(init)(ws, size, j->threads);
  for (long i = 0; i < j->count && j->status == QNNC_OK; ++i)
    j->status = MODEL(run)(ws, j->in + i * IN, j->out + i * OUTS);
  return 0;
}

int main(int argc, char **argv) {
  long count = atol(argv[2]);
  float *in = malloc(sizeof(float) * IN * count);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(in, sizeof(float) * IN, (size_t)count, f) != (size_t)count)
    return 2;
  fclose(f);
  size_t size = MODEL(workspace_size)();
  void *ws = aligned_workspace(size);
  OUT_T *seq = malloc(sizeof(OUT_T) * OUTS * count);
  OUT_T *par = malloc(sizeof(OUT_T) * OUTS * count);

  /* Bad arguments are reported, not crashed on. */
  EXPECT(MODEL(init)(0, size, 1) == QNNC_ERR_NULL_ARGUMENT, "init(NULL)");
  EXPECT(MODEL(init)((char *)ws + 1, size, 1) == QNNC_ERR_ALIGNMENT,
         "misaligned workspace");
  EXPECT(MODEL(init)(ws, size - 1, 1) == QNNC_ERR_WORKSPACE_SIZE,
         "small workspace");
  EXPECT(MODEL(init)(ws, size, 0) == QNNC_ERR_THREADS, "0 threads");
  memset(ws, 0, size);
  EXPECT(MODEL(run)(ws, in, seq) == QNNC_ERR_NOT_INITIALIZED,
         "run before init");
  EXPECT(MODEL(init)(ws, size, 1) == QNNC_OK, "init");
  EXPECT(MODEL(run)(ws, 0, seq) == QNNC_ERR_NULL_ARGUMENT, "run(NULL input)");
  EXPECT(MODEL(run)(ws, in, 0) == QNNC_ERR_NULL_ARGUMENT, "run(NULL output)");
  EXPECT(strcmp(qnnc_status_string(QNNC_ERR_ALIGNMENT),
                "workspace is not 64-byte aligned") == 0,
         "status string");

  /* No allocation inside run. */
  counting = 1;
  for (long i = 0; i < count; ++i)
    EXPECT(MODEL(run)(ws, in + i * IN, seq + i * OUTS) == QNNC_OK, "run %ld", i);
  counting = 0;
  EXPECT(allocations == 0, "%ld allocations inside run", allocations);
  printf("allocations inside %ld runs: %ld\n", count, allocations);

  /* run_u8 on the pixels equals run on pixels / 255. */
  unsigned char *pixels = malloc(IN);
  float *scaled = malloc(sizeof(float) * IN);
  OUT_T a[OUTS], b[OUTS];
  for (long i = 0; i < IN; ++i) {
    pixels[i] = (unsigned char)(in[i] * 255.0f + 0.5f);
    scaled[i] = (float)pixels[i] / 255.0f;
  }
  EXPECT(MODEL(run_u8)(ws, pixels, a) == QNNC_OK, "run_u8");
  EXPECT(MODEL(run)(ws, scaled, b) == QNNC_OK, "run scaled");
  EXPECT(memcmp(a, b, sizeof a) == 0, "run_u8 differs from run");

  /* Kernel threads: bit-identical to one thread, still no allocation (the
   * team starts in init). */
  for (int threads = 2; threads <= 3; ++threads) {
    EXPECT(MODEL(init)(ws, size, threads) == QNNC_OK, "init %d threads",
           threads);
    memset(par, 0, sizeof(OUT_T) * OUTS * count);
    allocations = 0;
    counting = 1;
    for (long i = 0; i < count; ++i)
      EXPECT(MODEL(run)(ws, in + i * IN, par + i * OUTS) == QNNC_OK,
             "run %ld on %d threads", i, threads);
    counting = 0;
    EXPECT(allocations == 0, "%ld allocations inside runs on %d threads",
           allocations, threads);
    EXPECT(memcmp(seq, par, sizeof(OUT_T) * OUTS * count) == 0,
           "results on %d threads differ from one thread's", threads);
  }

  /* Reentrancy: two threads, two workspaces, half of the inputs each. */
  for (int threads = 1; threads <= 2; ++threads) {
    pthread_t t[2];
    struct job jobs[2] = {{in, count / 2, par, threads, 0},
                          {in + (count / 2) * IN, count - count / 2,
                           par + (count / 2) * OUTS, threads, 0}};
    memset(par, 0, sizeof(OUT_T) * OUTS * count);
    for (int k = 0; k < 2; ++k)
      pthread_create(&t[k], 0, run_all, &jobs[k]);
    for (int k = 0; k < 2; ++k)
      pthread_join(t[k], 0);
    EXPECT(jobs[0].status == QNNC_OK && jobs[1].status == QNNC_OK,
           "concurrent runs on %d kernel threads failed", threads);
    EXPECT(memcmp(seq, par, sizeof(OUT_T) * OUTS * count) == 0,
           "concurrent results on %d kernel threads differ from sequential "
           "ones",
           threads);
  }
  printf("%s\n", failures ? "contract violated" : "contract holds");
  return failures ? 1 : 0;
}
