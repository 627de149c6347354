#include "gym/pipeline/pipeline.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/pipeline/pipeline_test_util.h"
#include "gym/testing/status_matchers.h"
#include "oneapi/tbb/global_control.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::CollectingHandler;
using testing_util::Identity;
using testing_util::ManualSink;
using testing_util::Numbers;
using testing_util::StatusIs;

absl::Status BuildStatus(PipelineBuilder b) { return std::move(b).Build().status(); }

TEST(PipelineBuild, RejectsInvalidGraphs) {
  struct Case {
    const char* name;
    std::function<void(PipelineBuilder&)> add;
    const char* error;
  };
  std::vector<Case> cases = {
      {"empty", [](PipelineBuilder&) {}, "no nodes"},
      {"unknown dependency",
       [](PipelineBuilder& b) { b.Add("a", Identity(), {.depends_on = {"ghost"}}); },
       "node 'a' depends on unknown node 'ghost'"},
      {"duplicate",
       [](PipelineBuilder& b) {
         b.Add("a", Identity());
         b.Add("a", Identity());
       },
       "duplicate node name 'a'"},
      {"self", [](PipelineBuilder& b) { b.Add("a", Identity(), {.depends_on = {"a"}}); },
       "node 'a' depends on itself"},
      {"cycle",
       [](PipelineBuilder& b) {
         b.Add("src", Identity());
         b.Add("a", Identity(), {.depends_on = {"src", "c"}});
         b.Add("b", Identity(), {.depends_on = {"a"}});
         b.Add("c", Identity(), {.depends_on = {"b"}});
       },
       "cycle: a -> b -> c -> a"},
      {"zero chunks", [](PipelineBuilder& b) { b.Add("a", Identity(), {.chunks = 0}); },
       "chunks must be at least 1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PipelineBuilder b;
    c.add(b);
    absl::Status s = BuildStatus(std::move(b));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error));
  }
}

TEST(Pipeline, FanOutReachesEveryDependentAndTokenWaitsForAll) {
  PipelineBuilder b;
  b.Add("src", Identity());
  auto* left = b.Add("left", std::make_unique<CollectingHandler>(), {.depends_on = {"src"}});
  auto* right = b.Add("right", std::make_unique<CollectingHandler>(), {.depends_on = {"src"}});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok()) << p.status();
  for (int i = 0; i < 10; ++i) {
    auto token = (*p)->Submit("src", Numbers(0, 3));
    ASSERT_TRUE(token.ok());
    ASSERT_TRUE(token->Wait().ok());
  }
  EXPECT_EQ(left->frames().size(), 10u);
  EXPECT_EQ(right->frames().size(), 10u);
}

// A sink that records the batch id of each message's context and reports it stored.
class ContextSink final : public AsyncHandler {
 public:
  void HandleAsync(Frame input, const MessageContext& context, Done done) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      batches_.push_back(context.batch_id);
    }
    context.report->inserted.fetch_add(static_cast<int64_t>(input.num_rows()));
    done(absl::OkStatus());
  }
  std::vector<std::string> batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> batches_;
};

TEST(Pipeline, ContextTravelsBesideTheFrameToEveryBranch) {
  for (Execution execution : {Execution::kScheduled, Execution::kInline}) {
    PipelineBuilder b;
    b.Add("src", Identity());
    b.Add("a", Identity(), {.depends_on = {"src"}});
    ContextSink* left = b.Add("left", std::make_unique<ContextSink>(), {.depends_on = {"a"}});
    ContextSink* right = b.Add("right", std::make_unique<ContextSink>(), {.depends_on = {"src"}});
    auto p = std::move(b).Build({.execution = execution});
    ASSERT_TRUE(p.ok()) << p.status();
    auto context = std::make_shared<MessageContext>();
    context->batch_id = "batch-7";
    absl::StatusOr<CompletionToken> t = (*p)->Submit("src", Numbers(0, 3), context);
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE(t->Wait().ok());
    EXPECT_EQ(left->batches(), std::vector<std::string>{"batch-7"});
    EXPECT_EQ(right->batches(), std::vector<std::string>{"batch-7"});
    EXPECT_EQ(context->report->inserted.load(), 6);  // both sinks saw the one context
    // No column was added to carry it.
    EXPECT_EQ((*p)->Stats().size(), 4u);
  }
}

