// Per-node statistics of a Pipeline: rows in and out, errors, and the time a node spent.
#include <chrono>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "gym/pipeline/pipeline.h"
#include "gym/pipeline/pipeline_test_util.h"

namespace gym {
namespace {

using testing_util::ManualSink;
using testing_util::Numbers;

// What a source produced is its row count (a file request is one row in, many out); a sink's
// time runs until its commit reports back, not just until it queued the rows.
TEST(Pipeline, StatsCountRowsOutAndASinksTimeUntilItsCommit) {
  PipelineBuilder b;
  b.Add("read", MakeHandler([](Frame) { return Numbers(0, 7); }));
  b.Add("keep_even", MakeHandler([](Frame f) { return f.Slice(0, 4); }), {.depends_on = {"read"}});
  auto* sink = b.Add("save", std::make_unique<ManualSink>(), {.depends_on = {"keep_even"}});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  absl::StatusOr<CompletionToken> token = (*p)->Submit("read", Numbers(0, 1));
  ASSERT_TRUE(token.ok());
  while (sink->pending() == 0) std::this_thread::yield();
  constexpr auto kCommit = std::chrono::milliseconds(30);
  std::this_thread::sleep_for(kCommit);  // the "commit": a lower bound, never an upper one
  sink->AckAll(absl::OkStatus());
  ASSERT_TRUE(token->Wait().ok());
  const std::vector<NodeStats> stats = (*p)->Stats();
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].rows, 1u);
  EXPECT_EQ(stats[0].rows_out, 7u);
  EXPECT_EQ(stats[1].rows_out, 4u);
  EXPECT_FALSE(stats[1].sink);
  EXPECT_TRUE(stats[2].sink);
  EXPECT_EQ(stats[2].rows, 4u);
  EXPECT_GE(stats[2].busy, kCommit);
}

}  // namespace
}  // namespace gym
