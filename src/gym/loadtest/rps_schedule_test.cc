// Open-loop arrivals: fixed spacing, round robin over clients with batches left.
#include "gym/loadtest/rps_schedule.h"

#include "gtest/gtest.h"

namespace gym::loadtest {
namespace {

TEST(RpsScheduleTest, FixedRateRoundRobinSkippingFinishedClients) {
  RpsSchedule schedule(/*rate=*/4, /*remaining=*/{3, 1, 0});
  struct Want {
    int64_t index;
    double due;
    int client;
  };
  for (const Want& w : {Want{0, 0.0, 0}, Want{1, 0.25, 1}, Want{2, 0.5, 0}, Want{3, 0.75, 0}}) {
    SCOPED_TRACE(w.index);
    std::optional<RpsSchedule::Arrival> a = schedule.Next();
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->index, w.index);
    EXPECT_DOUBLE_EQ(a->due_seconds, w.due);
    EXPECT_EQ(a->client, w.client);
  }
  EXPECT_FALSE(schedule.Next().has_value());
}

TEST(RpsScheduleTest, TotalArrivalsEqualTotalBatches) {
  for (int clients : {1, 2, 7}) {
    SCOPED_TRACE(clients);
    RpsSchedule schedule(1000, std::vector<int64_t>(static_cast<size_t>(clients), 5));
    int count = 0;
    std::vector<int> per_client(static_cast<size_t>(clients), 0);
    while (std::optional<RpsSchedule::Arrival> a = schedule.Next()) {
      ASSERT_LT(count, 1000);  // bounded
      ++per_client[static_cast<size_t>(a->client)];
      ++count;
    }
    EXPECT_EQ(count, clients * 5);
    for (int n : per_client) EXPECT_EQ(n, 5);
  }
}

TEST(RpsScheduleTest, NoClientsNoArrivals) {
  RpsSchedule schedule(10, {});
  EXPECT_FALSE(schedule.Next().has_value());
}

}  // namespace
}  // namespace gym::loadtest
