// The runtime's parallel-for (runtime/qnnc_runtime.c) on its own: every
// iteration runs exactly once on any thread count, each member starts at its
// own slice, failures come back, loops nested in a loop and loops from
// concurrent callers (which find the team busy) complete.
#include "qnnc_runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace {

struct Counts {
  int min = 0;
  std::vector<std::atomic<int>> runs;
  Counts(int min, int size) : min(min), runs(size) {}
};

int countIteration(void *context, int index, uint8_t *) {
  auto *c = static_cast<Counts *>(context);
  c->runs[index - c->min].fetch_add(1);
  return 0;
}

void expectEachOnce(const Counts &c, const std::string &what) {
  for (size_t i = 0; i < c.runs.size(); ++i)
    ASSERT_EQ(c.runs[i].load(), 1) << what << ", iteration " << c.min + int(i);
}

TEST(RuntimeParallelFor, RunsEveryIterationOnce) {
  for (int threads : {1, 2, 3, 4, 8}) {
    ASSERT_EQ(qnnc_team_reserve(threads), 0);
    for (int size : {0, 1, 2, 7, 100, 1000})
      for (int min : {0, 5, -3}) {
        Counts c(min, size);
        // Many loops in a row: helpers late for one loop must not take
        // iterations of the next.
        for (int repeat = 0; repeat < 20; ++repeat) {
          for (auto &r : c.runs)
            r = 0;
          ASSERT_EQ(qnnc_parallel_for(threads, countIteration, &c, min, size,
                                      nullptr),
                    0);
          expectEachOnce(c, std::to_string(threads) + " threads, size " +
                                std::to_string(size));
        }
      }
  }
}

TEST(RuntimeParallelFor, ReturnsAFailingIterationsStatus) {
  ASSERT_EQ(qnnc_team_reserve(2), 0);
  auto failAt42 = [](void *, int index, uint8_t *) {
    return index == 42 ? 7 : 0;
  };
  for (int threads : {1, 2, 3})
    EXPECT_EQ(qnnc_parallel_for(threads, failAt42, nullptr, 0, 100, nullptr), 7)
        << threads << " threads";
}

// What keeps a kernel's part of its output in one core's cache from call to
// call: member t of T starts at the front of its own slice, iteration
// min + size * t / T, every time. The caller's first iteration waits until
// the helper has run one, so the helper's first cannot be an iteration the
// caller left; handed out from one counter it was 25, not 50.
struct FirstOfHelper {
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> first{-1};
};

TEST(RuntimeParallelFor, EachMemberStartsAtTheFrontOfItsSlice) {
  ASSERT_EQ(qnnc_team_reserve(2), 0);
  auto body = [](void *context, int index, uint8_t *) {
    auto *s = static_cast<FirstOfHelper *>(context);
    if (std::this_thread::get_id() != s->caller) {
      int none = -1;
      s->first.compare_exchange_strong(none, index);
    } else if (index == 0) {
      auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (s->first.load() == -1 &&
             std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    }
    return 0;
  };
  for (int repeat = 0; repeat < 20; ++repeat) {
    FirstOfHelper s;
    ASSERT_EQ(qnnc_parallel_for(2, body, &s, 0, 100, nullptr), 0);
    EXPECT_EQ(s.first.load(), 50) << "loop " << repeat;
  }
}

struct Nested {
  std::vector<Counts> inner;
};

TEST(RuntimeParallelFor, NestedLoopsComplete) {
  ASSERT_EQ(qnnc_team_reserve(2), 0);
  Nested n;
  n.inner.reserve(16);
  for (int i = 0; i < 16; ++i)
    n.inner.emplace_back(0, 33);
  auto outer = [](void *context, int index, uint8_t *) {
    auto *n = static_cast<Nested *>(context);
    return qnnc_parallel_for(2, countIteration, &n->inner[index], 0, 33,
                             nullptr);
  };
  ASSERT_EQ(qnnc_parallel_for(2, outer, &n, 0, 16, nullptr), 0);
  for (const Counts &c : n.inner)
    expectEachOnce(c, "nested");
}

TEST(RuntimeParallelFor, ConcurrentCallersComplete) {
  ASSERT_EQ(qnnc_team_reserve(2), 0);
  std::vector<std::thread> callers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 3; ++t)
    callers.emplace_back([&wrong] {
      for (int repeat = 0; repeat < 200; ++repeat) {
        Counts c(0, 50);
        if (qnnc_parallel_for(2, countIteration, &c, 0, 50, nullptr) != 0)
          ++wrong;
        for (auto &r : c.runs)
          if (r.load() != 1)
            ++wrong;
      }
    });
  for (std::thread &t : callers)
    t.join();
  EXPECT_EQ(wrong.load(), 0);
}

} // namespace
