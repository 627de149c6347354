// Summary statistics of round-trip samples, shared by `gym loadtest run` (in memory) and
// `gym loadtest stats` (from log files), so both print the same numbers.
//
// Percentiles use linear interpolation between closest ranks (numpy's default "linear" method,
// Hyndman & Fan definition 7): for n sorted samples x[0..n-1] and p in [0, 1], h = (n - 1) * p
// and the p-th percentile is x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]).
// The median is the 50th percentile. The standard deviation is the sample one (divisor n - 1,
// as Python's statistics.stdev and pandas), 0 for a single sample.
#ifndef GYM_LOADTEST_LATENCY_STATS_H_
#define GYM_LOADTEST_LATENCY_STATS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace gym::loadtest {

// All values in seconds. With no samples every value is 0.
struct LatencySummary {
  int64_t samples = 0;
  double mean = 0;
  double median = 0;
  double stddev = 0;
  double min = 0;
  double max = 0;
  double p90 = 0;
  double p95 = 0;
  double p99 = 0;
  double p999 = 0;
};

// REQUIRES: `sorted` is in ascending order and non-empty; 0 <= p <= 1.
double Percentile(const std::vector<double>& sorted, double p);

// Sorts `samples` in place and summarizes them.
LatencySummary Summarize(std::vector<double>& samples);

// "mean 1.234  median ...  p99.9 5.678  (N samples)", in milliseconds; "no samples" when
// nothing was measured (rather than a row of zeros that reads like a result).
std::string FormatLatencyMs(const LatencySummary& summary);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_LATENCY_STATS_H_
