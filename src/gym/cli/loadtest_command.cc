// `gym loadtest run|sweep|stats|ping`: the seed's load-test client simulator, its orchestrator
// over client counts, its log processor, and the transport's own round trip.
#include <iostream>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"
#include "gym/cli/commands.h"
#include "gym/cli/host_port.h"
#include "gym/loadtest/log_stats.h"
#include "gym/loadtest/ping.h"
#include "gym/loadtest/simulator.h"
#include "gym/loadtest/sweep.h"
#include "gym/loadtest/sweep_outputs.h"

namespace gym {
namespace {

using loadtest::PaceMode;
using loadtest::RpcKind;
using loadtest::RunOptions;

// The text of the options that need parsing after CLI11 is done.
struct RunFlags {
  RunOptions options;
  std::string mode = "paced";
  std::string rpc = "batch";
  std::string deadline = "60s";
  std::string duration;
  std::string logs = "load_test_logs";
  std::string token_file;
  std::string tls_ca;
  int64_t id_base = -1;
};

void AddRunOptions(CLI::App* sub, RunFlags& f, bool with_target_and_logs) {
  RunOptions& o = f.options;
  if (with_target_and_logs) {
    sub->add_option("--target", o.target, "server address host:port")
        ->capture_default_str()
        ->check(TargetAddress());
    sub->add_option("--logs", f.logs, "directory for client_output_<i>_of_<N>.log")
        ->capture_default_str();
  }
  sub->add_option("--client-batches", o.shape.client_batches, "client batches per client")
      ->capture_default_str();
  sub->add_option("--client-batch-size", o.shape.client_batch_size, "clients per batch")
      ->capture_default_str();
  sub->add_option("--tx-batches", o.shape.tx_batches_per_client_batch,
                  "transaction batches after each client batch")
      ->capture_default_str();
  sub->add_option("--tx-batch-size", o.shape.tx_batch_size, "transactions per batch")
      ->capture_default_str();
  sub->add_option("--score-batches", o.shape.score_batches, "score batches per client")
      ->capture_default_str();
  sub->add_option("--score-batch-size", o.shape.score_batch_size, "scores per batch")
      ->capture_default_str();
  sub->add_option("--scale", o.scale, "multiplies every batch count (not the sizes)")
      ->capture_default_str();
  sub->add_option("--pause-min", o.pause_min_seconds, "paced mode: shortest pause, seconds")
      ->capture_default_str();
  sub->add_option("--pause-max", o.pause_max_seconds, "paced mode: longest pause, seconds")
      ->capture_default_str();
  sub->add_option("--mode", f.mode, "paced (the seed's pauses) or closed (back to back)")
      ->check(CLI::IsMember({"paced", "closed"}))
      ->capture_default_str();
  sub->add_option("--rps", o.rps, "open loop: batches per second, all clients together")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--duration", f.duration, "stop starting batches after this long (e.g. 30s)");
  sub->add_option("--rpc", f.rpc, "batch, single (one call per event) or stream")
      ->check(CLI::IsMember({"batch", "single", "stream"}))
      ->capture_default_str();
  sub->add_option("--deadline", f.deadline, "per-call deadline")->capture_default_str();
  sub->add_option("--seed", o.seed, "mock data seed")->capture_default_str();
  sub->add_option("--id-base", f.id_base, "first id minus 1 (default: from the clock)");
  sub->add_option("--auth-token-file", f.token_file, "send 'authorization: Bearer <token>'");
  sub->add_option("--tls-ca", f.tls_ca, "PEM root certificates: use TLS");
}

absl::Status Finalize(RunFlags& f) {
  RunOptions& o = f.options;
  o.mode = f.mode == "closed" ? PaceMode::kClosed : PaceMode::kPaced;
  o.rpc = f.rpc == "single"   ? RpcKind::kSingle
          : f.rpc == "stream" ? RpcKind::kStream
                              : RpcKind::kBatch;
  absl::Duration d;
  if (!absl::ParseDuration(f.deadline, &d) || d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--deadline '" + f.deadline + "': want e.g. 60s, 500ms");
  }
  o.deadline = absl::ToChronoNanoseconds(d);
  if (!f.duration.empty()) {
    if (!absl::ParseDuration(f.duration, &d) || d <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError("--duration '" + f.duration + "': want e.g. 30s, 2m");
    }
    o.duration = absl::ToChronoNanoseconds(d);
  }
  o.logs_dir = f.logs;
  o.auth_token_file = f.token_file;
  o.tls_ca = f.tls_ca;
  if (f.id_base >= 0) o.id_base = f.id_base;
  return loadtest::ValidateRunOptions(o);
}

int Fail(const std::string& cmd, const absl::Status& status) {
  std::cerr << "gym loadtest " << cmd << ": " << status.message() << "\n";
  return 1;
}

// RPC errors alone never fail a load test (an overloaded server is expected to refuse some
// calls); a run that got no answer at all, or an acknowledged event that is not in the
// database, does: scripts and CI can rely on the exit status.
int RunExitCode(bool nothing_answered, int64_t lost) {
  if (nothing_answered) {
    std::cerr << "gym loadtest: no batch was answered successfully: every call failed (counts by "
                 "status code above; UNAVAILABLE: nothing answered at --target)\n";
    return 1;
  }
  if (lost > 0) {
    std::cerr << "gym loadtest: " << lost << " acknowledged events are not in the database\n";
    return 1;
  }
  return 0;
}

}  // namespace

void RegisterLoadtestCommand(CLI::App& app, CommandRegistry& registry) {
  CLI::App* loadtest = app.add_subcommand(
      "loadtest", "load-test a gym server: simulate clients, sweep client counts, read logs");
  loadtest->require_subcommand(1);

  auto run_flags = std::make_shared<RunFlags>();
  CLI::App* run = loadtest->add_subcommand(
      "run", "simulate N concurrent clients (each its own connection) against a server");
  run->add_option("--clients", run_flags->options.clients, "simulated clients")
      ->capture_default_str();
  AddRunOptions(run, *run_flags, /*with_target_and_logs=*/true);
  registry.Add(run, [run_flags] {
    if (absl::Status s = Finalize(*run_flags); !s.ok()) return Fail("run", s);
    absl::StatusOr<loadtest::RunResult> result = loadtest::RunLoadTest(run_flags->options);
    if (!result.ok()) return Fail("run", result.status());
    std::cout << loadtest::FormatRunSummary(*result);
    return RunExitCode(result->batches_sent > 0 && result->batches_answered == 0,
                       result->delivery.committed_known ? result->delivery.lost : 0);
  });

  auto sweep_flags = std::make_shared<RunFlags>();
  auto sweep_options = std::make_shared<loadtest::SweepOptions>();
  auto counts = std::make_shared<std::string>("1,2,5,10,15,20");
  auto out = std::make_shared<std::string>("load_test_run_results");
  CLI::App* sweep = loadtest->add_subcommand(
      "sweep", "run the simulator for each client count; table, CSV, JSON, PNG and report.md");
  sweep->add_option("--clients", *counts, "comma-separated client counts")->capture_default_str();
  sweep->add_option("--out", *out, "results directory")->capture_default_str();
  sweep->add_option("--target", sweep_flags->options.target, "server address host:port")
      ->capture_default_str()
      ->check(TargetAddress());
  sweep->add_flag("--spawn-server", sweep_options->spawn_server,
                  "start `gym serve` on a free loopback port with a fresh OUT/sweep.db");
  sweep
      ->add_option("--server-arg", sweep_options->server_args,
                   "extra argument for the spawned `gym serve`, one per use: "
                   "--server-arg=--max-inflight --server-arg=100000")
      ->allow_extra_args(false);
  AddRunOptions(sweep, *sweep_flags, /*with_target_and_logs=*/false);
  registry.Add(sweep, [sweep_flags, sweep_options, counts, out] {
    if (absl::Status s = Finalize(*sweep_flags); !s.ok()) return Fail("sweep", s);
    absl::StatusOr<std::vector<int>> parsed = loadtest::ParseClientCounts(*counts);
    if (!parsed.ok()) return Fail("sweep", parsed.status());
    sweep_options->run = sweep_flags->options;
    sweep_options->counts = *parsed;
    sweep_options->out = *out;
    absl::StatusOr<loadtest::SweepResult> result = loadtest::RunSweep(*sweep_options);
    if (!result.ok()) return Fail("sweep", result.status());
    std::cout << loadtest::FormatSweepTable(result->rows);
    if (result->server_peak_rss_kib >= 0) {
      std::cout << "server peak RSS: " << static_cast<double>(result->server_peak_rss_kib) / 1024.0
                << " MiB\n";
    }
    int64_t lost = 0;
    bool known = true;
    for (const loadtest::SweepRow& r : result->rows) {
      known = known && r.events_lost >= 0;
      lost += r.events_lost > 0 ? r.events_lost : 0;
    }
    std::cout << "lost: " << (known ? std::to_string(lost) : "unknown") << "\n";
    std::cout << "results: " << *out << "/results.csv, " << *out << "/results.json, " << *out
              << "/report.md" << (result->graph.empty() ? "" : ", " + result->graph.string())
              << "\n";
    bool unanswered = false;
    for (const loadtest::SweepRow& r : result->rows) {
      unanswered = unanswered || (r.events_sent > 0 && r.stats.latency.samples == 0);
    }
    return RunExitCode(unanswered, lost);
  });

  auto dir = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  CLI::App* stats = loadtest->add_subcommand(
      "stats",
      "round-trip statistics of every *.log under DIR (the seed's log processor); percentiles\n"
      "interpolate linearly between closest ranks (numpy's default), std dev divides by n - 1");
  stats->add_option("dir", *dir, "directory of client logs")->required();
  stats->add_option("--format", *format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  registry.Add(stats, [dir, format] {
    absl::StatusOr<loadtest::LogStats> result = loadtest::ComputeLogStats(*dir);
    if (!result.ok()) return Fail("stats", result.status());
    // Zeros would read like a measurement: nothing to summarize is an error.
    if (result->files == 0) {
      return Fail("stats", absl::NotFoundError(*dir + ": no *.log files (searched recursively)"));
    }
    if (result->latency.samples == 0 && result->errors == 0) {
      return Fail("stats", absl::InvalidArgumentError(
                               *dir + ": no line with Round-trip=<seconds>s in " +
                               std::to_string(result->files) + " .log files (" +
                               std::to_string(result->unparsed) + " lines not understood)"));
    }
    if (*format == "json") {
      std::cout << loadtest::LogStatsToJson(*result).dump(2) << "\n";
    } else {
      std::cout << loadtest::FormatLogStatsTable(*result);
    }
    return 0;
  });

  auto ping_options = std::make_shared<loadtest::PingOptions>();
  auto ping_deadline = std::make_shared<std::string>("5s");
  auto ping_token = std::make_shared<std::string>();
  auto ping_ca = std::make_shared<std::string>();
  CLI::App* ping = loadtest->add_subcommand(
      "ping",
      "gRPC health checks with the seed's pauses: the round trip of gRPC and the machine alone,\n"
      "to set beside a batch's (which adds parsing, validation, scoring and the commit)");
  ping->add_option("--target", ping_options->target, "server address host:port")
      ->capture_default_str()
      ->check(TargetAddress());
  ping->add_option("--clients", ping_options->clients, "simulated clients, each its own connection")
      ->capture_default_str();
  ping->add_option("--count", ping_options->count, "health checks per client")
      ->capture_default_str();
  ping->add_option("--pause-min", ping_options->pause_min_seconds, "shortest pause, seconds")
      ->capture_default_str();
  ping->add_option("--pause-max", ping_options->pause_max_seconds,
                   "longest pause, seconds (--pause-min 0 --pause-max 0: back to back)")
      ->capture_default_str();
  ping->add_option("--service", ping_options->service,
                   "health of this service (default: the server as a whole)");
  ping->add_option("--deadline", *ping_deadline, "per-call deadline")->capture_default_str();
  ping->add_option("--seed", ping_options->seed, "seed of the pauses")->capture_default_str();
  ping->add_option("--auth-token-file", *ping_token, "send 'authorization: Bearer <token>'");
  ping->add_option("--tls-ca", *ping_ca, "PEM root certificates: use TLS");
  registry.Add(ping, [ping_options, ping_deadline, ping_token, ping_ca] {
    absl::Duration d;
    if (!absl::ParseDuration(*ping_deadline, &d) || d <= absl::ZeroDuration()) {
      return Fail("ping", absl::InvalidArgumentError("--deadline '" + *ping_deadline +
                                                     "': want e.g. 5s, 500ms"));
    }
    ping_options->deadline = absl::ToChronoNanoseconds(d);
    ping_options->auth_token_file = *ping_token;
    ping_options->tls_ca = *ping_ca;
    absl::StatusOr<loadtest::PingResult> result = loadtest::RunPing(*ping_options);
    if (!result.ok()) return Fail("ping", result.status());
    std::cout << loadtest::FormatPingSummary(*result);
    // Failed checks are counted and reported; exit 1 only when none was answered at all
    // (nothing listening there, or every call refused).
    return result->serving + result->not_serving > 0 ? 0 : 1;
  });
}

}  // namespace gym
