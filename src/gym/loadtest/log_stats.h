// `gym loadtest stats DIR`: the seed's log processor. Reads every *.log file under DIR
// (recursively), takes each line's `Round-trip=<s>s` as a sample and counts failed-RPC lines as
// errors, then summarizes the samples (method in latency_stats.h).
//
//   absl::StatusOr<LogStats> stats = ComputeLogStats("load_test_run_results/logs_20_clients");
//   std::cout << FormatLogStatsTable(*stats);
#ifndef GYM_LOADTEST_LOG_STATS_H_
#define GYM_LOADTEST_LOG_STATS_H_

#include <cstdint>
#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "gym/loadtest/latency_stats.h"
#include "nlohmann/json.hpp"

namespace gym::loadtest {

struct LogStats {
  int64_t files = 0;
  int64_t errors = 0;
  int64_t unparsed = 0;    // non-blank lines that are neither a round trip nor an RPC error
  LatencySummary latency;  // seconds
};

// NOT_FOUND when `dir` is not a directory; an I/O error names the file that failed.
absl::StatusOr<LogStats> ComputeLogStats(const std::filesystem::path& dir);

// A two-column table, latencies in milliseconds.
std::string FormatLogStatsTable(const LogStats& stats);

// {"files":..,"samples":..,"errors":..,"mean_ms":..,"median_ms":..,"stddev_ms":..,"min_ms":..,
//  "max_ms":..,"p90_ms":..,"p95_ms":..,"p99_ms":..,"p999_ms":..}
nlohmann::json LogStatsToJson(const LogStats& stats);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_LOG_STATS_H_
