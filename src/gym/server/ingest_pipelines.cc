// The per-type pipelines of gym serve (see ingest_pipelines.h).
#include "gym/server/ingest_pipelines.h"

#include <string>
#include <utility>
#include <vector>

#include "gym/handlers/category_classifier.h"
#include "gym/handlers/normalizer.h"
#include "gym/handlers/risk_handler.h"
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

std::string_view EntryNode(EventType type) {
  switch (type) {
    case EventType::kClients:
      return "normalize";
    case EventType::kTransactions:
      return "category";
    case EventType::kScores:
      break;
  }
  return "store";
}

absl::StatusOr<IngestPipelines> BuildIngestPipelines(GroupCommitWriter& writer, BatchBoard& board,
                                                     std::shared_ptr<const RiskModel> model,
                                                     ServerMetrics& metrics,
                                                     size_t max_in_flight) {
  // Each request's own gRPC thread runs its pipeline: these are short linear chains, and a
  // hand-off to the scheduler would cost more than the handlers themselves.
  const PipelineOptions options{.max_in_flight = max_in_flight, .execution = Execution::kInline};
  IngestPipelines pipelines;

  PipelineBuilder clients;
  // Ids, CPFs, dates and our own columns are left as sent; names and addresses normalized.
  clients.Add("normalize",
              std::make_unique<NormalizerHandler>(
                  std::vector<std::string>{"id", "cpf", "data_nascimento", "event_id",
                                           "batch_id", "ingested_at"},
                  Reporter(EventType::kClients, metrics)));
  clients.Add("store", std::make_unique<IngestSink>(writer, board, EventType::kClients),
              {.depends_on = {"normalize"}});

  PipelineBuilder transactions;
  transactions.Add("category",
                   std::make_unique<CategoryHandler>(Reporter(EventType::kTransactions, metrics)));
  transactions.Add("risk",
                   std::make_unique<RiskHandler>(std::move(model),
                                                 Reporter(EventType::kTransactions, metrics)),
                   {.depends_on = {"category"}});
  transactions.Add("store",
                   std::make_unique<IngestSink>(writer, board, EventType::kTransactions),
                   {.depends_on = {"risk"}});

  PipelineBuilder scores;
  scores.Add("store", std::make_unique<IngestSink>(writer, board, EventType::kScores));

  PipelineBuilder* builders[] = {&clients, &transactions, &scores};
  for (EventType type : kEventTypes) {
    auto built = std::move(*builders[static_cast<size_t>(type)]).Build(options);
    if (!built.ok()) return built.status();
    pipelines[static_cast<size_t>(type)] = std::move(*built);
  }
  return pipelines;
}

}  // namespace gym
