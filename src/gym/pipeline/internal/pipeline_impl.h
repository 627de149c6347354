// Private state of a Pipeline, shared by pipeline_builder.cc (which wires the oneTBB flow
// graph) and pipeline.cc (which runs it). Kept out of pipeline.h so users of the public API do
// not compile the oneTBB flow-graph headers.
#ifndef GYM_PIPELINE_INTERNAL_PIPELINE_IMPL_H_
#define GYM_PIPELINE_INTERNAL_PIPELINE_IMPL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "gym/pipeline/pipeline.h"
#include "oneapi/tbb/flow_graph.h"

namespace gym::internal {

// What travels to a node. Each message owns its frame alone (fan-out gives every dependent
// its own), so the one body that runs it may move the frame out; the scheduler copies only
// the pointer while the message waits in a node's queue.
struct Message {
  std::shared_ptr<Frame> frame;
  CompletionToken token;
  std::shared_ptr<const MessageContext> context;  // shared by every branch; null: none given
};

using FlowNode = tbb::flow::function_node<Message, tbb::flow::continue_msg>;

struct NodeRuntime {
  std::string name;
  std::unique_ptr<Handler> handler;
  AsyncHandler* async = nullptr;  // set when the handler completes asynchronously
  NodeOptions options;
  std::vector<NodeRuntime*> dependents;
  std::unique_ptr<FlowNode> flow;  // null under Execution::kInline
  std::atomic<uint64_t> messages{0};
  std::atomic<uint64_t> rows{0};
  std::atomic<uint64_t> rows_out{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<int64_t> busy_ns{0};

  // Runs the handler on one message and forwards the result (the flow node's body, or a
  // direct call under Execution::kInline).
  void Run(const Message& in);
  // Hands a message to this node: to its flow node, or runs it here when inline.
  void Put(Message message);
};

}  // namespace gym::internal

namespace gym {

struct Pipeline::Impl {
  tbb::flow::graph graph;
  std::vector<std::unique_ptr<internal::NodeRuntime>> nodes;
  std::unordered_map<std::string, size_t> index;
  std::vector<size_t> topo_order;
  PipelineOptions options;

  mutable std::mutex mu;
  std::condition_variable cv;
  size_t in_flight = 0;
  bool stopped = false;
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
};

}  // namespace gym

#endif  // GYM_PIPELINE_INTERNAL_PIPELINE_IMPL_H_
