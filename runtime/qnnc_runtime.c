/* qnnc_runtime.c - parallel-for for the generated kernels, buffer helper,
 * status strings. No allocation: the helper threads start in <name>_init and
 * the loop state is static. */
#define _POSIX_C_SOURCE 200112L
#include "qnnc_runtime.h"

#ifndef QNNC_SERIAL
#include <limits.h>
#include <pthread.h>
#include <sched.h>
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

#ifndef QNNC_MAX_THREADS
#define QNNC_MAX_THREADS 64
#endif
/* Pause iterations a helper waits for the next loop before it sleeps. Between
 * the kernels of one run the next loop comes within microseconds; waking a
 * sleeping thread costs tens of microseconds on a VM. */
#ifndef QNNC_SPIN_ITERATIONS
#define QNNC_SPIN_ITERATIONS 20000
#endif

#ifndef QNNC_SERIAL
static void qnnc_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ __volatile__("yield");
#endif
}

/* One contiguous slice of iterations per thread, for loops that cannot use the
 * team (another thread is running a loop on it). */
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

static int qnnc_spawned_for(int threads, qnnc_task_fn f, void *user_context,
                            int min, int size, uint8_t *closure) {
  struct qnnc_slice slices[QNNC_MAX_THREADS];
  pthread_t ids[QNNC_MAX_THREADS];
  int joinable[QNNC_MAX_THREADS] = {0};
  int result = 0;
  for (int t = 0; t < threads; ++t) {
    slices[t].f = f;
    slices[t].user_context = user_context;
    slices[t].closure = closure;
    slices[t].begin = min + (int)((long long)size * t / threads);
    slices[t].end = min + (int)((long long)size * (t + 1) / threads);
  }
  /* A slice whose thread cannot start runs inline. */
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

/* The process's team of helper threads, started by qnnc_team_reserve and kept
 * (as OpenMP keeps its pool), spinning between loops: waking sleeping workers
 * cost a quarter to a third of a 30-40 us two-thread GEMM. One loop at a time
 * runs on the team. Each member owns one contiguous slice of the iterations,
 * the same slice in every call of the same loop, so a kernel run again finds
 * its part of the output in the cache of the core that wrote it last time
 * (AlexNet conv1's GEMM writes 1.16 MB, more than one core's L2: with
 * iterations handed out first come, first served the halves moved between the
 * cores on every call). A member done with its slice takes what is left of
 * the others', so one the OS preempts holds up nothing but the iteration it
 * runs. The counters written during a loop live on cache lines of their own. */
#define QNNC_LINE __attribute__((aligned(64)))
struct qnnc_slice_ticket {
  /* Loop number (high half) and iterations of this slice not yet taken (low
   * half), in one word: a member late for a finished loop cannot take an
   * iteration of the next one. */
  QNNC_LINE uint64_t ticket;
};
static struct {
  pthread_mutex_t busy;  /* held by the thread running a loop on the team */
  pthread_mutex_t sleep; /* guards `loop` changes and `sleepers` */
  pthread_cond_t wake;
  int helpers, sleepers;
  /* The loop before helper h's first: read under `busy` when h is created.
   * Reading qnnc_team.loop when the thread starts instead, a helper the OS
   * starts late sat out the first loop published before it ran. */
  uint32_t loop_before[QNNC_MAX_THREADS];
  /* The current loop, fixed while any of its iterations is unfinished. */
  QNNC_LINE qnnc_task_fn f;
  void *user_context;
  uint8_t *closure;
  int min, size, members; /* helpers 0 .. members-2 take part */
  QNNC_LINE uint32_t loop;
  QNNC_LINE int pending;
  int result;
  struct qnnc_slice_ticket slices[QNNC_MAX_THREADS];
} qnnc_team = {.busy = PTHREAD_MUTEX_INITIALIZER,
               .sleep = PTHREAD_MUTEX_INITIALIZER,
               .wake = PTHREAD_COND_INITIALIZER};

static uint32_t qnnc_loop_of(uint64_t ticket) {
  return (uint32_t)(ticket >> 32);
}

/* Slice s of the current loop ends here (members and size are fixed while an
 * iteration of it is held). */
static int qnnc_slice_end(int s) {
  return qnnc_team.min +
         (int)((long long)qnnc_team.size * (s + 1) / qnnc_team.members);
}

/* Takes one iteration of slice s of loop `loop`: its index, or INT_MIN when
 * the slice has none left (or the loop is over). */
static int qnnc_take(uint32_t loop, int s) {
  uint64_t *ticket = &qnnc_team.slices[s].ticket;
  uint64_t t = __atomic_load_n(ticket, __ATOMIC_ACQUIRE);
  while (qnnc_loop_of(t) == loop && (uint32_t)t != 0)
    if (__atomic_compare_exchange_n(ticket, &t, t - 1, 1, __ATOMIC_ACQUIRE,
                                    __ATOMIC_ACQUIRE))
      return qnnc_slice_end(s) - (int)(uint32_t)t;
  return INT_MIN;
}

/* Member `me` runs its own slice of loop `loop` front to back, then what the
 * other members have not taken of theirs. */
static void qnnc_team_work(uint32_t loop, int me) {
  int members = __atomic_load_n(&qnnc_team.members, __ATOMIC_RELAXED);
  int done = 0;
  for (int k = 0; k < members; ++k) {
    int s = (me + k) % members, i;
    while ((i = qnnc_take(loop, s)) != INT_MIN) {
      /* The loop cannot end before this iteration does: its fields hold. */
      int r = qnnc_team.f(qnnc_team.user_context, i, qnnc_team.closure);
      if (r)
        __atomic_store_n(&qnnc_team.result, r, __ATOMIC_RELAXED);
      ++done;
    }
  }
  /* Once per member and loop: `pending` is on a line every member writes,
   * and decremented per iteration it moved between the cores with every
   * iteration (a 16-task GEMV of 512 KB ran 15-25 % slower on two threads). */
  if (done)
    __atomic_fetch_sub(&qnnc_team.pending, done, __ATOMIC_RELEASE);
}

static void *qnnc_helper(void *arg) {
  int index = (int)(intptr_t)arg;
  uint32_t seen = qnnc_team.loop_before[index];
  for (;;) {
    uint32_t loop = seen;
    for (int spins = 0; loop == seen && spins < QNNC_SPIN_ITERATIONS; ++spins) {
      qnnc_pause();
      loop = __atomic_load_n(&qnnc_team.loop, __ATOMIC_ACQUIRE);
    }
    if (loop == seen) {
      pthread_mutex_lock(&qnnc_team.sleep);
      ++qnnc_team.sleepers;
      while ((loop = qnnc_team.loop) == seen)
        pthread_cond_wait(&qnnc_team.wake, &qnnc_team.sleep);
      --qnnc_team.sleepers;
      pthread_mutex_unlock(&qnnc_team.sleep);
    }
    seen = loop;
    /* The caller is member 0, helper h member h + 1. A helper that reads a
     * newer loop's member count takes nothing of this one: its slice tickets
     * carry the loop number. */
    if (index + 1 < __atomic_load_n(&qnnc_team.members, __ATOMIC_RELAXED))
      qnnc_team_work(loop, index + 1);
  }
  return 0;
}
#endif

int qnnc_team_reserve(int threads) {
#ifndef QNNC_SERIAL
  if (threads > QNNC_MAX_THREADS)
    threads = QNNC_MAX_THREADS;
  int status = 0;
  pthread_mutex_lock(&qnnc_team.busy);
  while (qnnc_team.helpers < threads - 1 && status == 0) {
    pthread_t id;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    qnnc_team.loop_before[qnnc_team.helpers] = qnnc_team.loop;
    if (pthread_create(&id, &attr, qnnc_helper,
                       (void *)(intptr_t)qnnc_team.helpers) == 0)
      ++qnnc_team.helpers;
    else
      status = -1;
    pthread_attr_destroy(&attr);
  }
  pthread_mutex_unlock(&qnnc_team.busy);
  return status;
#else
  (void)threads;
  return 0;
#endif
}

int qnnc_parallel_for(int threads, qnnc_task_fn f, void *user_context, int min,
                      int size, uint8_t *closure) {
  if (threads > size)
    threads = size;
#ifndef QNNC_SERIAL
  if (threads > QNNC_MAX_THREADS)
    threads = QNNC_MAX_THREADS;
  /* A loop nested in a team loop, or one that another thread's loop keeps
   * from the team, gets threads of its own. */
  if (threads > 1 && pthread_mutex_trylock(&qnnc_team.busy) != 0)
    return qnnc_spawned_for(threads, f, user_context, min, size, closure);
  if (threads > 1) {
    qnnc_team.f = f;
    qnnc_team.user_context = user_context;
    qnnc_team.closure = closure;
    qnnc_team.min = min;
    qnnc_team.size = size;
    qnnc_team.pending = size;
    qnnc_team.result = 0;
    int members =
        threads - 1 < qnnc_team.helpers ? threads : qnnc_team.helpers + 1;
    __atomic_store_n(&qnnc_team.members, members, __ATOMIC_RELAXED);
    uint32_t loop = qnnc_team.loop + 1;
    for (int s = 0, begin = min; s < members; begin = qnnc_slice_end(s++))
      __atomic_store_n(&qnnc_team.slices[s].ticket,
                       (uint64_t)loop << 32 |
                           (uint32_t)(qnnc_slice_end(s) - begin),
                       __ATOMIC_RELAXED);
    pthread_mutex_lock(&qnnc_team.sleep);
    /* Releases the loop's fields and tickets to the helpers. */
    __atomic_store_n(&qnnc_team.loop, loop, __ATOMIC_RELEASE);
    if (qnnc_team.sleepers)
      pthread_cond_broadcast(&qnnc_team.wake);
    pthread_mutex_unlock(&qnnc_team.sleep);
    qnnc_team_work(loop, 0);
    /* The helpers finish the iterations they took. */
    for (int spins = 1;
         __atomic_load_n(&qnnc_team.pending, __ATOMIC_ACQUIRE) != 0; ++spins) {
      qnnc_pause();
      if (spins % 1024 == 0)
        sched_yield();
    }
    int result = qnnc_team.result;
    pthread_mutex_unlock(&qnnc_team.busy);
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

int halide_do_par_for(void *user_context, qnnc_task_fn f, int min, int size,
                      uint8_t *closure) {
  const struct qnnc_context *ctx = (const struct qnnc_context *)user_context;
  return qnnc_parallel_for(ctx ? ctx->threads : 1, f, user_context, min, size,
                           closure);
}
