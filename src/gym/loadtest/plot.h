// The sweep's graph, drawn by gnuplot (a subprocess, pngcairo terminal) from a temporary .dat
// file: top panel, mean round-trip with p50, p95 and p99 (ms) against clients; bottom panel,
// throughput in batches/s (left axis) and events/s (right axis) against clients.
#ifndef GYM_LOADTEST_PLOT_H_
#define GYM_LOADTEST_PLOT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gym/loadtest/sweep.h"

namespace gym::loadtest {

// The gnuplot script for `data` (the .dat file) drawing into `png`.
std::string GnuplotScript(const std::filesystem::path& data, const std::filesystem::path& png,
                          const std::vector<SweepRow>& rows);

// Writes the data file and runs `gnuplot`. UNAVAILABLE when gnuplot is missing or fails (its
// stderr is in the message).
absl::Status DrawSweepGraph(const std::filesystem::path& png, const std::vector<SweepRow>& rows);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_PLOT_H_
