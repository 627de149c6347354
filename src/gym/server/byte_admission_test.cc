#include "gym/server/byte_admission.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(ByteAdmission, RefusesPastTheLimitButAlwaysAdmitsOneRequestAlone) {
  ByteAdmission bytes(100);
  EXPECT_TRUE(bytes.TryReserve(60));
  EXPECT_TRUE(bytes.TryReserve(40));
  EXPECT_FALSE(bytes.TryReserve(1));
  bytes.Release(100);
  // Larger than the limit, but nothing else is in flight: admitted, or it never would be.
  EXPECT_TRUE(bytes.TryReserve(150));
  EXPECT_FALSE(bytes.TryReserve(1));
  bytes.Release(150);
  EXPECT_EQ(bytes.inflight(), 0);
}

TEST(ByteAdmission, ConcurrentReservationsNeverPassTheLimit) {
  for (int threads : {2, 4, 8}) {
    SCOPED_TRACE(threads);
    ByteAdmission bytes(1000);
    std::atomic<int64_t> peak{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = 0; i < 20000; ++i) {
          if (!bytes.TryReserve(100)) continue;
          int64_t now = bytes.inflight();
          int64_t seen = peak.load();
          while (now > seen && !peak.compare_exchange_weak(seen, now)) {
          }
          bytes.Release(100);
        }
      });
    }
    for (std::thread& w : workers) w.join();
    EXPECT_LE(peak.load(), 1000);
    EXPECT_EQ(bytes.inflight(), 0);
  }
}

TEST(SplitByteLimit, HoldsAQuarterBackForWhatNoCounterSees) {
  const ByteBudget budget = SplitByteLimit(64 << 20);
  EXPECT_EQ(budget.receiving, 24 << 20);
  EXPECT_EQ(budget.working, 24 << 20);
  EXPECT_LE(budget.receiving + budget.working, (64 << 20) * 3 / 4);
}

}  // namespace
}  // namespace gym
