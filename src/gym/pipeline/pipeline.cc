// Pipeline: admission (bounded in-flight), the per-node body run by the flow graph, the run
// modes and the descriptions.
#include "gym/pipeline/pipeline.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "gym/pipeline/internal/pipeline_impl.h"
#include "oneapi/tbb/parallel_for.h"

namespace gym {
namespace internal {
namespace {

// Splits `input` into up to `chunks` slices, handles them concurrently and joins the results in
// slice order. The first failing slice, in slice order, fails the whole; an exception from any
// slice propagates (oneTBB rethrows it here).
absl::StatusOr<Frame> HandleChunked(Handler& handler, Frame input, size_t chunks) {
  const size_t rows = input.num_rows();
  chunks = std::max<size_t>(1, std::min(chunks, rows));
  if (chunks == 1) return handler.Handle(std::move(input));
  std::vector<absl::StatusOr<Frame>> outputs(chunks);
  const size_t step = (rows + chunks - 1) / chunks;
  tbb::parallel_for(size_t{0}, chunks, [&](size_t i) {
    outputs[i] = handler.Handle(input.Slice(i * step, std::min(rows, (i + 1) * step)));
  });
  std::vector<Frame> slices;
  slices.reserve(chunks);
  for (absl::StatusOr<Frame>& output : outputs) {
    if (!output.ok()) return std::move(output).status();
    slices.push_back(*std::move(output));
  }
  return Frame::Concat(slices);
}

}  // namespace

void NodeRuntime::Put(Message message) {
  if (flow) {
    flow->try_put(std::move(message));
  } else {
    Run(message);
  }
}

void NodeRuntime::Run(const Message& in) {
  Frame input = std::move(*in.frame);
  const CompletionToken token = in.token;
  // A message submitted without context carries none (no shared count to bump at every
  // node, which cost a sixth of a short chain's throughput); its sinks see an empty one.
  const std::shared_ptr<const MessageContext>& context = in.context;
  static const MessageContext kNoContext;
  messages.fetch_add(1, std::memory_order_relaxed);
  rows.fetch_add(input.num_rows(), std::memory_order_relaxed);
  const auto start = std::chrono::steady_clock::now();
  auto record_busy = [this, start] {
    busy_ns.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count(),
                      std::memory_order_relaxed);
  };
  // Statistics are recorded before the branch finishes so that a caller who waited on the
  // token sees them.
  absl::Status failure;
  try {
    handler->PreMessage(input);
    if (async != nullptr) {
      // A sink's work is its commit: the time counts until `done`, so the summary shows
      // where a run waited for its database rather than a few microseconds of queuing.
      // The callback keeps the context alive until the sink is done with it.
      async->HandleAsync(std::move(input), context ? *context : kNoContext,
                         [token, this, record_busy, context](absl::Status s) {
                           record_busy();
                           if (!s.ok()) errors.fetch_add(1, std::memory_order_relaxed);
                           token.FinishBranch(s, name);
                         });
      return;
    }
    absl::StatusOr<Frame> handled = options.chunks > 1
                                        ? HandleChunked(*handler, std::move(input), options.chunks)
                                        : handler->Handle(std::move(input));
    if (handled.ok()) {
      Frame& output = *handled;
      handler->PostMessage(output);
      record_busy();
      rows_out.fetch_add(output.num_rows(), std::memory_order_relaxed);
      if (!dependents.empty()) {
        token.AddBranches(static_cast<int>(dependents.size()));
        for (size_t i = 0; i + 1 < dependents.size(); ++i) {
          dependents[i]->Put(Message{std::make_shared<Frame>(output), token, context});
        }
        dependents.back()->Put(Message{std::make_shared<Frame>(std::move(output)), token, context});
      }
      token.FinishBranch(absl::OkStatus(), name);
      return;
    }
    // The handler's own status, code and message unchanged (the token adds the node's name).
    failure = std::move(handled).status();
  } catch (const FrameError& e) {
    // Frame misuse names the column or row at fault: the input did not fit the handler.
    failure = absl::InvalidArgumentError(e.what());
  } catch (const std::exception& e) {
    failure = absl::InternalError(e.what());
  } catch (...) {
    failure = absl::InternalError("handler threw a non-standard exception");
  }
  record_busy();
  errors.fetch_add(1, std::memory_order_relaxed);
  token.FinishBranch(failure, name);
}

}  // namespace internal

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Pipeline::~Pipeline() { Stop(); }

