// Pipeline: a validated DAG of named handler nodes, run on a oneTBB flow graph.
//
//        load ──┬──> normalize (2 chunks) ──┐
//               └──> categorize ────────────┴──> save
//
//   PipelineBuilder b;
//   b.Add("load", MakeHandler(Load));
//   b.Add("normalize", std::make_unique<Normalizer>(), {.depends_on = {"load"}, .chunks = 2});
//   b.Add("categorize", MakeHandler(Categorize), {.depends_on = {"load"}});
//   b.Add("save", std::move(sink), {.depends_on = {"normalize", "categorize"}});
//   absl::StatusOr<std::unique_ptr<Pipeline>> p = std::move(b).Build();
//   CompletionToken t = *(*p)->Submit("load", frame);
//   absl::Status s = t.Wait();
//
// Fan-out: a node's result goes to every dependent. Fan-in: a node with several dependencies
// runs once per arriving message (as in the seed). Each submitted message carries a
// CompletionToken that resolves when every branch has finished with it: OK, or the first
// failure, the failing handler's own status (code kept, "node '<name>': " before its
// message). A handler that throws fails its message too (FrameError: INVALID_ARGUMENT; any
// other exception: INTERNAL); nothing it throws leaves Submit, RunOnce or a token.
#ifndef GYM_PIPELINE_PIPELINE_H_
#define GYM_PIPELINE_PIPELINE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/pipeline/completion_token.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/message_context.h"

namespace gym {

struct NodeOptions {
  // Names of the nodes whose results this node receives.
  std::vector<std::string> depends_on;
  // >1: split each frame into this many slices, handle them concurrently, concatenate the
  // results in the original order.
  size_t chunks = 1;
  // Most messages this node handles at once; 0 = no limit.
  size_t concurrency = 0;
  // Declared a sink (a pipeline file's [sinks]): drawn and counted as one even when its
  // handler answers synchronously (the CSV sink). An AsyncHandler is a sink anyway.
  bool sink = false;
};

// Who runs the nodes of a submitted message.
enum class Execution {
  // The oneTBB scheduler: Submit returns at once, nodes run on worker threads, independent
  // branches and successive messages overlap.
  kScheduled,
  // The thread that calls Submit runs every node of its message, depth first, before Submit
  // returns (an async sink may still finish later). No thread hand-off: for short linear
  // pipelines on a latency-critical path, such as a server answering one request. Nodes may
  // not set a concurrency limit (the caller would have to block); chunked nodes still split
  // across the scheduler's threads.
  kInline,
};

struct PipelineOptions {
  // Most messages in the pipeline at once (submitted, token not yet resolved).
  size_t max_in_flight = 1024;
  Execution execution = Execution::kScheduled;
};

// What Submit does when max_in_flight messages are already in the pipeline.
enum class Admission { kWait, kRefuse };

struct NodeStats {
  std::string name;
  uint64_t messages = 0;  // messages handled (successfully or not)
  uint64_t rows = 0;      // input rows of those messages
  // Rows the handler produced: what a source read, what a filter kept. 0 for a sink.
  uint64_t rows_out = 0;
  // Messages whose handler returned an error or threw (for a sink: whose commit failed).
  uint64_t errors = 0;
  // Time spent on the node's messages: inside the handler, and for a sink (an AsyncHandler)
  // until its commit reported back, so a sink's time includes waiting for its commit.
  std::chrono::nanoseconds busy{0};
  bool sink = false;  // an AsyncHandler or a declared sink: it produces no rows
};

class Pipeline;

class PipelineBuilder final {
 public:
  // Adds a node. Returns the handler so the caller can keep a pointer to it (valid for the
  // pipeline's lifetime). Validation happens in Build().
  template <typename H>
  H* Add(std::string name, std::unique_ptr<H> handler, NodeOptions options = {}) {
    H* raw = handler.get();
    AddNode(std::move(name), std::unique_ptr<Handler>(std::move(handler)), std::move(options));
    return raw;
  }
  // Validates the graph: empty, unknown or duplicate names, a node depending on itself,
  // cycles (named along the cycle), async handlers with dependents, chunks of 0, a concurrency
  // limit under Execution::kInline. Errors are INVALID_ARGUMENT naming the node.
  absl::StatusOr<std::unique_ptr<Pipeline>> Build(PipelineOptions options = {}) &&;

 private:
  friend class Pipeline;
  struct NodeSpec {
    std::string name;
    std::unique_ptr<Handler> handler;
    NodeOptions options;
  };
  void AddNode(std::string name, std::unique_ptr<Handler> handler, NodeOptions options);
  std::vector<NodeSpec> nodes_;
};

class Pipeline final {
 public:
  ~Pipeline();  // Stops and drains.
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Feeds `frame` to `node` (usually a source node). With Execution::kInline the nodes run
  // on this thread before it returns. Returns the message's token, or
  // NOT_FOUND for an unknown node, RESOURCE_EXHAUSTED when full and `admission` is kRefuse,
  // FAILED_PRECONDITION after Stop().
  absl::StatusOr<CompletionToken> Submit(std::string_view node, Frame frame,
                                         Admission admission = Admission::kWait);
  // The same, with the message's context (see message_context.h); every node of the message
  // sees it, and it lives until the message's token resolves.
  absl::StatusOr<CompletionToken> Submit(std::string_view node, Frame frame,
                                         std::shared_ptr<const MessageContext> context,
                                         Admission admission = Admission::kWait);

  // Run-once mode: submits every input, waits until all have drained and returns OK or the
  // first failure among them.
  absl::Status RunOnce(std::vector<std::pair<std::string, Frame>> inputs);

  // Continuous mode: blocks until Stop() is called or, when `idle_timeout` is positive, until
  // nothing has been in flight nor submitted for that long. Then drains.
  void RunContinuous(std::chrono::milliseconds idle_timeout = std::chrono::milliseconds(0));
  // Counts as activity for that timeout without a submission: work its caller still expects
  // (a file another worker holds) keeps the run going.
  void KeepAlive();

  // Refuses new submissions, waits for every in-flight message, wakes RunContinuous.
  void Stop();
  // Blocks until nothing is in flight.
  void WaitIdle();
  bool stopped() const;

  size_t in_flight() const;
  std::vector<NodeStats> Stats() const;
  // A text drawing of the DAG (one line per node with its dependencies) and a Graphviz DOT.
  std::string DescribeText() const;
  std::string DescribeDot() const;
  std::vector<std::string> NodeNames() const;

 private:
  friend class PipelineBuilder;
  struct Impl;
  explicit Pipeline(std::unique_ptr<Impl> impl);
  // Submit that moves from `frame` only when the message was admitted.
  absl::StatusOr<CompletionToken> SubmitFrom(std::string_view node, Frame& frame,
                                             std::shared_ptr<const MessageContext> context,
                                             Admission admission);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gym

#endif  // GYM_PIPELINE_PIPELINE_H_
