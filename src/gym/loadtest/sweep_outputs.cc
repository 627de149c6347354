// Table, CSV, JSON and report.md of a sweep (see sweep_outputs.h).
#include "gym/loadtest/sweep_outputs.h"

#include <fstream>

#include "fmt/format.h"

namespace gym::loadtest {
namespace fs = std::filesystem;
namespace {

std::string Clients(int n) { return fmt::format("{} client{}", n, n == 1 ? "" : "s"); }

std::string OrUnknown(int64_t value) { return value < 0 ? "unknown" : std::to_string(value); }

absl::Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::InternalError(fmt::format("{}: write failed", path.string()));
  return absl::OkStatus();
}

double Ms(double seconds) { return seconds * 1e3; }

// A table size in JSON: null when unknown.
nlohmann::json RowsJson(const TableSize& size) {
  return size.rows ? nlohmann::json(*size.rows) : nlohmann::json();
}

std::string RowsCsv(const TableSize& size) { return size.rows ? std::to_string(*size.rows) : ""; }

}  // namespace

bool IsSeedWorkload(const RunOptions& o) {
  const WorkloadShape seed;
  const WorkloadShape s = o.shape.Scaled(o.scale);
  return s.client_batches == seed.client_batches && s.client_batch_size == seed.client_batch_size &&
         s.tx_batches_per_client_batch == seed.tx_batches_per_client_batch &&
         s.tx_batch_size == seed.tx_batch_size && s.score_batches == seed.score_batches &&
         s.score_batch_size == seed.score_batch_size && o.mode == PaceMode::kPaced && o.rps == 0 &&
         o.pause_min_seconds == 0.1 && o.pause_max_seconds == 0.5 && o.rpc == RpcKind::kBatch;
}

std::string ThinP99Counts(const std::vector<SweepRow>& rows) {
  std::string out;
  for (const SweepRow& r : rows) {
    if (r.stats.latency.samples < kMinP99Samples) {
      out += fmt::format("{}{}", out.empty() ? "" : ", ", r.clients);
    }
  }
  return out;
}

std::optional<double> SeedMeanSeconds(int clients) {
  switch (clients) {
    case 1:
      return 6.0;
    case 2:
      return 7.0;
    case 5:
      return 9.0;
    case 10:
      return 16.5;
    case 15:
      return 24.0;
    case 20:
      return 31.0;
    default:
      return std::nullopt;
  }
}

std::string FormatSweepTable(const std::vector<SweepRow>& rows) {
  std::string out = fmt::format(
      "{:>7} {:>8} {:>10} {:>10} {:>10} {:>10} {:>11} {:>12} {:>6} {:>6}\n", "clients", "batches",
      "mean ms", "p50 ms", "p95 ms", "p99 ms", "batches/s", "events/s", "errors", "lost");
  for (const SweepRow& r : rows) {
    const LatencySummary& l = r.stats.latency;
    out += fmt::format(
        "{:>7} {:>8} {:>10.3f} {:>10.3f} {:>10.3f} {:>10.3f} {:>11.1f} {:>12.1f} "
        "{:>6} {:>6}\n",
        r.clients, l.samples, Ms(l.mean), Ms(l.median), Ms(l.p95), Ms(l.p99), r.batches_per_second,
        r.events_per_second, r.stats.errors, OrUnknown(r.events_lost));
  }
  if (const std::string thin = ThinP99Counts(rows); !thin.empty()) {
    out += fmt::format("warning: p99 rests on fewer than {} batches at {} clients\n",
                       kMinP99Samples, thin);
  }
  return out;
}

absl::Status WriteResultsCsv(const fs::path& path, const std::vector<SweepRow>& rows) {
  std::string text =
      "clients,files,samples,errors,mean_ms,median_ms,stddev_ms,min_ms,max_ms,p90_ms,p95_ms,"
      "p99_ms,p999_ms,wall_seconds,batches_per_second,events_per_second,events_sent,"
      "events_acked,events_committed,events_lost,server_peak_rss_kib,retries,"
      "transactions_at_start,transactions_at_end\n";
  for (const SweepRow& r : rows) {
    const LatencySummary& l = r.stats.latency;
    text += fmt::format(
        "{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},"
        "{:.6f},{:.6f},{:.3f},{:.3f},{},{},{},{},{},{},{},{}\n",
        r.clients, r.stats.files, l.samples, r.stats.errors, Ms(l.mean), Ms(l.median), Ms(l.stddev),
        Ms(l.min), Ms(l.max), Ms(l.p90), Ms(l.p95), Ms(l.p99), Ms(l.p999), r.wall_seconds,
        r.batches_per_second, r.events_per_second, r.events_sent, r.events_acked,
        r.events_committed, r.events_lost, r.server_peak_rss_kib, r.retries,
        RowsCsv(r.transactions_at_start), RowsCsv(r.transactions_at_end));
  }
  return WriteText(path, text);
}

