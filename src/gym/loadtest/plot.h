// The sweep's graph, drawn by gnuplot (a subprocess, pngcairo terminal) from a temporary .dat
// file: top panel, mean round-trip with p50, p95 and p99 (ms) against clients; bottom panel,
// throughput in batches/s (left axis) and events/s (right axis) against clients. The graph
// says what it measured: the workload (scale, mode, RPC kind) under the title and the number of
// samples under each client count; a p99 resting on fewer than kMinP99Samples samples is
// marked as such in the legend. Steps where no batch was answered have no round trip to draw
// and are left out; with none left, there is no graph.
#ifndef GYM_LOADTEST_PLOT_H_
#define GYM_LOADTEST_PLOT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gym/loadtest/sweep.h"

namespace gym::loadtest {

// The gnuplot script for `data` (the .dat file of `rows`) drawing into `png`.
std::string GnuplotScript(const std::filesystem::path& data, const std::filesystem::path& png,
                          const std::vector<SweepRow>& rows, const std::string& workload);

// The rows a graph can show: those with at least one answered batch.
std::vector<SweepRow> DrawableRows(const std::vector<SweepRow>& rows);

// Writes the data file and runs `gnuplot`. FAILED_PRECONDITION when no step had an answered
// batch (nothing to draw); UNAVAILABLE when gnuplot is missing or fails (its stderr is in the
// message).
absl::Status DrawSweepGraph(const std::filesystem::path& png, const SweepResult& result);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_PLOT_H_
