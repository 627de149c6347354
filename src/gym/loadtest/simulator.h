// `gym loadtest run`: the seed's client simulator, done with one channel per simulated client
// and asynchronous calls, in three modes:
//   paced   the seed's: after each batch, a pause drawn uniformly from [pause_min, pause_max];
//   closed  no pauses, each simulated client sends its next batch as soon as one is answered;
//   open    (`rps` > 0) batches start at a fixed aggregate rate, whatever the answers do, and
//           their round-trip counts from the scheduled time.
// `duration` bounds any mode by time: no batch starts after it.
//
//   RunOptions options;
//   options.target = "127.0.0.1:50051";
//   options.clients = 20;
//   absl::StatusOr<RunResult> result = RunLoadTest(options);
//   std::cout << FormatRunSummary(*result);
#ifndef GYM_LOADTEST_SIMULATOR_H_
#define GYM_LOADTEST_SIMULATOR_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "gym/loadtest/backoff.h"
#include "gym/loadtest/client_session.h"
#include "gym/loadtest/delivery_check.h"
#include "gym/loadtest/event_ids.h"
#include "gym/loadtest/latency_stats.h"
#include "gym/loadtest/prefill.h"
#include "gym/loadtest/request_builder.h"
#include "gym/loadtest/table_size.h"
#include "gym/loadtest/workload.h"

namespace gym::loadtest {

enum class PaceMode { kPaced, kClosed };

struct RunOptions {
  std::string target = "127.0.0.1:50051";
  int clients = 1;
  WorkloadShape shape;  // before scaling
  double scale = 1.0;
  double pause_min_seconds = 0.1;
  double pause_max_seconds = 0.5;
  PaceMode mode = PaceMode::kPaced;
  // Paced mode: each client's first batch also waits one of its pauses, as if the client had
  // been running already (`--start spread`). Clients of a real system, and the seed's, which
  // were separate processes, do not send their first batch in the same microsecond; false
  // sends every first batch at once (`--start together`), to measure that burst.
  bool spread_start = true;
  double rps = 0;  // > 0: open loop at this many batches per second, all clients together
  std::optional<std::chrono::nanoseconds> duration;
  RpcKind rpc = RpcKind::kBatch;
  std::chrono::nanoseconds deadline = std::chrono::seconds(60);
  BackoffPolicy backoff;  // resends of batches refused with RESOURCE_EXHAUSTED or UNAVAILABLE
  // Batches built before the clock starts, up to this many bytes for all clients together;
  // the rest are built as their turn comes. Building during the run takes CPU from a
  // saturated machine (closed loop, 20 clients: ~0.86 of the events/s), building everything
  // up front took 1.6 GB at 150 clients: this keeps the first where it fits, bounded.
  int64_t prebuild_bytes = int64_t{256} << 20;
  std::filesystem::path logs_dir = "load_test_logs";
  std::filesystem::path auth_token_file;  // empty: no authorization header
  std::filesystem::path tls_ca;           // empty: plaintext (unless a client certificate)
  std::filesystem::path tls_cert;         // with tls_key: present this client certificate
  std::filesystem::path tls_key;
  uint64_t seed = 42;
  EventIdMode event_ids = EventIdMode::kDerived;  // see event_ids.h
  // > 0: before the clock, top the transactions table up to this many rows (prefill.h).
  int64_t prefill_rows = 0;
  int prefill_streams = 4;
  int prefill_batch = 5000;
  bool prefill_sorted = true;  // --prefill-order sorted (PrefillOptions::sorted_uuids)
  // The server's database, when this machine can read it (a spawned server): table sizes are
  // then read from it; otherwise they come from GetStats.
  std::filesystem::path db_path;
  std::string run_id;              // empty: "r<unix milliseconds>"
  std::optional<int64_t> id_base;  // empty: unix milliseconds
  bool progress = true;            // a line on stderr every few seconds
  // When set and it becomes true (a SIGINT handler), the run stops: no batch starts, calls in
  // flight and backoff waits are cancelled, and the result says it was interrupted.
  const std::atomic<bool>* interrupt = nullptr;
};

// INVALID_ARGUMENT naming the option at fault.
absl::Status ValidateRunOptions(const RunOptions& options);

struct RunResult {
  int clients = 0;
  std::string run_id;
  IdLayout ids;
  EventIdMode event_ids = EventIdMode::kDerived;
  std::string start;  // paced mode: "spread" or "together" (RunOptions::spread_start)
  std::optional<PrefillResult> prefill;  // set when RunOptions::prefill_rows > 0
  // The transactions table just before the first batch and just after the last answer.
  TableSize transactions_at_start;
  TableSize transactions_at_end;
  double wall_seconds = 0;  // first send to last answer
  int64_t batches_planned = 0;
  int64_t batches_prebuilt = 0;  // built before the clock started (RunOptions::prebuild_bytes)
  int64_t batches_sent = 0;
  int64_t batches_answered = 0;
  int64_t rpc_errors = 0;  // batches that failed for good (after their retries)
  std::map<int, int64_t> errors_by_code;
  int64_t retries = 0;  // resends; each answered or failed batch counts once above
  std::map<int, int64_t> retries_by_code;
  bool interrupted = false;  // stopped by `interrupt` before the plan was done
  std::array<TypeTotals, 3> by_type{};
  LatencySummary latency;
  DeliveryReport delivery;

  double BatchesPerSecond() const;
  double EventsPerSecond() const;  // acknowledged events
};

// Connects, runs (each batch built just before its turn), and checks delivery. Errors are for bad
// options or files (token, CA, logs directory); RPC failures are counted in the result, never
// returned.
absl::StatusOr<RunResult> RunLoadTest(const RunOptions& options);

// Throughput, latency statistics, errors by code, and the delivery check ending in "lost: <n>".
std::string FormatRunSummary(const RunResult& result);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_SIMULATOR_H_