absl::StatusOr<CompletionToken> Pipeline::Submit(std::string_view node, Frame frame,
                                                 Admission admission) {
  return SubmitFrom(node, frame, nullptr, admission);
}

absl::StatusOr<CompletionToken> Pipeline::Submit(std::string_view node, Frame frame,
                                                 std::shared_ptr<const MessageContext> context,
                                                 Admission admission) {
  return SubmitFrom(node, frame, std::move(context), admission);
}

absl::StatusOr<CompletionToken> Pipeline::SubmitFrom(
    std::string_view node, Frame& frame, std::shared_ptr<const MessageContext> context,
    Admission admission) {
  auto it = impl_->index.find(std::string(node));
  if (it == impl_->index.end()) {
    return absl::NotFoundError("no node named '" + std::string(node) + "'");
  }
  {
    std::unique_lock<std::mutex> lock(impl_->mu);
    if (impl_->stopped) return absl::FailedPreconditionError("pipeline is stopped");
    if (impl_->in_flight >= impl_->options.max_in_flight) {
      if (admission == Admission::kRefuse) {
        return absl::ResourceExhaustedError(
            "pipeline is full: " + std::to_string(impl_->options.max_in_flight) +
            " messages in flight");
      }
      impl_->cv.wait(lock, [this] {
        return impl_->stopped || impl_->in_flight < impl_->options.max_in_flight;
      });
      if (impl_->stopped) return absl::FailedPreconditionError("pipeline is stopped");
    }
    ++impl_->in_flight;
    impl_->last_activity = std::chrono::steady_clock::now();
  }
  CompletionToken token = CompletionToken::Make();
  Impl* impl = impl_.get();
  // Registered before the message enters the graph, so it always runs first on resolution.
  // The notify happens under the lock: Stop() may destroy the pipeline as soon as it wakes.
  token.OnDone([impl](const absl::Status&) {
    std::lock_guard<std::mutex> lock(impl->mu);
    --impl->in_flight;
    impl->last_activity = std::chrono::steady_clock::now();
    impl->cv.notify_all();
  });
  impl_->nodes[it->second]->Put(
      internal::Message{std::make_shared<Frame>(std::move(frame)), token, std::move(context)});
  return token;
}

absl::Status Pipeline::RunOnce(std::vector<std::pair<std::string, Frame>> inputs) {
  std::vector<CompletionToken> tokens;
  tokens.reserve(inputs.size());
  for (auto& [node, frame] : inputs) {
    while (true) {
      absl::StatusOr<CompletionToken> token = SubmitFrom(node, frame, nullptr, Admission::kRefuse);
      if (token.ok()) {
        tokens.push_back(*std::move(token));
        break;
      }
      if (token.status().code() != absl::StatusCode::kResourceExhausted) return token.status();
      // Full: help run the graph instead of sleeping, so a single-threaded scheduler
      // still makes progress.
      impl_->graph.wait_for_all();
    }
  }
  // This thread joins the scheduler's work until the graph is quiet; async sinks may still be
  // committing afterwards, which the tokens cover.
  impl_->graph.wait_for_all();
  absl::Status first_error;
  for (const CompletionToken& token : tokens) {
    absl::Status s = token.Wait();
    if (first_error.ok() && !s.ok()) first_error = s;
  }
  WaitIdle();
  return first_error;
}

