// The seed's log processor over a directory of client logs (see log_stats.h).
#include "gym/loadtest/log_stats.h"

#include <algorithm>
#include <fstream>
#include <system_error>
#include <vector>

#include "fmt/format.h"
#include "gym/loadtest/log_line.h"

namespace gym::loadtest {
namespace fs = std::filesystem;

absl::StatusOr<LogStats> ComputeLogStats(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(fmt::format("{}: not a directory", dir.string()));
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".log") files.push_back(it->path());
  }
  if (ec) return absl::InternalError(fmt::format("{}: {}", dir.string(), ec.message()));
  // A stable order keeps error messages reproducible.
  std::sort(files.begin(), files.end());

  LogStats stats;
  std::vector<double> samples;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    if (!in) return absl::InternalError(fmt::format("{}: cannot open", file.string()));
    ++stats.files;
    std::string line;
    while (std::getline(in, line)) {
      if (IsRpcErrorLine(line)) {
        ++stats.errors;
      } else if (std::optional<double> rt = ParseRoundTrip(line)) {
        samples.push_back(*rt);
      } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
        ++stats.unparsed;
      }
    }
    if (in.bad()) return absl::InternalError(fmt::format("{}: read error", file.string()));
  }
  stats.latency = Summarize(samples);
  return stats;
}

std::string FormatLogStatsTable(const LogStats& s) {
  const LatencySummary& l = s.latency;
  std::string out;
  auto row = [&out](std::string_view name, const std::string& value) {
    out += fmt::format("{:<16}{:>14}\n", name, value);
  };
  auto ms = [](double seconds) { return fmt::format("{:.3f} ms", seconds * 1e3); };
  row("files", std::to_string(s.files));
  row("samples", std::to_string(l.samples));
  row("errors", std::to_string(s.errors));
  if (s.unparsed > 0) row("unparsed lines", std::to_string(s.unparsed));
  row("mean", ms(l.mean));
  row("median", ms(l.median));
  row("std dev", ms(l.stddev));
  row("min", ms(l.min));
  row("max", ms(l.max));
  row("p90", ms(l.p90));
  row("p95", ms(l.p95));
  row("p99", ms(l.p99));
  row("p99.9", ms(l.p999));
  return out;
}

nlohmann::json LogStatsToJson(const LogStats& s) {
  const LatencySummary& l = s.latency;
  return nlohmann::json{{"files", s.files},
                        {"samples", l.samples},
                        {"errors", s.errors},
                        {"unparsed", s.unparsed},
                        {"mean_ms", l.mean * 1e3},
                        {"median_ms", l.median * 1e3},
                        {"stddev_ms", l.stddev * 1e3},
                        {"min_ms", l.min * 1e3},
                        {"max_ms", l.max * 1e3},
                        {"p90_ms", l.p90 * 1e3},
                        {"p95_ms", l.p95 * 1e3},
                        {"p99_ms", l.p99 * 1e3},
                        {"p999_ms", l.p999 * 1e3}};
}

}  // namespace gym::loadtest
