// What a sweep leaves behind: the summary table, results.csv, results.json and report.md
// (the seed report's load-test section redone from our numbers, with the seed's figures beside
// ours and a reading computed from the data).
#ifndef GYM_LOADTEST_SWEEP_OUTPUTS_H_
#define GYM_LOADTEST_SWEEP_OUTPUTS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gym/loadtest/sweep.h"
#include "nlohmann/json.hpp"

namespace gym::loadtest {

// Below this many samples a p99 is little more than the largest value seen; the reports say so.
inline constexpr int64_t kMinP99Samples = 100;

// The seed's load-test workload: WorkloadShape's defaults at scale 1, paced with pauses of
// 0.1-0.5 s, batch RPCs. The seed's figures compare with a sweep only when it ran this.
bool IsSeedWorkload(const RunOptions& options);

// The client counts (comma-separated) of the rows whose p99 rests on fewer than
// kMinP99Samples samples; "" when none.
std::string ThinP99Counts(const std::vector<SweepRow>& rows);

// The seed report's mean round-trip (seconds) read off its graph, for 1, 2, 5, 10, 15, 20
// clients; nullopt for other counts.
std::optional<double> SeedMeanSeconds(int clients);

std::string FormatSweepTable(const std::vector<SweepRow>& rows);

absl::Status WriteResultsCsv(const std::filesystem::path& path, const std::vector<SweepRow>& rows);
// What --prefill did; null without it.
nlohmann::json PrefillJson(const std::optional<PrefillResult>& prefill);
nlohmann::json SweepToJson(const SweepResult& result);
absl::Status WriteResultsJson(const std::filesystem::path& path, const SweepResult& result);

// The index of the first row whose mean round-trip grew by a larger factor than its client
// count since the previous row (latency growing faster than load); nullopt when none did.
std::optional<size_t> FindKnee(const std::vector<SweepRow>& rows);

// The report's line on the database: the --event-ids mode, what --prefill added, and the
// size of the transactions table at the start and at the end.
std::string DescribeDatabase(const SweepResult& result);

// The reading paragraph of report.md.
std::string ReadResults(const SweepResult& result);

absl::Status WriteReport(const std::filesystem::path& path, const SweepResult& result);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_SWEEP_OUTPUTS_H_
