// `gym loadtest sweep`: the seed's orchestrator. For each client count it runs the simulator
// in-process, moves the logs into OUT/logs_<N>_clients/, computes their statistics, and at the
// end writes OUT/results.csv, OUT/results.json, OUT/load_test_performance_graph.png and
// OUT/report.md. An interrupt (RunOptions::interrupt) stops the current step; the files are
// then written from the steps that finished, and the stopped step's logs are kept in
// OUT/logs_<N>_clients_interrupted/. With `spawn_server` it starts `gym serve` itself on a free
// loopback port with a fresh database (OUT/sweep.db) and stops it at the end. With
// run.prefill_rows, the first count tops the transactions table up before its clock starts.
#ifndef GYM_LOADTEST_SWEEP_H_
#define GYM_LOADTEST_SWEEP_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/loadtest/log_stats.h"
#include "gym/loadtest/simulator.h"

namespace gym::loadtest {

struct SweepOptions {
  RunOptions run;  // clients, logs_dir and id_base are set per count
  std::vector<int> counts = {1, 2, 5, 10, 15, 20};
  std::filesystem::path out = "load_test_run_results";
  bool spawn_server = false;
  std::filesystem::path server_binary = "/proc/self/exe";
  std::vector<std::string> server_args;  // extra `gym serve` arguments
  // With spawn_server: the database (empty: a fresh OUT/sweep.db) and how many replicas
  // share it (more than one needs a PostgreSQL connection string).
  std::string db;
  int replicas = 1;
};

// One client count's results.
struct SweepRow {
  int clients = 0;
  LogStats stats;  // from the logs, as `gym loadtest stats` computes them
  double wall_seconds = 0;
  double batches_per_second = 0;
  double events_per_second = 0;
  int64_t events_sent = 0;
  int64_t events_acked = 0;
  int64_t events_committed = -1;     // -1: unknown (GetStats failed)
  int64_t events_lost = -1;          // -1: unknown
  int64_t rpc_errors = 0;            // batches that failed after their retries
  int64_t retries = 0;               // resends after RESOURCE_EXHAUSTED or UNAVAILABLE
  int64_t server_peak_rss_kib = -1;  // VmHWM after this count; -1 without --spawn-server
  TableSize transactions_at_start;   // the transactions table before and after this count
  TableSize transactions_at_end;
};

struct SweepResult {
  std::vector<SweepRow> rows;  // the steps that finished
  std::string target;
  std::string workload;        // a one-line description of the options used
  std::string workload_brief;  // scale, mode and RPC kind, for the graph
  // The seed's own workload (its shape at scale 1, paced 0.1-0.5 s, batch RPCs): only then do
  // the reports set the seed's figures beside ours.
  bool seed_workload = false;
  EventIdMode event_ids = EventIdMode::kDerived;
  std::optional<PrefillResult> prefill;  // what --prefill added (before the first count)
  // The transactions table before the first count (after the prefill) and after the last.
  TableSize transactions_at_start;
  TableSize transactions_at_end;
  int64_t server_peak_rss_kib = -1;
  std::filesystem::path graph;  // empty when no graph was drawn
  std::string graph_error;      // why not
  // Set when options.run.interrupt fired: the client count of the step it stopped, whose logs
  // are in `interrupted_logs` (empty when the step had not started).
  std::optional<int> interrupted_at;
  std::filesystem::path interrupted_logs;
};

absl::StatusOr<SweepResult> RunSweep(const SweepOptions& options);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_SWEEP_H_
