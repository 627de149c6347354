#include "gym/jobs/serial_thread.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(SerialThread, RunsTasksInOrderOffTheCallersThread) {
  std::vector<int> order;  // written by the tasks alone, one at a time
  std::atomic<bool> on_caller{false};
  const std::thread::id caller = std::this_thread::get_id();
  SerialThread serial;
  for (int i = 0; i < 100; ++i) {
    serial.Post([&, i] {
      if (std::this_thread::get_id() == caller) on_caller = true;
      order.push_back(i);
    });
  }
  serial.Drain();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  EXPECT_FALSE(on_caller.load());
}

TEST(SerialThread, DrainWaitsForASlowTask) {
  SerialThread serial;
  std::atomic<int> ran{0};
  serial.Post([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ++ran;
  });
  serial.Drain();
  EXPECT_EQ(ran.load(), 1);
}

TEST(SerialThread, TheDestructorRunsWhatIsQueued) {
  std::atomic<int> ran{0};
  {
    SerialThread serial;
    serial.Post([&] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); });
    for (int i = 0; i < 10; ++i) serial.Post([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 10);
}

}  // namespace
}  // namespace gym
