#include "gym/server/room_line.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "gtest/gtest.h"

namespace gym {
namespace {

using std::chrono::milliseconds;

struct Call final : RoomLine::Waiter {
  std::atomic<int> admitted{0};
  std::atomic<int> expired{0};
  void Admitted() override { admitted.fetch_add(1); }
  void Expired() override { expired.fetch_add(1); }
};

// Waits (bounded) until `done` holds.
template <typename F>
bool Eventually(F done, milliseconds limit = milliseconds(5000)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

const auto kNoDeadline = RoomLine::Clock::time_point::max();

TEST(RoomLine, GoesInWhileThereIsRoomAndNobodyWaits) {
  RoomLine line([](int64_t pending) { return pending == 0; }, milliseconds(1000), 8);
  Call a;
  EXPECT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kGo);
  EXPECT_EQ(line.waiting(), 0u);
}

TEST(RoomLine, WithoutAWaitAFullServerRefusesAtOnce) {
  RoomLine line([](int64_t) { return false; }, milliseconds(0), 8);
  Call a;
  EXPECT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kRefuse);
}

// Room for `free` more batches; a call let in and not yet settled takes one of them.
struct Room {
  std::atomic<int64_t> free{0};
  std::function<bool(int64_t)> Predicate() {
    return [this](int64_t pending) { return pending < free.load(); };
  }
};

TEST(RoomLine, EachBatchAnsweredLetsTheFirstWaiterIn) {
  Room room;
  RoomLine line(room.Predicate(), milliseconds(60000), 8);
  Call a, b;
  ASSERT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kWait);
  ASSERT_EQ(line.Enter(&b, kNoDeadline), RoomLine::Entry::kWait);
  line.RoomFreed();  // an answer, but no room came of it
  EXPECT_EQ(a.admitted.load(), 0);
  room.free = 1;
  line.RoomFreed();
  EXPECT_EQ(a.admitted.load(), 1);
  // a is on its way to the one free place: b is not let in on it.
  line.RoomFreed();
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(b.admitted.load(), 0);
  room.free = 0;  // a reserved it
  line.Settled();
  room.free = 1;
  line.RoomFreed();
  EXPECT_EQ(b.admitted.load(), 1);
  line.Settled();
  line.RoomFreed();  // nobody waits: nothing happens
  EXPECT_EQ(a.admitted.load() + b.admitted.load(), 2);
  EXPECT_EQ(a.expired.load() + b.expired.load(), 0);
}

TEST(RoomLine, ANewcomerQueuesBehindWaitersEvenWithRoom) {
  Room room;
  RoomLine line(room.Predicate(), milliseconds(60000), 8);
  Call a, b;
  ASSERT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kWait);
  room.free = 1;
  EXPECT_EQ(line.Enter(&b, kNoDeadline), RoomLine::Entry::kWait);
  // Room that no answer handed over is found by the line itself, first waiter first.
  ASSERT_TRUE(Eventually([&] { return a.admitted.load() == 1; }));
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(b.admitted.load(), 0);  // a has not settled yet
  line.Settled();  // a failed before it reserved anything: the place is free again
  ASSERT_TRUE(Eventually([&] { return b.admitted.load() == 1; }));
  line.Settled();
}

TEST(RoomLine, AWaitThatRunsOutIsExpired) {
  RoomLine line([](int64_t) { return false; }, milliseconds(30), 8);
  Call a;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kWait);
  ASSERT_TRUE(Eventually([&] { return a.expired.load() == 1; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(30));
  EXPECT_EQ(a.admitted.load(), 0);
  EXPECT_EQ(line.waiting(), 0u);
}

TEST(RoomLine, NoWaitOutlastsTheCallsDeadline) {
  RoomLine line([](int64_t) { return false; }, milliseconds(60000), 8);
  Call a, b;
  EXPECT_EQ(line.Enter(&a, RoomLine::Clock::now() - milliseconds(1)), RoomLine::Entry::kRefuse);
  ASSERT_EQ(line.Enter(&b, RoomLine::Clock::now() + milliseconds(20)), RoomLine::Entry::kWait);
  ASSERT_TRUE(Eventually([&] { return b.expired.load() == 1; }, milliseconds(2000)));
}

TEST(RoomLine, AFullLineRefuses) {
  RoomLine line([](int64_t) { return false; }, milliseconds(60000), 1);
  Call a, b;
  EXPECT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kWait);
  EXPECT_EQ(line.Enter(&b, kNoDeadline), RoomLine::Entry::kRefuse);
  EXPECT_TRUE(line.Withdraw(&a));
}

TEST(RoomLine, AWithdrawnWaiterIsNeverLetIn) {
  Room room;
  RoomLine line(room.Predicate(), milliseconds(60000), 8);
  Call a, b;
  ASSERT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kWait);
  ASSERT_EQ(line.Enter(&b, kNoDeadline), RoomLine::Entry::kWait);
  EXPECT_TRUE(line.Withdraw(&a));
  EXPECT_FALSE(line.Withdraw(&a));
  room.free = 1;
  line.RoomFreed();
  ASSERT_TRUE(Eventually([&] { return b.admitted.load() == 1; }));
  EXPECT_EQ(a.admitted.load(), 0);
  line.Settled();
}

TEST(RoomLine, ClosingTheLineExpiresEveryWaiter) {
  Call a, b;
  {
    RoomLine line([](int64_t) { return false; }, milliseconds(60000), 8);
    ASSERT_EQ(line.Enter(&a, kNoDeadline), RoomLine::Entry::kWait);
    ASSERT_EQ(line.Enter(&b, kNoDeadline), RoomLine::Entry::kWait);
  }
  EXPECT_EQ(a.expired.load(), 1);
  EXPECT_EQ(b.expired.load(), 1);
}

}  // namespace
}  // namespace gym