TEST(Pipeline, FanInRunsOncePerArrivingMessage) {
  PipelineBuilder b;
  b.Add("src", Identity());
  b.Add("a", Identity(), {.depends_on = {"src"}});
  b.Add("b", Identity(), {.depends_on = {"src"}});
  auto* join = b.Add("join", std::make_unique<CollectingHandler>(), {.depends_on = {"a", "b"}});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE((*p)->RunOnce({{"src", Numbers(0, 1)}, {"src", Numbers(1, 2)}}).ok());
  EXPECT_EQ(join->frames().size(), 4u);
  auto stats = (*p)->Stats();
  ASSERT_EQ(stats.size(), 4u);
  EXPECT_EQ(stats[3].name, "join");
  EXPECT_EQ(stats[3].messages, 4u);
  EXPECT_EQ(stats[3].rows, 4u);
  EXPECT_EQ(stats[0].errors, 0u);
}

TEST(Pipeline, ChunkedNodeKeepsRowOrderAcrossWorkerCounts) {
  for (size_t workers : {1, 2, 4}) {
    SCOPED_TRACE(workers);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, workers);
    std::atomic<int> calls{0};
    PipelineBuilder b;
    b.Add("double",
          MakeHandler([&calls](Frame f) {
            calls.fetch_add(1);
            // Uneven work so that slices finish out of order.
            if (f.num_rows() > 0 && f.column("n").Int64At(0) == 0) {
              std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            return f.Apply("n", [](const Value& v) { return Value{std::get<int64_t>(v) * 2}; });
          }),
          {.chunks = 4});
    auto* sink = b.Add("sink", std::make_unique<CollectingHandler>(), {.depends_on = {"double"}});
    auto p = std::move(b).Build();
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE((*p)->RunOnce({{"double", Numbers(0, 1001)}}).ok());
    ASSERT_EQ(sink->frames().size(), 1u);
    const Frame result = sink->frames()[0];
    const Column& out = result.column("n");
    ASSERT_EQ(out.size(), 1001u);
    for (size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out.Int64At(i), 2 * int64_t(i));
    EXPECT_EQ(calls.load(), 4);
  }
}

TEST(Pipeline, ThrowingHandlerFailsOnlyItsMessage) {
  PipelineBuilder b;
  b.Add("check", MakeHandler([](Frame f) {
          if (f.column("n").Int64At(0) == 3) throw std::runtime_error("bad row 3");
          return f;
        }));
  auto* sink = b.Add("sink", std::make_unique<CollectingHandler>(), {.depends_on = {"check"}});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  std::vector<CompletionToken> tokens;
  for (int64_t i = 0; i < 6; ++i) tokens.push_back(*(*p)->Submit("check", Numbers(i, i + 1)));
  int failed = 0;
  for (int64_t i = 0; i < 6; ++i) {
    absl::Status s = tokens[i].Wait();
    if (i == 3) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInternal) << s;
      EXPECT_THAT(std::string(s.message()), HasSubstr("node 'check': bad row 3"));
      ++failed;
    } else {
      EXPECT_TRUE(s.ok()) << s;
    }
  }
  EXPECT_EQ(failed, 1);
  (*p)->WaitIdle();
  EXPECT_EQ(sink->frames().size(), 5u);
  EXPECT_EQ((*p)->Stats()[0].errors, 1u);
}

