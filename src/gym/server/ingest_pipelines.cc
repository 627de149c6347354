// The per-type pipelines of gym serve (see ingest_pipelines.h).
#include "gym/server/ingest_pipelines.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "gym/handlers/risk_handler.h"
#include "gym/pipeline/pipeline_assembly.h"
#include "gym/server/log_safe.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {

// Validation has already turned away what these handlers would reject, so a row they drop
// is unexpected: log it and count it under the node's name.
RowErrorReporter Reporter(EventType type, ServerMetrics& metrics) {
  return [type, &metrics](const RowError& e) {
    spdlog::warn("{} pipeline: node {} dropped row {} (event {}): {}", EventTypeName(type),
                 e.node, e.row, LogSafe(e.event_id), LogSafe(e.reason));
    metrics.Rejected(type, "pipeline:" + e.node);
  };
}

}  // namespace

std::string_view EntryNode(EventType type) { return EventTypeName(type); }

PipelineSpec Reachable(const PipelineSpec& spec, std::string_view source) {
  std::set<std::string, std::less<>> reached = {std::string(source)};
  // Parts may be declared before their inputs: repeat until nothing new is reached.
  for (bool grew = true; grew;) {
    grew = false;
    for (const PartSpec& part : spec.parts) {
      if (reached.contains(part.name)) continue;
      if (std::any_of(part.inputs.begin(), part.inputs.end(),
                      [&](const std::string& in) { return reached.contains(in); })) {
        reached.insert(part.name);
        grew = true;
      }
    }
  }
  PipelineSpec sub = spec;
  sub.parts.clear();
  sub.tests.clear();
  for (const PartSpec& part : spec.parts) {
    if (part.kind != PartKind::kTrigger && reached.contains(part.name)) sub.parts.push_back(part);
  }
  return sub;
}

std::vector<std::string> CheckServePipeline(const PipelineSpec& spec) {
  std::vector<std::string> errors;
  for (EventType type : kEventTypes) {
    const std::string_view name = EventTypeName(type);
    const PartSpec* source = spec.Find(name);
    if (source == nullptr || source->kind != PartKind::kSource) {
      errors.push_back(fmt::format(
          "{}: gym serve submits {} batches to a source named '{}', which the file does not "
          "declare ([sources.{}])",
          spec.file, name, name, name));
      continue;
    }
    std::vector<const PartSpec*> stores;
    for (const PartSpec& part : Reachable(spec, name).parts) {
      if (part.type == "sqlite") stores.push_back(spec.Find(part.name));
    }
    if (stores.size() != 1) {
      errors.push_back(fmt::format(
          "{}:{}: source '{}' reaches {} sqlite sinks; gym serve needs exactly one to store its "
          "batches (and to answer after its COMMIT)",
          spec.file, source->line, name, stores.size()));
      continue;
    }
    const PartSpec& store = *stores.front();
    if (store.options.String("table") != name || store.options.String("key") != "event_id" ||
        store.options.String("rejected_table") != "rejected_events") {
      errors.push_back(fmt::format(
          "{}:{}: sink '{}' stores {} batches: it needs table = \"{}\", key = \"event_id\" and "
          "rejected_table = \"rejected_events\" (what gym serve's answers, stats and the "
          "delivery checks count)",
          spec.file, store.line, store.name, name, name));
    }
  }
  return errors;
}

absl::StatusOr<IngestPipelines> BuildIngestPipelines(const PipelineSpec& spec,
                                                     const PartRegistry& registry,
                                                     std::shared_ptr<GroupCommitWriter> writer,
                                                     std::shared_ptr<const RiskModel> model,
                                                     ServerMetrics& metrics,
                                                     size_t max_in_flight) {
  // Each request's own gRPC thread runs its pipeline: these are short linear chains, and a
  // hand-off to the scheduler would cost more than the handlers themselves.
  const PipelineOptions options{.max_in_flight = max_in_flight, .execution = Execution::kInline};
  auto models = std::make_shared<RiskModelSource>(
      [model]() -> absl::StatusOr<std::shared_ptr<const RiskModel>> { return model; });
  IngestPipelines pipelines;
  for (EventType type : kEventTypes) {
    PartContext context;
    context.rejected = Reporter(type, metrics);
    context.Provide(writer);
    context.Provide(models);
    absl::StatusOr<AssembledPipeline> assembled =
        AssemblePipeline(Reachable(spec, EntryNode(type)), registry, context, options);
    if (!assembled.ok()) return assembled.status();
    pipelines[static_cast<size_t>(type)] = std::move(assembled->pipeline);
  }
  return pipelines;
}

}  // namespace gym
