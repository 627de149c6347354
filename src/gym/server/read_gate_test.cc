#include "gym/server/read_gate.h"

#include <vector>

#include "gtest/gtest.h"

namespace gym {
namespace {

struct Call final : ReadGate::Waiter {
  int started = 0;
  void StartReading() override { ++started; }
};

TEST(ReadGate, ReadsUpToTheSlotsThenQueuesThenRefuses) {
  ReadGate gate(2, 1);
  Call a, b, c, d;
  EXPECT_EQ(gate.Enter(&a), ReadGate::Entry::kRead);
  EXPECT_EQ(gate.Enter(&b), ReadGate::Entry::kRead);
  EXPECT_EQ(gate.Enter(&c), ReadGate::Entry::kWait);
  EXPECT_EQ(gate.Enter(&d), ReadGate::Entry::kRefuse);
  EXPECT_EQ(c.started, 0);
  gate.Leave();  // a is done: c gets its slot
  EXPECT_EQ(c.started, 1);
  EXPECT_EQ(gate.reading(), 2u);
  gate.Leave();
  gate.Leave();
  EXPECT_EQ(gate.reading(), 0u);
}

TEST(ReadGate, AWithdrawnWaiterIsNeverStarted) {
  ReadGate gate(1, 4);
  Call a, b, c;
  ASSERT_EQ(gate.Enter(&a), ReadGate::Entry::kRead);
  ASSERT_EQ(gate.Enter(&b), ReadGate::Entry::kWait);
  ASSERT_EQ(gate.Enter(&c), ReadGate::Entry::kWait);
  EXPECT_TRUE(gate.Withdraw(&b));
  EXPECT_FALSE(gate.Withdraw(&b));
  gate.Leave();
  EXPECT_EQ(b.started, 0);
  EXPECT_EQ(c.started, 1);
  EXPECT_FALSE(gate.Withdraw(&c));
  gate.Leave();
  EXPECT_EQ(gate.reading(), 0u);
  EXPECT_EQ(gate.waiting(), 0u);
}

}  // namespace
}  // namespace gym
