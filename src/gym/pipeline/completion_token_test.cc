#include "gym/pipeline/completion_token.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

TEST(CompletionToken, DefaultIsResolvedOk) {
  CompletionToken t;
  EXPECT_TRUE(t.done());
  EXPECT_TRUE(t.Wait().ok());
}

TEST(CompletionToken, ResolvesWhenLastBranchFinishes) {
  CompletionToken t = CompletionToken::Make(1);
  t.AddBranches(2);
  t.FinishBranch(absl::OkStatus(), "a");
  EXPECT_FALSE(t.done());
  t.FinishBranch(absl::OkStatus(), "b");
  EXPECT_FALSE(t.done());
  t.FinishBranch(absl::OkStatus(), "c");
  EXPECT_TRUE(t.done());
  EXPECT_TRUE(t.status().ok());
}

TEST(CompletionToken, KeepsFirstErrorWithNodeName) {
  CompletionToken t = CompletionToken::Make(3);
  t.FinishBranch(absl::OkStatus(), "a");
  t.FinishBranch(absl::InternalError("disk full"), "save");
  t.FinishBranch(absl::InvalidArgumentError("later"), "other");
  ASSERT_TRUE(t.done());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("node 'save': disk full"));
}

TEST(CompletionToken, TheNodeNameIsAddedOnceAndPayloadsStay) {
  absl::Status failure = absl::FailedPreconditionError("no model");
  failure.SetPayload("type.example/why", absl::Cord("detail"));
  CompletionToken t = CompletionToken::Make();
  t.FinishBranch(failure, "risk");
  ASSERT_TRUE(t.done());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(t.status().message(), "node 'risk': no model");
  EXPECT_EQ(t.status().GetPayload("type.example/why"), absl::Cord("detail"));
  // A status that names its node already is not named twice.
  CompletionToken again = CompletionToken::Make();
  again.FinishBranch(t.status(), "risk");
  EXPECT_EQ(again.status().message(), "node 'risk': no model");
}

TEST(CompletionToken, CallbacksRunOnceBeforeAndAfterResolution) {
  CompletionToken t = CompletionToken::Make();
  int before = 0;
  int after = 0;
  t.OnDone([&](const absl::Status& s) {
    EXPECT_TRUE(s.ok());
    ++before;
  });
  EXPECT_EQ(before, 0);
  t.FinishBranch(absl::OkStatus());
  t.OnDone([&](const absl::Status&) { ++after; });
  t.FinishBranch(absl::OkStatus());  // late: ignored
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
}

TEST(CompletionToken, WaitForTimesOutThenSucceeds) {
  CompletionToken t = CompletionToken::Make();
  EXPECT_FALSE(t.WaitFor(std::chrono::milliseconds(5)));
  std::thread finisher([t] { t.FinishBranch(absl::OkStatus()); });
  EXPECT_TRUE(t.Wait().ok());
  finisher.join();
}

TEST(CompletionToken, ConcurrentBranchesResolveExactlyOnce) {
  constexpr int kBranches = 64;
  CompletionToken t = CompletionToken::Make(kBranches);
  std::atomic<int> calls{0};
  t.OnDone([&](const absl::Status&) { calls.fetch_add(1); });
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([t] {
      for (int b = 0; b < kBranches / 4; ++b) t.FinishBranch(absl::OkStatus());
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(t.done());
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace gym
