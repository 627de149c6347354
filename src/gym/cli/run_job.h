// The file-based job of `gym run` (the seed's examples/main.py): the pipeline of a pipeline
// file (pipelines/run.toml when none is given, see its picture there), run on files.
//
// The file's sqlite sinks share one group-commit writer on --out-db, so a message's token
// resolves only after its rows are committed; rejected rows (from any part) go to the
// rejected_events table. A `files` trigger decides which sources a dropped or listed file
// goes to (their `match` globs); `timer` triggers submit ticks to the sources they feed.
// A csv sink with publish = "when_committed" shows a file only once its message committed
// everywhere (SubmitFile commits it; see SaveCsvHandler).
#ifndef GYM_CLI_RUN_JOB_H_
#define GYM_CLI_RUN_JOB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/cli/run_messages.h"
#include "gym/cli/run_rejections.h"
#include "gym/frame/frame.h"
#include "gym/handlers/metric_handler.h"
#include "gym/handlers/risk_handler.h"
#include "gym/handlers/risk_model.h"
#include "gym/pipeline/pipeline.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/sinks/save_csv_handler.h"
#include "gym/storage/group_commit_writer.h"

namespace gym {

struct RunJobOptions {
  std::string out_db = "gym_run.db";
  // False while the job is only drawn (--print-dag): nothing is trained or written.
  bool will_run = true;
};

// The built job: the pipeline plus the pieces its caller reads after the run.
struct RunJob {
  // Declared first, so destroyed last: the writer's destructor drains its queue and runs the
  // done callbacks of rejection records, which count failures here.
  std::unique_ptr<RejectionLog> rejections;
  std::shared_ptr<GroupCommitWriter> writer;  // outlives the pipeline's sinks
  PipelineSpec spec;
  std::string run_id;  // "run-<UTC stamp>-<pid>": names this run in the metric tables
  std::unique_ptr<Pipeline> pipeline;
  std::vector<std::pair<std::string, MetricHandler*>> metrics;  // owned by the pipeline
  std::vector<SaveCsvHandler*> csv_when_committed;              // owned by the pipeline
  std::vector<std::string> csv_folders;                         // of every csv sink
};

// Builds the job of `spec` (checked by CheckPipeline). `model` gives the risk parts their
// model; it is asked only when a part needs one and the job will run.
absl::StatusOr<RunJob> BuildRunJob(const RunJobOptions& options, PipelineSpec spec,
                                   const PartRegistry& registry,
                                   std::shared_ptr<RiskModelSource> model);

// The sources a dropped or listed file goes to: those a `files` trigger feeds (all sources
// with `match` globs when it names none) whose globs take the file's name. With the built-in
// pipeline: "*.txt" → new_txt; "*.csv" → scores_csv (labeled training data excepted); "*.db"
// → clients_db and historical_db.
std::vector<std::string> SourcesForFile(const PipelineSpec& spec, const std::string& path);

// True when the spec has a `files` trigger (else --once and --watch have nothing to feed).
bool HasFilesTrigger(const PipelineSpec& spec);

// The request Frame to submit to `source` for `path` (a file request; for an sqlite_table
// source a table request), whose bytes hash to `content_sha256` (FileSha256Hex). The batch
// id, and so every event id, derives from the content, not the name: the same bytes again
// (under any name) store nothing twice, other bytes under an old name are new data.
Frame RequestFor(const PartSpec& source, const std::string& path,
                 const std::string& content_sha256);

// The batch id RequestFor gives: "<node>:<first 32 hex digits of the SHA-256>".
std::string ContentBatchId(const std::string& node, const std::string& content_sha256);

// The follow-up of a message of batch `batch`: the CSV files it left waiting in `sinks` appear
// when every branch of the message committed, and are removed otherwise. Null without sinks.
MessageLog::FollowUp PublishCsvFiles(std::vector<SaveCsvHandler*> sinks, const std::string& batch);

// Submits `path` to the sources SourcesForFile names (nothing for our own `out_db`), each
// message tracked by `log`; the CSV files its message left waiting are put in place when it
// committed everywhere, and removed otherwise.
void SubmitFile(RunJob& job, const std::string& path, const std::string& out_db, MessageLog& log);

// The input files of `dir` (those SourcesForFile takes), in name order; NOT_FOUND saying
// what to do when there are none.
absl::StatusOr<std::vector<std::string>> ListInputs(const PipelineSpec& spec,
                                                    const std::string& dir);

// The per-node summary table: messages, rows in, rows out (what a source read), errors, and
// the time spent (for a sink, until its commit).
std::string FormatNodeSummary(const std::vector<NodeStats>& stats);

}  // namespace gym

#endif  // GYM_CLI_RUN_JOB_H_