void Pipeline::RunContinuous(std::chrono::milliseconds idle_timeout) {
  {
    std::unique_lock<std::mutex> lock(impl_->mu);
    impl_->last_activity = std::chrono::steady_clock::now();
    while (!impl_->stopped) {
      if (idle_timeout.count() > 0) {
        auto idle_until = impl_->last_activity + idle_timeout;
        if (impl_->in_flight == 0 && std::chrono::steady_clock::now() >= idle_until) break;
        impl_->cv.wait_until(lock, std::max(idle_until, std::chrono::steady_clock::now() +
                                                            std::chrono::milliseconds(10)));
      } else {
        impl_->cv.wait(lock);
      }
    }
  }
  Stop();
}

void Pipeline::KeepAlive() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->last_activity = std::chrono::steady_clock::now();
}

void Pipeline::Stop() {
  {
    std::unique_lock<std::mutex> lock(impl_->mu);
    impl_->stopped = true;
    impl_->cv.notify_all();
    impl_->cv.wait(lock, [this] { return impl_->in_flight == 0; });
  }
  // Node bodies may still be returning after their last branch finished.
  impl_->graph.wait_for_all();
}

void Pipeline::WaitIdle() {
  impl_->graph.wait_for_all();
  {
    std::unique_lock<std::mutex> lock(impl_->mu);
    impl_->cv.wait(lock, [this] { return impl_->in_flight == 0; });
  }
  impl_->graph.wait_for_all();
}

bool Pipeline::stopped() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stopped;
}

size_t Pipeline::in_flight() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->in_flight;
}

std::vector<NodeStats> Pipeline::Stats() const {
  std::vector<NodeStats> stats;
  for (const auto& node : impl_->nodes) {
    stats.push_back(NodeStats{.name = node->name,
                              .messages = node->messages.load(),
                              .rows = node->rows.load(),
                              .rows_out = node->rows_out.load(),
                              .errors = node->errors.load(),
                              .busy = std::chrono::nanoseconds(node->busy_ns.load()),
                              .sink = node->async != nullptr || node->options.sink});
  }
  return stats;
}

std::vector<std::string> Pipeline::NodeNames() const {
  std::vector<std::string> names;
  for (const auto& node : impl_->nodes) names.push_back(node->name);
  return names;
}

std::string Pipeline::DescribeText() const {
  std::string text;
  for (size_t i : impl_->topo_order) {
    const internal::NodeRuntime& node = *impl_->nodes[i];
    text += node.name;
    if (!node.options.depends_on.empty()) {
      text += " <- ";
      for (size_t d = 0; d < node.options.depends_on.size(); ++d) {
        text += (d ? ", " : "") + node.options.depends_on[d];
      }
    }
    std::string notes;
    if (node.options.chunks > 1) notes += "chunks=" + std::to_string(node.options.chunks);
    if (node.options.concurrency > 0) {
      notes += (notes.empty() ? "" : ", ") +
               ("concurrency=" + std::to_string(node.options.concurrency));
    }
    if (node.async != nullptr || node.options.sink) {
      notes += (notes.empty() ? "" : ", ") + std::string("sink");
    }
    if (!notes.empty()) text += "  [" + notes + "]";
    text += "\n";
  }
  return text;
}

std::string Pipeline::DescribeDot() const {
  std::string dot = "digraph pipeline {\n  rankdir=LR;\n";
  for (size_t i : impl_->topo_order) {
    const internal::NodeRuntime& node = *impl_->nodes[i];
    std::string label = node.name;
    if (node.options.chunks > 1) label += "\\n(" + std::to_string(node.options.chunks) + " chunks)";
    dot += "  \"" + node.name + "\" [label=\"" + label + "\"" +
           (node.async != nullptr ? ", shape=cylinder" : ", shape=box") + "];\n";
  }
  for (size_t i : impl_->topo_order) {
    for (const std::string& dep : impl_->nodes[i]->options.depends_on) {
      dot += "  \"" + dep + "\" -> \"" + impl_->nodes[i]->name + "\";\n";
    }
  }
  return dot + "}\n";
}

}  // namespace gym
