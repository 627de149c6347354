// Tests for Execution::kInline: the submitting thread runs every node of its message.
#include <stdexcept>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/pipeline/pipeline.h"
#include "gym/pipeline/pipeline_test_util.h"
#include "gym/testing/status_matchers.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::CollectingHandler;
using testing_util::Identity;
using testing_util::ManualSink;
using testing_util::Numbers;
using testing_util::StatusIs;

constexpr PipelineOptions kInline{.execution = Execution::kInline};

// Records the thread each message ran on.
class ThreadRecorder final : public Handler {
 public:
  absl::StatusOr<Frame> Handle(Frame input) override {
    threads_.push_back(std::this_thread::get_id());
    return input;
  }
  const std::vector<std::thread::id>& threads() const { return threads_; }

 private:
  std::vector<std::thread::id> threads_;  // only ever touched by the submitting thread
};

TEST(PipelineInline, EveryNodeRunsOnTheSubmittingThreadBeforeSubmitReturns) {
  PipelineBuilder b;
  auto* first = b.Add("first", std::make_unique<ThreadRecorder>());
  auto* second = b.Add("second", std::make_unique<ThreadRecorder>(), {.depends_on = {"first"}});
  auto* left = b.Add("left", std::make_unique<CollectingHandler>(), {.depends_on = {"second"}});
  auto* right = b.Add("right", std::make_unique<CollectingHandler>(), {.depends_on = {"second"}});
  auto p = std::move(b).Build(kInline);
  ASSERT_TRUE(p.ok()) << p.status();
  for (int i = 0; i < 3; ++i) {
    auto token = (*p)->Submit("first", Numbers(0, 4));
    ASSERT_TRUE(token.ok());
    // No scheduler involved: the message has been through every node already.
    EXPECT_TRUE(token->done());
    EXPECT_TRUE(token->status().ok());
  }
  const std::vector<std::thread::id> here(3, std::this_thread::get_id());
  EXPECT_EQ(first->threads(), here);
  EXPECT_EQ(second->threads(), here);
  ASSERT_EQ(left->frames().size(), 3u);
  ASSERT_EQ(right->frames().size(), 3u);
  EXPECT_EQ(left->frames()[0], Numbers(0, 4));
  EXPECT_EQ((*p)->in_flight(), 0u);
}

TEST(PipelineInline, AsyncSinkStillResolvesTheTokenLater) {
  PipelineBuilder b;
  b.Add("src", Identity());
  auto* sink = b.Add("db", std::make_unique<ManualSink>(), {.depends_on = {"src"}});
  auto p = std::move(b).Build(kInline);
  ASSERT_TRUE(p.ok()) << p.status();
  auto token = (*p)->Submit("src", Numbers(0, 2));
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(sink->pending(), 1u);
  EXPECT_FALSE(token->done());
  EXPECT_EQ((*p)->in_flight(), 1u);
  std::thread committer([sink] { sink->AckAll(absl::OkStatus()); });
  EXPECT_TRUE(token->Wait().ok());
  committer.join();
  (*p)->WaitIdle();
  EXPECT_EQ((*p)->in_flight(), 0u);
}

TEST(PipelineInline, ThrowingHandlerFailsItsMessageWithTheNodeName) {
  PipelineBuilder b;
  b.Add("src", Identity());
  b.Add("check", MakeHandler([](Frame f) -> Frame {
          if (f.num_rows() > 2) throw std::runtime_error("too many rows");
          return f;
        }),
        {.depends_on = {"src"}});
  auto p = std::move(b).Build(kInline);
  ASSERT_TRUE(p.ok()) << p.status();
  auto bad = (*p)->Submit("src", Numbers(0, 5));
  ASSERT_TRUE(bad.ok());
  ASSERT_TRUE(bad->done());
  EXPECT_EQ(bad->status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(bad->status().message()), HasSubstr("node 'check': too many rows"));
  auto good = (*p)->Submit("src", Numbers(0, 1));
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->status().ok());
}

TEST(PipelineInline, AHandlersStatusResolvesTheTokenBeforeSubmitReturns) {
  PipelineBuilder b;
  b.Add("src", Identity());
  b.Add("check", MakeHandler([](Frame f) -> absl::StatusOr<Frame> {
          if (f.num_rows() > 2) return absl::InvalidArgumentError("more than 2 rows");
          return f;
        }),
        {.depends_on = {"src"}});
  auto* sink = b.Add("sink", std::make_unique<CollectingHandler>(), {.depends_on = {"check"}});
  auto p = std::move(b).Build(kInline);
  ASSERT_OK(p);
  ASSERT_OK_AND_ASSIGN(const CompletionToken bad, (*p)->Submit("src", Numbers(0, 5)));
  ASSERT_TRUE(bad.done());
  EXPECT_THAT(bad.status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "node 'check': more than 2 rows"));
  ASSERT_OK_AND_ASSIGN(const CompletionToken good, (*p)->Submit("src", Numbers(0, 1)));
  EXPECT_OK(good.status());
  EXPECT_EQ(sink->frames().size(), 1u);
}

TEST(PipelineInline, ConcurrencyLimitIsRefusedAtBuild) {
  PipelineBuilder b;
  b.Add("src", Identity(), {.concurrency = 1});
  absl::Status s = std::move(b).Build(kInline).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("node 'src': a concurrency limit"));
}

TEST(PipelineInline, ChunkedNodeKeepsRowOrder) {
  PipelineBuilder b;
  b.Add("double", MakeHandler([](Frame f) {
          std::vector<int64_t> out;
          for (size_t r = 0; r < f.num_rows(); ++r) out.push_back(f.column(0).Int64At(r) * 2);
          return Frame({"n"}, {Column::Ints(out)});
        }),
        {.chunks = 4});
  auto* sink = b.Add("out", std::make_unique<CollectingHandler>(), {.depends_on = {"double"}});
  auto p = std::move(b).Build(kInline);
  ASSERT_TRUE(p.ok()) << p.status();
  auto token = (*p)->Submit("double", Numbers(0, 1000));
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(token->Wait().ok());
  const std::vector<Frame> frames = sink->frames();
  ASSERT_EQ(frames.size(), 1u);
  const Frame& out = frames[0];
  ASSERT_EQ(out.num_rows(), 1000u);
  for (size_t r = 0; r < out.num_rows(); ++r) {
    ASSERT_EQ(out.column(0).Int64At(r), static_cast<int64_t>(r) * 2) << r;
  }
}

}  // namespace
}  // namespace gym
