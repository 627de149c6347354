// `--prefill N`: before the measured part of a load test, bring the server's transactions
// table up to N rows, so the run measures inserts into an index of that size.
//
// The rows go through the server, not into the database file: IngestTransactions batches of
// `batch_size` over `streams` connections at once, with the run's --event-ids mode. That is
// the real write path (validation, classification, the risk model, the group commit, the
// unique index), so the table ends the way production traffic would leave it, and it works
// against any server, not only one this process spawned. A direct SQLite insert would not be
// faster where it matters: with random keys the unique index is the bound either way.
//
// With --event-ids uuid the prefill sends its UUIDs in ascending order by default
// (SortedUuidV4): the same spread of random keys, but the index is built in key order,
// which is many times faster than random order (each random key dirties its own page of a
// large index). Its pages end fuller than those of an index grown at random; `sorted_uuids
// = false` (--prefill-order random) grows it the way production would, slowly.
//
// Rows already stored count: prefill only tops up to N (nothing when there are N already).
//
//   PrefillOptions options;
//   options.rows = 10'000'000;
//   absl::StatusOr<PrefillResult> done = Prefill(options, channel_creds, count_rows);
#ifndef GYM_LOADTEST_PREFILL_H_
#define GYM_LOADTEST_PREFILL_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "gym/loadtest/event_ids.h"

namespace gym::loadtest {

struct PrefillOptions {
  std::string target = "127.0.0.1:50051";
  std::string authorization;  // "Bearer <token>", or empty
  int64_t rows = 0;           // the wanted size of the transactions table
  EventIdMode event_ids = EventIdMode::kDerived;
  bool sorted_uuids = true;        // uuid mode: send the UUIDs in ascending order (see above)
  uint64_t seed = 42;              // of the mock rows
  std::string run_id = "prefill";  // batch ids are "<run_id>-prefill-<n>"
  int streams = 4;
  int batch_size = 5000;  // under gym serve's default --max-batch of 10,000
  std::chrono::nanoseconds deadline = std::chrono::seconds(60);
  bool progress = true;  // rows/s on stderr every few seconds
  const std::atomic<bool>* interrupt = nullptr;
};

struct PrefillResult {
  int64_t rows_before = 0;
  int64_t rows_added = 0;  // acknowledged by the server
  int64_t rows_after = 0;
  double seconds = 0;
  bool interrupted = false;

  double RowsPerSecond() const;
};

// The current size of the transactions table (table_size.h), or why it is unknown.
using RowCounter = std::function<absl::StatusOr<int64_t>()>;

// Tops the table up to options.rows. The table must be countable (`count_rows`): without its
// size there is nothing to top up to. An RPC that fails for good (after retries of UNAVAILABLE
// and RESOURCE_EXHAUSTED) or an item the server rejects ends the prefill with that error.
absl::StatusOr<PrefillResult> Prefill(const PrefillOptions& options,
                                      const std::shared_ptr<grpc::ChannelCredentials>& creds,
                                      const RowCounter& count_rows);

// "9990000 rows added in 95.2 s (104937 rows/s), the table holds 10000000".
std::string FormatPrefill(const PrefillResult& result);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_PREFILL_H_