nlohmann::json PrefillJson(const std::optional<PrefillResult>& prefill) {
  if (!prefill) return nlohmann::json();
  return nlohmann::json{{"rows_before", prefill->rows_before},
                        {"rows_added", prefill->rows_added},
                        {"rows_after", prefill->rows_after},
                        {"seconds", prefill->seconds},
                        {"rows_per_second", prefill->RowsPerSecond()}};
}

nlohmann::json SweepToJson(const SweepResult& result) {
  nlohmann::json rows = nlohmann::json::array();
  for (const SweepRow& r : result.rows) {
    nlohmann::json row = LogStatsToJson(r.stats);
    row["clients"] = r.clients;
    row["wall_seconds"] = r.wall_seconds;
    row["batches_per_second"] = r.batches_per_second;
    row["events_per_second"] = r.events_per_second;
    row["events_sent"] = r.events_sent;
    row["events_acked"] = r.events_acked;
    row["events_committed"] = r.events_committed;
    row["events_lost"] = r.events_lost;
    row["rpc_errors"] = r.rpc_errors;
    row["retries"] = r.retries;
    row["server_peak_rss_kib"] = r.server_peak_rss_kib;
    row["transactions_at_start"] = RowsJson(r.transactions_at_start);
    row["transactions_at_end"] = RowsJson(r.transactions_at_end);
    rows.push_back(std::move(row));
  }
  return nlohmann::json{
      {"target", result.target},
      {"workload", result.workload},
      {"seed_workload", result.seed_workload},
      {"event_ids", std::string(EventIdModeName(result.event_ids))},
      {"transactions_at_start", RowsJson(result.transactions_at_start)},
      {"transactions_at_end", RowsJson(result.transactions_at_end)},
      // Where the sizes come from (the database, GetStats), or why they are unknown.
      {"transactions_count_source", result.transactions_at_end.source},
      {"prefill", PrefillJson(result.prefill)},
      {"interrupted_at",
       result.interrupted_at ? nlohmann::json(*result.interrupted_at) : nlohmann::json()},
      {"server_peak_rss_kib", result.server_peak_rss_kib},
      {"graph", result.graph.empty() ? "" : result.graph.filename().string()},
      {"runs", std::move(rows)}};
}

absl::Status WriteResultsJson(const fs::path& path, const SweepResult& result) {
  return WriteText(path, SweepToJson(result).dump(2) + "\n");
}

std::optional<size_t> FindKnee(const std::vector<SweepRow>& rows) {
  for (size_t i = 1; i < rows.size(); ++i) {
    const double prev = rows[i - 1].stats.latency.mean;
    const double load = static_cast<double>(rows[i].clients) / rows[i - 1].clients;
    if (prev > 0 && rows[i].stats.latency.mean / prev > load) return i;
  }
  return std::nullopt;
}

std::string ReadResults(const SweepResult& result) {
  const std::vector<SweepRow>& rows = result.rows;
  if (rows.empty()) return "No client count was run.\n";
  std::string out;
  if (std::optional<size_t> knee = FindKnee(rows)) {
    const SweepRow& a = rows[*knee - 1];
    const SweepRow& b = rows[*knee];
    out += fmt::format(
        "- Mean round-trip first grows faster than the client count between {} and {} clients "
        "({:.3f} ms -> {:.3f} ms, x{:.2f} for x{:.2f} the clients); throughput there is {:.1f} "
        "batches/s, {:.1f} events/s.\n",
        a.clients, b.clients, Ms(a.stats.latency.mean), Ms(b.stats.latency.mean),
        b.stats.latency.mean / a.stats.latency.mean, static_cast<double>(b.clients) / a.clients,
        b.batches_per_second, b.events_per_second);
  } else {
    out += fmt::format("- Mean round-trip never grows faster than the client count, up to {}.\n",
                       Clients(rows.back().clients));
  }
  const SweepRow* best = &rows.front();
  int64_t lost = 0;
  bool lost_known = true;
  int64_t errors = 0;
  for (const SweepRow& r : rows) {
    if (r.events_per_second > best->events_per_second) best = &r;
    if (r.events_lost < 0) lost_known = false;
    lost += std::max<int64_t>(r.events_lost, 0);
    errors += r.rpc_errors;
  }
  out += fmt::format("- Highest throughput: {:.1f} events/s ({:.1f} batches/s) at {}.\n",
                     best->events_per_second, best->batches_per_second, Clients(best->clients));
  out += fmt::format("- Events lost over the sweep: {}{}; RPC errors: {}.\n", lost,
                     lost_known ? "" : " (some runs could not be checked)", errors);
  if (std::optional<double> seed = SeedMeanSeconds(rows.back().clients);
      result.seed_workload && seed && rows.back().stats.latency.mean > 0) {
    out += fmt::format(
        "- At {} the seed's mean round-trip was {:.1f} s; ours is {:.3f} ms, "
        "{:.0f} times less.\n",
        Clients(rows.back().clients), *seed, Ms(rows.back().stats.latency.mean),
        *seed / rows.back().stats.latency.mean);
  }
  if (result.server_peak_rss_kib >= 0) {
    out += fmt::format("- Server peak resident memory (VmHWM): {:.1f} MiB.\n",
                       static_cast<double>(result.server_peak_rss_kib) / 1024.0);
  }
  return out;
}

