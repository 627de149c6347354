// The pipelines of gym serve, one per event type, from a pipeline file (pipelines/serve.toml
// unless --config names another): the source named after the type ("clients",
// "transactions", "scores") and every part it reaches.
//
// A batch is submitted to its type's source with a MessageContext (batch id, the items
// validation rejected, the rows that must reach the store); the one sqlite sink reached from
// the source stores the type's table, commits the rejected items in the same transaction and
// fills in the context's report. The message's token resolves after that COMMIT.
#ifndef GYM_SERVER_INGEST_PIPELINES_H_
#define GYM_SERVER_INGEST_PIPELINES_H_

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/handlers/risk_model.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/server/event_type.h"
#include "gym/server/server_metrics.h"
#include "gym/storage/group_commit_writer.h"

namespace gym {

using IngestPipelines = std::array<std::unique_ptr<Pipeline>, 3>;

// The source a batch of `type` is submitted to: the type's name.
std::string_view EntryNode(EventType type);

// What gym serve needs of a pipeline file, beyond CheckPipeline: a source per event type,
// named after it, and from each exactly one sqlite sink, storing the type's table under the
// unique key event_id. Each error names the file and the part.
std::vector<std::string> CheckServePipeline(const PipelineSpec& spec);

// The part of `spec` that `source` reaches (the source, every part downstream of it), in file
// order; triggers are left out.
PipelineSpec Reachable(const PipelineSpec& spec, std::string_view source);

// REQUIRES: CheckPipeline and CheckServePipeline passed; `metrics` outlives the pipelines.
// `max_in_flight` bounds the messages in each pipeline.
absl::StatusOr<IngestPipelines> BuildIngestPipelines(const PipelineSpec& spec,
                                                     const PartRegistry& registry,
                                                     std::shared_ptr<GroupCommitWriter> writer,
                                                     std::shared_ptr<const RiskModel> model,
                                                     ServerMetrics& metrics,
                                                     size_t max_in_flight);

}  // namespace gym

#endif  // GYM_SERVER_INGEST_PIPELINES_H_