// A handler's status reaches the message's token as it was returned, code and message, with
// the node's name in front; its dependents do not run, and the other messages go on.
TEST(Pipeline, AHandlersStatusFailsOnlyItsMessageKeepingItsCode) {
  struct Case {
    std::string name;
    absl::Status status;
  };
  const std::vector<Case> cases = {
      {"input it cannot use", absl::InvalidArgumentError("no column 'valor'")},
      {"resource missing", absl::FailedPreconditionError("model.json: not found")},
      {"resource failed", absl::UnavailableError("database locked")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PipelineBuilder b;
    b.Add("check", MakeHandler([&c](Frame f) -> absl::StatusOr<Frame> {
            if (f.column("n").Int64At(0) == 3) return c.status;
            return f;
          }));
    auto* sink = b.Add("sink", std::make_unique<CollectingHandler>(), {.depends_on = {"check"}});
    auto p = std::move(b).Build();
    ASSERT_OK(p);
    std::vector<CompletionToken> tokens;
    for (int64_t i = 0; i < 6; ++i) {
      ASSERT_OK_AND_ASSIGN(CompletionToken token, (*p)->Submit("check", Numbers(i, i + 1)));
      tokens.push_back(token);
    }
    for (int64_t i = 0; i < 6; ++i) {
      if (i == 3) {
        EXPECT_THAT(tokens[i].Wait(),
                    StatusIs(c.status.code(), "node 'check': " + std::string(c.status.message())));
      } else {
        EXPECT_OK(tokens[i].Wait());
      }
    }
    (*p)->WaitIdle();
    EXPECT_EQ(sink->frames().size(), 5u);
    EXPECT_EQ((*p)->Stats()[0].errors, 1u);
    EXPECT_EQ((*p)->Stats()[0].rows_out, 5u);
  }
}

TEST(Pipeline, RunOnceReturnsTheFailingHandlersStatus) {
  PipelineBuilder b;
  b.Add("load", Identity());
  b.Add("model", MakeHandler([](Frame) -> absl::StatusOr<Frame> {
          return absl::FailedPreconditionError("no risk model");
        }),
        {.depends_on = {"load"}});
  b.Add("other", Identity(), {.depends_on = {"load"}});
  auto p = std::move(b).Build();
  ASSERT_OK(p);
  EXPECT_THAT((*p)->RunOnce({{"load", Numbers(0, 4)}}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "node 'model': no risk model"));
}

// The first failing slice in slice order fails the message, whichever finished first.
TEST(Pipeline, AChunkedNodeFailsWithItsFirstFailingSlice) {
  for (size_t workers : {1, 2, 4}) {
    SCOPED_TRACE(workers);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, workers);
    PipelineBuilder b;
    b.Add("slices", MakeHandler([](Frame f) -> absl::StatusOr<Frame> {
            const int64_t first = f.column("n").Int64At(0);
            if (first == 3) {  // the second slice, slow: the third fails before it
              std::this_thread::sleep_for(std::chrono::milliseconds(20));
              return absl::InvalidArgumentError("slice from 3");
            }
            if (first == 6) return absl::UnavailableError("slice from 6");
            return f;
          }),
          {.chunks = 4});
    auto* sink = b.Add("sink", std::make_unique<CollectingHandler>(), {.depends_on = {"slices"}});
    auto p = std::move(b).Build();
    ASSERT_OK(p);
    EXPECT_THAT((*p)->RunOnce({{"slices", Numbers(0, 12)}}),
                StatusIs(absl::StatusCode::kInvalidArgument, "node 'slices': slice from 3"));
    EXPECT_TRUE(sink->frames().empty());
    EXPECT_EQ((*p)->Stats()[0].errors, 1u);
  }
}

TEST(Pipeline, MakeHandlerTakesFunctionsOfEitherReturnType) {
  const std::function<Frame(Frame)> plain = [](Frame f) { return f.Head(1); };
  const std::function<absl::StatusOr<Frame>(Frame)> checked = [](Frame f) -> absl::StatusOr<Frame> {
    if (f.num_rows() > 2) return absl::OutOfRangeError("more than 2 rows");
    return f;
  };
  ASSERT_OK_AND_ASSIGN(const Frame head, MakeHandler(plain)->Handle(Numbers(0, 3)));
  EXPECT_EQ(head, Numbers(0, 1));
  EXPECT_THAT(MakeHandler(checked)->Handle(Numbers(0, 3)),
              StatusIs(absl::StatusCode::kOutOfRange, "more than 2 rows"));
  ASSERT_OK_AND_ASSIGN(const Frame small, MakeHandler(checked)->Handle(Numbers(0, 2)));
  EXPECT_EQ(small, Numbers(0, 2));
}