namespace {

std::string ReportTable(const SweepResult& result) {
  const bool seed = result.seed_workload;
  std::string text = fmt::format(
      "| clients | batches answered | mean (ms) | p50 (ms) | p95 (ms) | p99 (ms) | batches/s | "
      "events/s | errors | retries | lost |{}\n|---|---|---|---|---|---|---|---|---|---|---|{}\n",
      seed ? " seed mean (s) |" : "", seed ? "---|" : "");
  for (const SweepRow& r : result.rows) {
    const LatencySummary& l = r.stats.latency;
    std::string seed_cell;
    if (seed) {
      const std::optional<double> s = SeedMeanSeconds(r.clients);
      seed_cell = fmt::format(" {} |", s ? fmt::format("~{}", *s) : "-");
    }
    text += fmt::format(
        "| {} | {} | {:.3f} | {:.3f} | {:.3f} | {:.3f}{} | {:.1f} | {:.1f} | {} | {} | {} |{}\n",
        r.clients, l.samples, Ms(l.mean), Ms(l.median), Ms(l.p95), Ms(l.p99),
        l.samples < kMinP99Samples ? " *" : "", r.batches_per_second, r.events_per_second,
        r.rpc_errors, r.retries, OrUnknown(r.events_lost), seed_cell);
  }
  if (const std::string thin = ThinP99Counts(result.rows); !thin.empty()) {
    text += fmt::format(
        "\n\\* Warning: at {} clients the p99 rests on fewer than {} answered batches; it is "
        "close to the largest round trip seen, not a percentile to rely on.\n",
        thin, kMinP99Samples);
  }
  if (!seed) {
    text +=
        "\nThe seed's figures are not shown: they were measured with the seed's workload (the "
        "default shape at scale 1, paced 0.1-0.5 s, batch RPCs), and this sweep ran another.\n";
  }
  return text;
}

}  // namespace

std::string DescribeDatabase(const SweepResult& result) {
  std::string text =
      fmt::format("Event ids: `{}` (--event-ids). ", EventIdModeName(result.event_ids));
  if (result.prefill) text += "Prefill: " + FormatPrefill(*result.prefill) + ". ";
  return text + "Size of the " +
         FormatTableSizes(result.transactions_at_start, result.transactions_at_end) + ".\n\n";
}

absl::Status WriteReport(const fs::path& path, const SweepResult& result) {
  std::string text = "# Load test: round-trip and throughput against concurrent clients\n\n";
  text += fmt::format("Target `{}`; workload: {}.\n\n", result.target, result.workload);
  text += DescribeDatabase(result);
  if (result.interrupted_at) {
    text += fmt::format(
        "**Interrupted** during the step of {}; the table holds the steps that finished{}.\n\n",
        Clients(*result.interrupted_at),
        result.interrupted_logs.empty()
            ? ""
            : fmt::format(", and the interrupted step's logs are in `{}`",
                          result.interrupted_logs.filename().string()));
  }
  text += ReportTable(result);
  if (!result.graph.empty()) {
    text += fmt::format("\n![Load test performance]({})\n", result.graph.filename().string());
  } else {
    text += fmt::format("\n(no graph: {})\n", result.graph_error);
  }
  text += "\n## Reading\n\n" + ReadResults(result);
  text +=
      "\nPercentiles: linear interpolation between closest ranks (numpy's default); "
      "standard deviation with divisor n - 1. A batch resent after a refusal (RESOURCE_"
      "EXHAUSTED, UNAVAILABLE) counts once, its round trip from its first send to its last "
      "answer, backoff waits included.";
  if (result.seed_workload) {
    text += " The seed's figures are read off its graph (mean round-trip in seconds).";
  }
  text += "\n";
  return WriteText(path, text);
}

}  // namespace gym::loadtest
