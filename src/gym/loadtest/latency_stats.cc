// Percentiles and moments of round-trip samples (method in latency_stats.h).
#include "gym/loadtest/latency_stats.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace gym::loadtest {

double Percentile(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const double lower = std::floor(h);
  const size_t i = static_cast<size_t>(lower);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - lower) * (sorted[i + 1] - sorted[i]);
}

LatencySummary Summarize(std::vector<double>& samples) {
  LatencySummary out;
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  const double n = static_cast<double>(samples.size());
  out.samples = static_cast<int64_t>(samples.size());
  double sum = 0;
  for (double s : samples) sum += s;
  out.mean = sum / n;
  // Two passes: the textbook sum-of-squares formula loses precision on microsecond values.
  double squares = 0;
  for (double s : samples) squares += (s - out.mean) * (s - out.mean);
  out.stddev = samples.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  out.min = samples.front();
  out.max = samples.back();
  out.median = Percentile(samples, 0.5);
  out.p90 = Percentile(samples, 0.90);
  out.p95 = Percentile(samples, 0.95);
  out.p99 = Percentile(samples, 0.99);
  out.p999 = Percentile(samples, 0.999);
  return out;
}

std::string FormatLatencyMs(const LatencySummary& l) {
  if (l.samples == 0) return "no samples";
  return fmt::format(
      "mean {:.3f}  median {:.3f}  std {:.3f}  min {:.3f}  max {:.3f}  p90 {:.3f}  p95 {:.3f}  "
      "p99 {:.3f}  p99.9 {:.3f}  ({} samples)",
      l.mean * 1e3, l.median * 1e3, l.stddev * 1e3, l.min * 1e3, l.max * 1e3, l.p90 * 1e3,
      l.p95 * 1e3, l.p99 * 1e3, l.p999 * 1e3, l.samples);
}

}  // namespace gym::loadtest