// Used outside a pipeline, a sink answers with its commit's status.
TEST(AsyncHandler, HandleReturnsTheSinksStatus) {
  class AnsweringSink final : public AsyncHandler {
   public:
    explicit AnsweringSink(absl::Status answer) : answer_(std::move(answer)) {}
    void HandleAsync(Frame, const MessageContext&, Done done) override { done(answer_); }

   private:
    const absl::Status answer_;
  };
  AnsweringSink ok(absl::OkStatus());
  ASSERT_OK_AND_ASSIGN(const Frame passed, ok.Handle(Numbers(0, 2)));
  EXPECT_EQ(passed, Numbers(0, 2));
  AnsweringSink locked(absl::UnavailableError("database is locked"));
  EXPECT_THAT(locked.Handle(Numbers(0, 2)),
              StatusIs(absl::StatusCode::kUnavailable, "database is locked"));
}

TEST(Pipeline, FrameMisuseInAHandlerIsInvalidArgument) {
  PipelineBuilder b;
  b.Add("read", MakeHandler([](Frame f) { return f.Select({"valor"}); }));
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  const absl::Status s = (*p)->RunOnce({{"read", Numbers(0, 3)}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("node 'read': "));
  EXPECT_THAT(std::string(s.message()), HasSubstr("'valor'"));
  EXPECT_EQ((*p)->Stats()[0].errors, 1u);
}

// Blocks every message until Release() is called.
class GateHandler final : public Handler {
 public:
  absl::StatusOr<Frame> Handle(Frame input) override {
    std::unique_lock<std::mutex> lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    return input;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void WaitEntered(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int entered_ = 0;
};

TEST(Pipeline, BoundedInFlightRefusesOrWaits) {
  PipelineBuilder b;
  auto* gate = b.Add("gate", std::make_unique<GateHandler>());
  auto p = std::move(b).Build({.max_in_flight = 2});
  ASSERT_TRUE(p.ok());
  auto t1 = (*p)->Submit("gate", Numbers(0, 1));
  auto t2 = (*p)->Submit("gate", Numbers(1, 2));
  ASSERT_TRUE(t1.ok() && t2.ok());
  EXPECT_EQ((*p)->in_flight(), 2u);
  auto refused = (*p)->Submit("gate", Numbers(2, 3), Admission::kRefuse);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);

  std::atomic<bool> admitted{false};
  std::thread waiter([&] {
    auto t3 = (*p)->Submit("gate", Numbers(3, 4), Admission::kWait);
    admitted = true;
    ASSERT_TRUE(t3.ok());
    EXPECT_TRUE(t3->Wait().ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(admitted.load());  // still blocked: two messages hold the gate
  gate->Release();
  waiter.join();
  EXPECT_TRUE(admitted.load());
  EXPECT_TRUE(t1->Wait().ok());
  (*p)->WaitIdle();
  EXPECT_EQ((*p)->in_flight(), 0u);
}

TEST(Pipeline, ConcurrencyLimitIsRespected) {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  PipelineBuilder b;
  b.Add("serial",
        MakeHandler([&](Frame f) {
          int now = running.fetch_add(1) + 1;
          int seen = peak.load();
          while (now > seen && !peak.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          running.fetch_sub(1);
          return f;
        }),
        {.concurrency = 1});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  std::vector<std::pair<std::string, Frame>> inputs;
  for (int i = 0; i < 20; ++i) inputs.emplace_back("serial", Numbers(i, i + 1));
  ASSERT_TRUE((*p)->RunOnce(std::move(inputs)).ok());
  EXPECT_EQ(peak.load(), 1);
  EXPECT_EQ((*p)->Stats()[0].messages, 20u);
}

TEST(Pipeline, TokenResolvesOnlyAfterAsyncSinkAcknowledges) {
  PipelineBuilder b;
  b.Add("src", Identity());
  auto* sink = b.Add("db", std::make_unique<ManualSink>(), {.depends_on = {"src"}});
  b.Add("log", std::make_unique<CollectingHandler>(), {.depends_on = {"src"}});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  auto ok_token = (*p)->Submit("src", Numbers(0, 2));
  ASSERT_TRUE(ok_token.ok());
  for (int i = 0; i < 1000 && sink->pending() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(sink->pending(), 1u);
  EXPECT_FALSE(ok_token->WaitFor(std::chrono::milliseconds(20)));
  sink->AckAll(absl::OkStatus());
  EXPECT_TRUE(ok_token->Wait().ok());

  auto failed = (*p)->Submit("src", Numbers(2, 3));
  for (int i = 0; i < 1000 && sink->pending() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  sink->AckAll(absl::UnavailableError("commit failed"));
  absl::Status s = failed->Wait();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(s.message()), HasSubstr("node 'db': commit failed"));
}

TEST(PipelineBuild, AsyncSinkCannotHaveDependents) {
  PipelineBuilder b;
  b.Add("db", std::make_unique<ManualSink>());
  b.Add("after", Identity(), {.depends_on = {"db"}});
  EXPECT_THAT(std::string(BuildStatus(std::move(b)).message()),
              HasSubstr("node 'db' completes asynchronously"));
}

TEST(Pipeline, ContinuousModeStopsCleanlyAndRefusesAfterwards) {
  PipelineBuilder b;
  auto* sink = b.Add("sink", std::make_unique<CollectingHandler>());
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  Pipeline& pipeline = **p;
  std::thread runner([&] { pipeline.RunContinuous(); });
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(pipeline.Submit("sink", Numbers(i, i + 1)).ok());
  pipeline.Stop();
  runner.join();
  EXPECT_EQ(sink->frames().size(), 50u);  // everything accepted was handled before Stop returned
  EXPECT_TRUE(pipeline.stopped());
  EXPECT_EQ(pipeline.Submit("sink", Numbers(0, 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(Pipeline, ContinuousModeEndsOnIdleTimeout) {
  PipelineBuilder b;
  b.Add("sink", std::make_unique<CollectingHandler>());
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE((*p)->Submit("sink", Numbers(0, 1)).ok());
  (*p)->RunContinuous(std::chrono::milliseconds(30));  // returns by itself
  EXPECT_TRUE((*p)->stopped());
  EXPECT_EQ((*p)->in_flight(), 0u);
}

TEST(Pipeline, SubmitToUnknownNodeIsNotFound) {
  PipelineBuilder b;
  b.Add("a", Identity());
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->Submit("zzz", Numbers(0, 1)).status().code(), absl::StatusCode::kNotFound);
}

class HookHandler final : public Handler {
 public:
  absl::StatusOr<Frame> Handle(Frame f) override { return f; }
  void PreMessage(const Frame& f) override { pre += static_cast<int>(f.num_rows()); }
  void PostMessage(const Frame& f) override { post += static_cast<int>(f.num_rows()); }
  std::atomic<int> pre{0};
  std::atomic<int> post{0};
};

TEST(Pipeline, HooksRunAroundEachWholeMessage) {
  PipelineBuilder b;
  auto* hooks = b.Add("h", std::make_unique<HookHandler>(), {.chunks = 3});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE((*p)->RunOnce({{"h", Numbers(0, 9)}}).ok());
  EXPECT_EQ(hooks->pre.load(), 9);
  EXPECT_EQ(hooks->post.load(), 9);
}

TEST(Pipeline, DescribesTheGraph) {
  PipelineBuilder b;
  b.Add("load", Identity());
  b.Add("norm", Identity(), {.depends_on = {"load"}, .chunks = 2});
  b.Add("db", std::make_unique<ManualSink>(), {.depends_on = {"norm"}});
  auto p = std::move(b).Build();
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->DescribeText(), "load\nnorm <- load  [chunks=2]\ndb <- norm  [sink]\n");
  std::string dot = (*p)->DescribeDot();
  EXPECT_THAT(dot, HasSubstr("\"load\" -> \"norm\";"));
  EXPECT_THAT(dot, HasSubstr("\"norm\" -> \"db\";"));
}

}  // namespace
}  // namespace gym
