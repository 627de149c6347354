// PipelineBuilder: validates the node graph and wires it onto a oneTBB flow graph.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gym/pipeline/internal/pipeline_impl.h"
#include "gym/pipeline/pipeline.h"

namespace gym {
namespace {

// Returns the node names along one cycle ("a -> b -> a"), given that Kahn's algorithm could not
// order the nodes whose `remaining` in-degree is still positive.
std::string DescribeCycle(const std::vector<std::unique_ptr<internal::NodeRuntime>>& nodes,
                          const std::vector<std::vector<size_t>>& deps,
                          const std::vector<int>& remaining) {
  size_t start = 0;
  while (remaining[start] == 0) ++start;
  // Walk backwards along dependencies that are themselves unresolved until a node repeats.
  std::vector<size_t> path;
  std::vector<int> seen(nodes.size(), -1);
  size_t at = start;
  while (seen[at] < 0) {
    seen[at] = static_cast<int>(path.size());
    path.push_back(at);
    for (size_t d : deps[at]) {
      if (remaining[d] > 0) {
        at = d;
        break;
      }
    }
  }
  std::vector<size_t> cycle(path.begin() + seen[at], path.end());
  std::reverse(cycle.begin(), cycle.end());
  // Start at the node declared first, so the message does not depend on where the walk began.
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  std::string text;
  for (size_t i : cycle) text += nodes[i]->name + " -> ";
  return text + nodes[cycle.front()]->name;
}

}  // namespace

void PipelineBuilder::AddNode(std::string name, std::unique_ptr<Handler> handler,
                              NodeOptions options) {
  nodes_.push_back(NodeSpec{std::move(name), std::move(handler), std::move(options)});
}

absl::StatusOr<std::unique_ptr<Pipeline>> PipelineBuilder::Build(PipelineOptions options) && {
  if (nodes_.empty()) return absl::InvalidArgumentError("pipeline has no nodes");
  if (options.max_in_flight == 0) {
    return absl::InvalidArgumentError("max_in_flight must be at least 1");
  }
  auto impl = std::make_unique<Pipeline::Impl>();
  impl->options = options;
  for (NodeSpec& spec : nodes_) {
    if (spec.name.empty()) return absl::InvalidArgumentError("a node has an empty name");
    if (!spec.handler) {
      return absl::InvalidArgumentError("node '" + spec.name + "' has no handler");
    }
    if (spec.options.chunks == 0) {
      return absl::InvalidArgumentError("node '" + spec.name + "': chunks must be at least 1");
    }
    if (options.execution == Execution::kInline && spec.options.concurrency > 0) {
      return absl::InvalidArgumentError(
          "node '" + spec.name +
          "': a concurrency limit needs the scheduler; inline execution runs every node on the "
          "submitting thread");
    }
    if (!impl->index.emplace(spec.name, impl->nodes.size()).second) {
      return absl::InvalidArgumentError("duplicate node name '" + spec.name + "'");
    }
    auto node = std::make_unique<internal::NodeRuntime>();
    node->name = std::move(spec.name);
    node->async = dynamic_cast<AsyncHandler*>(spec.handler.get());
    node->handler = std::move(spec.handler);
    node->options = std::move(spec.options);
    impl->nodes.push_back(std::move(node));
  }

  const size_t n = impl->nodes.size();
  std::vector<std::vector<size_t>> deps(n);
  for (size_t i = 0; i < n; ++i) {
    internal::NodeRuntime& node = *impl->nodes[i];
    for (const std::string& dep : node.options.depends_on) {
      auto it = impl->index.find(dep);
      if (it == impl->index.end()) {
        return absl::InvalidArgumentError("node '" + node.name + "' depends on unknown node '" +
                                          dep + "'");
      }
      if (it->second == i) {
        return absl::InvalidArgumentError("node '" + node.name + "' depends on itself");
      }
      if (std::find(deps[i].begin(), deps[i].end(), it->second) != deps[i].end()) {
        return absl::InvalidArgumentError("node '" + node.name + "' lists dependency '" + dep +
                                          "' twice");
      }
      deps[i].push_back(it->second);
      impl->nodes[it->second]->dependents.push_back(impl->nodes[i].get());
    }
  }
  for (const auto& node : impl->nodes) {
    if (node->async != nullptr && !node->dependents.empty()) {
      return absl::InvalidArgumentError("node '" + node->name +
                                        "' completes asynchronously (a sink) and cannot have "
                                        "dependents");
    }
  }

  // Kahn's algorithm: a topological order, or the cycle that prevents one.
  std::vector<int> remaining(n);
  for (size_t i = 0; i < n; ++i) remaining[i] = static_cast<int>(deps[i].size());
  std::vector<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    if (remaining[i] == 0) ready.push_back(i);
  }
  while (!ready.empty()) {
    size_t i = ready.front();
    ready.erase(ready.begin());
    impl->topo_order.push_back(i);
    for (const internal::NodeRuntime* dependent : impl->nodes[i]->dependents) {
      size_t d = impl->index.at(dependent->name);
      if (--remaining[d] == 0) ready.push_back(d);
    }
  }
  if (impl->topo_order.size() != n) {
    return absl::InvalidArgumentError("pipeline has a cycle: " +
                                      DescribeCycle(impl->nodes, deps, remaining));
  }

  if (options.execution == Execution::kInline) {
    return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
  }
  for (auto& node : impl->nodes) {
    internal::NodeRuntime* runtime = node.get();
    size_t concurrency =
        runtime->options.concurrency == 0 ? size_t{tbb::flow::unlimited} : runtime->options.concurrency;
    // Results are forwarded by NodeRuntime::Run to each dependent's flow node rather than
    // along flow-graph edges, so that every dependent receives a frame of its own.
    runtime->flow = std::make_unique<internal::FlowNode>(
        impl->graph, concurrency, [runtime](const internal::Message& in) {
          runtime->Run(in);
          return tbb::flow::continue_msg();
        });
  }
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

}  // namespace gym
