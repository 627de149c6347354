// The file-based demo job of `gym run` (the seed's examples/main.py), as a pipeline:
//
//   scores_csv ─────────────────────────────────────────────> save_scores_db
//   clients_db ──> normalizer (2 chunks) ───────────────────> save_clients_db
//   historical_db ──> most_transactions
//   new_txt ──┬──> risk (2 chunks) ──┬──> save_csv
//             │                      ├──> suspicious_pct
//             │                      └──> value_per_currency
//             └──┐
//   timer_tx ────┴──> category ──┬──> average_value
//                                ├──> count_per_category
//                                └──> save_db
//
// Producers read files (or generated records, for the timer) and stamp batch and event ids;
// the *_db nodes are SQLite sinks sharing one group-commit writer, so a message's token
// resolves only after its rows are committed.
#ifndef GYM_CLI_RUN_JOB_H_
#define GYM_CLI_RUN_JOB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/handlers/metric_handler.h"
#include "gym/handlers/risk_model.h"
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
  std::unique_ptr<GroupCommitWriter> writer;  // declared first: outlives the pipeline's sinks
  std::unique_ptr<Pipeline> pipeline;
  std::vector<MetricHandler*> metrics;  // owned by the pipeline, in print order
};

// Builds the DAG above. `model` may be null only when the job is described, never run.
absl::StatusOr<RunJob> BuildRunJob(const RunJobOptions& options,
                                   std::shared_ptr<const RiskModel> model);

// Which producer node a dropped or listed file feeds, by name and suffix: "*.txt" →
// new_txt; "*.csv" → scores_csv (except labeled training data, which is skipped); "*.db" →
// clients_db and historical_db. Empty for any other file.
std::vector<std::string> ProducerNodesFor(const std::string& path);

// The request Frame to submit to `node` for `path` (a file request; for the SQLite producers a
// table request). The batch id is the file name, so re-running a file stores nothing twice.
Frame RequestFor(const std::string& node, const std::string& path);

// `rows` generated new transactions for timer run `run` (ids that do not clash with files).
Frame TimerTransactions(int run, size_t rows, uint64_t seed);

// The model at `model_path`, or, when that file is missing, one trained from
// `labeled_csv` (when it exists) or from generated labeled data, saved to `model_path`.
absl::StatusOr<std::shared_ptr<const RiskModel>> LoadOrTrainModel(const std::string& model_path,
                                                                  const std::string& labeled_csv);

// The per-node summary table: messages, rows, errors, busy time.
std::string FormatNodeSummary(const std::vector<NodeStats>& stats);

}  // namespace gym

#endif  // GYM_CLI_RUN_JOB_H_
