// The sweep over client counts (see sweep.h).
#include "gym/loadtest/sweep.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "fmt/format.h"
#include "gym/loadtest/plot.h"
#include "gym/loadtest/server_process.h"
#include "gym/loadtest/spawned_server.h"
#include "gym/loadtest/sweep_outputs.h"

namespace gym::loadtest {
namespace fs = std::filesystem;
namespace {

std::string DescribeMode(const RunOptions& o) {
  if (o.rps > 0) return fmt::format("open loop at {} batches/s", o.rps);
  if (o.mode == PaceMode::kClosed) return "closed loop (no pauses)";
  return fmt::format("paced, pause {}-{} s, --start {}", o.pause_min_seconds,
                     o.pause_max_seconds, o.spread_start ? "spread" : "together");
}

const char* RpcName(RpcKind rpc) {
  return rpc == RpcKind::kBatch ? "batch" : rpc == RpcKind::kSingle ? "single" : "stream";
}

std::string DescribeWorkload(const RunOptions& o) {
  const WorkloadShape s = o.shape.Scaled(o.scale);
  return fmt::format(
      "per client {} client batches of {}, {} transaction batches of {} after each, {} score "
      "batches of {} (scale {}); {}; --rpc {}; --event-ids {}",
      s.client_batches, s.client_batch_size, s.tx_batches_per_client_batch, s.tx_batch_size,
      s.score_batches, s.score_batch_size, o.scale, DescribeMode(o), RpcName(o.rpc),
      EventIdModeName(o.event_ids));
}

std::string BriefWorkload(const RunOptions& o) {
  const WorkloadShape s = o.shape.Scaled(o.scale);
  return fmt::format("scale {} ({} batches per client), {}, --rpc {}", o.scale,
                     s.BatchesPerSimulatedClient(), DescribeMode(o), RpcName(o.rpc));
}

// Moves OUT/load_test_logs to OUT/logs_<N>_clients, replacing an older one.
absl::Status MoveLogs(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::remove_all(to, ec);
  fs::rename(from, to, ec);
  if (ec) {
    return absl::InternalError(
        fmt::format("moving {} to {}: {}", from.string(), to.string(), ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SweepResult> RunSweep(const SweepOptions& options) {
  if (options.counts.empty()) return absl::InvalidArgumentError("--clients: no client count");
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec)
    return absl::InternalError(fmt::format("--out {}: {}", options.out.string(), ec.message()));

  SweepResult result;
  result.workload = DescribeWorkload(options.run);
  result.workload_brief = BriefWorkload(options.run);
  result.seed_workload = IsSeedWorkload(options.run);
  std::vector<std::unique_ptr<ServerProcess>> servers;
  RunOptions run = options.run;
  if (options.spawn_server && options.db.empty() && options.replicas == 1) {
    absl::StatusOr<SpawnedServer> spawned =
        SpawnLoadtestServer(options.server_binary, options.out, "sweep.db", options.server_args);
    if (!spawned.ok()) return spawned.status();
    servers.push_back(std::move(spawned->process));
    run.target = servers.front()->target();
    // The sweep's own server: table sizes are read from its database, not asked of it.
    run.db_path = spawned->db;
  } else if (options.spawn_server) {
    // Replicas on a shared database: its table sizes come from GetStats, which any replica
    // answers from that database.
    absl::StatusOr<SpawnedReplicas> spawned = SpawnLoadtestReplicas(
        options.server_binary, options.out, options.db, options.replicas, options.server_args);
    if (!spawned.ok()) return spawned.status();
    servers = std::move(spawned->processes);
    run.target = spawned->target;
  }
  // The largest peak resident set of the spawned servers (VmHWM), -1 without them.
  auto peak_rss_kib = [&servers] {
    int64_t peak = -1;
    for (const auto& s : servers) peak = std::max(peak, s->PeakRssKib());
    return peak;
  };
  result.target = run.target;
  result.event_ids = run.event_ids;
  const auto sweep_start = std::chrono::steady_clock::now();
  const int64_t sweep_stamp = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  // Each count starts its ids where the previous one ended, so the database never sees an id
  // twice across the sweep.
  int64_t id_base = run.id_base.value_or(sweep_stamp * 1000);
  for (size_t k = 0; k < options.counts.size(); ++k) {
    const int n = options.counts[k];
    if (run.interrupt != nullptr && run.interrupt->load()) {
      result.interrupted_at = n;
      break;
    }
    run.clients = n;
    run.logs_dir = options.out / "load_test_logs";
    run.id_base = id_base;
    run.run_id = fmt::format("s{}-k{}-n{}", sweep_stamp, k, n);
    run.progress = true;
    std::fprintf(stderr, "sweep [%zu/%zu] %d clients ...\n", k + 1, options.counts.size(), n);
    absl::StatusOr<RunResult> ran = RunLoadTest(run);
    if (!ran.ok()) return ran.status();
    if (k == 0) result.transactions_at_start = ran->transactions_at_start;
    result.transactions_at_end = ran->transactions_at_end;
    // The first step has filled the table; later ones only add to it.
    if (ran->prefill) result.prefill = ran->prefill;
    run.prefill_rows = 0;
    id_base = ran->ids.End(n);
    const fs::path logs =
        options.out / fmt::format("logs_{}_clients{}", n, ran->interrupted ? "_interrupted" : "");
    if (absl::Status s = MoveLogs(run.logs_dir, logs); !s.ok()) return s;
    if (ran->interrupted) {
      // A step cut short is not a measurement of N clients: its logs are kept, not its row.
      result.interrupted_at = n;
      result.interrupted_logs = logs;
      std::fprintf(stderr, "sweep [%zu/%zu] %d clients interrupted\n", k + 1, options.counts.size(),
                   n);
      break;
    }
    absl::StatusOr<LogStats> stats = ComputeLogStats(logs);
    if (!stats.ok()) return stats.status();

    SweepRow row;
    row.clients = n;
    row.stats = *stats;
    row.wall_seconds = ran->wall_seconds;
    row.batches_per_second = ran->BatchesPerSecond();
    row.events_per_second = ran->EventsPerSecond();
    row.events_sent = ran->delivery.sent;
    row.events_acked = ran->delivery.acked;
    row.events_committed = ran->delivery.committed_known ? ran->delivery.committed : -1;
    row.events_lost = ran->delivery.committed_known ? ran->delivery.lost : -1;
    row.rpc_errors = ran->rpc_errors;
    row.retries = ran->retries;
    row.transactions_at_start = ran->transactions_at_start;
    row.transactions_at_end = ran->transactions_at_end;
    row.server_peak_rss_kib = peak_rss_kib();
    result.rows.push_back(row);
    std::fprintf(
        stderr,
        "sweep [%zu/%zu] %d clients done in %.1f s (elapsed %.1f s): mean %.3f ms, "
        "p99 %.3f ms, %.0f events/s, lost %s\n",
        k + 1, options.counts.size(), n, ran->wall_seconds,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - sweep_start).count(),
        row.stats.latency.mean * 1e3, row.stats.latency.p99 * 1e3, row.events_per_second,
        row.events_lost < 0 ? "unknown" : std::to_string(row.events_lost).c_str());
  }
  result.server_peak_rss_kib = peak_rss_kib();
  for (const auto& server : servers) {
    absl::StatusOr<int> code = server->Stop();
    if (!code.ok()) {
      std::fprintf(stderr, "sweep: warning: %s\n", std::string(code.status().message()).c_str());
    } else if (*code != 0) {
      std::fprintf(stderr, "sweep: warning: gym serve exited with code %d\n", *code);
    }
  }
  const fs::path png = options.out / "load_test_performance_graph.png";
  // An older graph must not pass for this sweep's.
  fs::remove(png, ec);
  if (absl::Status s = DrawSweepGraph(png, result); s.ok()) {
    result.graph = png;
  } else {
    result.graph_error = std::string(s.message());
    std::fprintf(stderr, "sweep: warning: no graph: %s\n", result.graph_error.c_str());
  }
  for (absl::Status s : {WriteResultsCsv(options.out / "results.csv", result.rows),
                         WriteResultsJson(options.out / "results.json", result),
                         WriteReport(options.out / "report.md", result)}) {
    if (!s.ok()) return s;
  }
  return result;
}

}  // namespace gym::loadtest
