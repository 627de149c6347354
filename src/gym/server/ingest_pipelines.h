// The three pipelines of gym serve, one per event type, built with the framework:
//
//   clients:       normalize ──> store (clients)
//   transactions:  category ──> risk ──> store (transactions)
//   scores:        store (scores)
//
// Each store node is an IngestSink: it commits the batch's rows together with its rejected
// items, and the message's token resolves after that COMMIT.
#ifndef GYM_SERVER_INGEST_PIPELINES_H_
#define GYM_SERVER_INGEST_PIPELINES_H_

#include <array>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "gym/handlers/risk_model.h"
#include "gym/pipeline/pipeline.h"
#include "gym/server/event_type.h"
#include "gym/server/ingest_sink.h"
#include "gym/server/server_metrics.h"
#include "gym/sinks/sqlite_sink.h"

namespace gym {

using IngestPipelines = std::array<std::unique_ptr<Pipeline>, 3>;

// The node a batch of `type` is submitted to.
std::string_view EntryNode(EventType type);

// REQUIRES: `writer`, `board` and `metrics` outlive the pipelines. `max_in_flight` bounds the
// messages in each pipeline.
absl::StatusOr<IngestPipelines> BuildIngestPipelines(GroupCommitWriter& writer, BatchBoard& board,
                                                     std::shared_ptr<const RiskModel> model,
                                                     ServerMetrics& metrics,
                                                     size_t max_in_flight);

}  // namespace gym

#endif  // GYM_SERVER_INGEST_PIPELINES_H_
