// The file-based demo job of `gym run` (the seed's examples/main.py), as a pipeline:
//
//   scores_csv ────────────────────────────────────────────────────> save_scores_db
//   clients_db ──> normalizer (2 chunks) ──────────────────────────> save_clients_db
//   historical_db ──> most_transactions
//   new_txt ──> check_tx ──┬──> risk (2 chunks) ──┬──> save_csv
//                          │                      ├──> suspicious_pct
//                          │                      └──> value_per_currency
//                          └──┐
//   timer_tx ─────────────────┴──> category ──┬──> average_value
//                                             ├──> count_per_category
//                                             └──> save_db
//
// Producers read files (or generated records, for the timer) and stamp batch and event ids;
// the *_db nodes are SQLite sinks sharing one group-commit writer, so a message's token
// resolves only after its rows are committed. check_tx rejects, before the fan-out, every row
// risk or category would reject, so a row one branch refuses is never stored by the other;
// rejected rows (from any node) go to the rejected_events table. save_csv shows a file only
// once its message committed everywhere (the caller commits it; see SaveCsvHandler).
#ifndef GYM_CLI_RUN_JOB_H_
#define GYM_CLI_RUN_JOB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/cli/run_messages.h"
#include "gym/cli/run_rejections.h"
#include "gym/frame/frame.h"
#include "gym/handlers/metric_handler.h"
#include "gym/handlers/risk_model.h"
#include "gym/handlers/save_csv_handler.h"
#include "gym/pipeline/pipeline.h"
#include "gym/sinks/sqlite_sink.h"

namespace gym {

struct RunJobOptions {
  std::string out_db = "gym_run.db";
  std::string out_csv_dir = "results";
  size_t chunks = 2;
  size_t max_in_flight = 64;
};

// The built job: the pipeline plus the pieces its caller reads after the run.
struct RunJob {
  // Declared first, so destroyed last: the writer's destructor drains its queue and runs the
  // done callbacks of rejection records, which count failures here.
  std::unique_ptr<RejectionLog> rejections;
  std::unique_ptr<GroupCommitWriter> writer;  // outlives the pipeline's sinks
  std::unique_ptr<Pipeline> pipeline;
  std::vector<MetricHandler*> metrics;  // owned by the pipeline, in print order
  SaveCsvHandler* risk_csv = nullptr;   // owned by the pipeline
};

// Builds the DAG above. `model` may be null only when the job is described, never run.
absl::StatusOr<RunJob> BuildRunJob(const RunJobOptions& options,
                                   std::shared_ptr<const RiskModel> model);

// Which producer node a dropped or listed file feeds, by name and suffix: "*.txt" →
// new_txt; "*.csv" → scores_csv (except labeled training data, which is skipped); "*.db" →
// clients_db and historical_db. Empty for any other file.
std::vector<std::string> ProducerNodesFor(const std::string& path);

// The request Frame to submit to `node` for `path` (a file request; for the SQLite producers a
// table request), whose bytes hash to `content_sha256` (FileSha256Hex). The batch id, and so
// every event id, derives from the content, not the name: the same bytes again (under any
// name) store nothing twice, other bytes under an old name are new data.
Frame RequestFor(const std::string& node, const std::string& path,
                 const std::string& content_sha256);

// The batch id RequestFor gives: "<node>:<first 32 hex digits of the SHA-256>".
std::string ContentBatchId(const std::string& node, const std::string& content_sha256);

// Submits `path` to the producers ProducerNodesFor names (nothing for our own `out_db`), each
// message tracked by `log`; a new-transactions file's risk CSV is put in place when its message
// committed everywhere, and removed otherwise.
void SubmitFile(RunJob& job, const std::string& path, const std::string& out_db, MessageLog& log);

// The input files of `dir` (those ProducerNodesFor takes), in name order; NOT_FOUND saying
// what to do when there are none.
absl::StatusOr<std::vector<std::string>> ListInputs(const std::string& dir);

// `rows` generated new transactions for timer run `run` (ids that do not clash with files).
Frame TimerTransactions(int run, size_t rows, uint64_t seed);

// The model at `model_path`, or, when that file is missing, one trained from
// `labeled_csv` (when it exists) or from generated labeled data, saved to `model_path`.
absl::StatusOr<std::shared_ptr<const RiskModel>> LoadOrTrainModel(const std::string& model_path,
                                                                  const std::string& labeled_csv);

// The per-node summary table: messages, rows in, rows out (what a source read), errors, and
// the time spent (for a sink, until its commit).
std::string FormatNodeSummary(const std::vector<NodeStats>& stats);

}  // namespace gym

#endif  // GYM_CLI_RUN_JOB_H_
