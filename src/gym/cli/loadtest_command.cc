// `gym loadtest run|sweep`: the seed's load-test client simulator and its orchestrator over
// client counts (stats and ping: loadtest_tools_command.cc).
#include <iostream>
#include <memory>
#include <string>
#include <variant>

#include "CLI/CLI.hpp"
#include "gym/cli/commands.h"
#include "gym/cli/flag_checks.h"
#include "gym/cli/host_port.h"
#include "gym/cli/loadtest_common.h"
#include "gym/loadtest/simulator.h"
#include "gym/loadtest/sweep.h"
#include "gym/loadtest/sweep_outputs.h"

namespace gym {
namespace {

using loadtest::PaceMode;
using loadtest::RpcKind;
using loadtest::RunOptions;

// Bounds of the flags: beyond them a value is a typing mistake, not a load test.
constexpr int64_t kMaxClients = 100'000;
constexpr int64_t kMaxBatchCount = 1'000'000;
constexpr int64_t kMaxBatchSize = 1'000'000;
constexpr double kMaxPauseSeconds = 3600;

// The text of the options that need parsing after CLI11 is done.
struct RunFlags {
  RunOptions options;
  std::string mode = "paced";
  std::string rpc = "batch";
  std::string deadline = "60s";
  std::string duration;
  std::string backoff_initial = "100ms";
  std::string backoff_max = "1s";
  int64_t prebuild_mib = 256;
  std::string logs = "load_test_logs";
  std::string token_file;
  TlsFlags tls;
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
  const struct {
    const char* flag;
    int& value;
    int64_t min;
    int64_t max;
    const char* help;
  } shape[] = {
      {"--client-batches", o.shape.client_batches, 0, kMaxBatchCount, "client batches per client"},
      {"--client-batch-size", o.shape.client_batch_size, 1, kMaxBatchSize, "clients per batch"},
      {"--tx-batches", o.shape.tx_batches_per_client_batch, 0, kMaxBatchCount,
       "transaction batches after each client batch"},
      {"--tx-batch-size", o.shape.tx_batch_size, 1, kMaxBatchSize, "transactions per batch"},
      {"--score-batches", o.shape.score_batches, 0, kMaxBatchCount, "score batches per client"},
      {"--score-batch-size", o.shape.score_batch_size, 1, kMaxBatchSize, "scores per batch"},
  };
  for (const auto& s : shape) {
    sub->add_option(s.flag, s.value, s.help)
        ->capture_default_str()
        ->transform(flag::WholeNumber(s.min, s.max));
  }
  sub->add_option("--scale", o.scale, "multiplies every batch count (not the sizes)")
      ->capture_default_str()
      ->transform(flag::Number(/*allow_zero=*/false, 1e6));
  sub->add_option("--pause-min", o.pause_min_seconds, "paced mode: shortest pause, seconds")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/true, kMaxPauseSeconds));
  sub->add_option("--pause-max", o.pause_max_seconds, "paced mode: longest pause, seconds")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/true, kMaxPauseSeconds));
  sub->add_option("--mode", f.mode, "paced (the seed's pauses) or closed (back to back)")
      ->check(CLI::IsMember({"paced", "closed"}))
      ->capture_default_str();
  sub->add_option("--rps", o.rps, "open loop: batches per second, all clients together")
      ->transform(flag::Number(/*allow_zero=*/true, 1e7));
  sub->add_option("--duration", f.duration, "stop starting batches after this long (e.g. 30s)")
      ->transform(flag::Duration());
  sub->add_option("--rpc", f.rpc, "batch, single (one call per event) or stream")
      ->check(CLI::IsMember({"batch", "single", "stream"}))
      ->capture_default_str();
  sub->add_option("--deadline", f.deadline, "per-call deadline")
      ->capture_default_str()
      ->transform(flag::Duration());
  sub->add_option("--retries", o.backoff.retries,
                  "resends of a batch refused with RESOURCE_EXHAUSTED or UNAVAILABLE (0 = none)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, 1000));
  sub->add_option("--backoff-initial", f.backoff_initial,
                  "cap of the first backoff wait; each retry doubles it, waits are drawn "
                  "uniformly below the cap")
      ->capture_default_str()
      ->transform(flag::Duration());
  sub->add_option("--backoff-max", f.backoff_max, "largest cap of a backoff wait")
      ->capture_default_str()
      ->transform(flag::Duration());
  sub->add_option("--prebuild-mib", f.prebuild_mib,
                  "build batches before the clock starts, up to this many MiB for all clients "
                  "together; later ones are built as their turn comes (0: only each client's "
                  "first)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, 1 << 20));
  sub->add_option("--seed", o.seed, "mock data seed")
      ->capture_default_str()
      ->transform(flag::Seed());
  sub->add_option("--id-base", f.id_base, "first id minus 1 (default: from the clock)")
      ->transform(flag::WholeNumber(0, int64_t{1} << 62));
  sub->add_option("--auth-token-file", f.token_file, "send 'authorization: Bearer <token>'")
      ->check(CLI::ExistingFile);
  AddTlsOptions(sub, f.tls);
}

// Options that CLI11 checked one by one, then checked together: an error is a usage error.
absl::Status Finalize(RunFlags& f) {
  RunOptions& o = f.options;
  o.mode = f.mode == "closed" ? PaceMode::kClosed : PaceMode::kPaced;
  o.rpc = f.rpc == "single"   ? RpcKind::kSingle
          : f.rpc == "stream" ? RpcKind::kStream
                              : RpcKind::kBatch;
  o.deadline = flag::DurationValue(f.deadline);
  if (!f.duration.empty()) o.duration = flag::DurationValue(f.duration);
  o.backoff.initial = flag::DurationValue(f.backoff_initial);
  o.backoff.max = flag::DurationValue(f.backoff_max);
  o.prebuild_bytes = f.prebuild_mib << 20;
  o.logs_dir = f.logs;
  o.auth_token_file = f.token_file;
  o.tls_ca = f.tls.ca;
  o.tls_cert = f.tls.cert;
  o.tls_key = f.tls.key;
  if (f.id_base >= 0) o.id_base = f.id_base;
  return loadtest::ValidateRunOptions(o);
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

// The sweep's table and where its files are; the exit code.
int PrintSweepOutcome(const loadtest::SweepResult& result, const std::string& out) {
  std::cout << loadtest::FormatSweepTable(result.rows);
  if (result.server_peak_rss_kib >= 0) {
    std::cout << "server peak RSS: " << static_cast<double>(result.server_peak_rss_kib) / 1024.0
              << " MiB\n";
  }
  int64_t lost = 0;
  bool known = true;
  bool unanswered = false;
  for (const loadtest::SweepRow& r : result.rows) {
    known = known && r.events_lost >= 0;
    lost += r.events_lost > 0 ? r.events_lost : 0;
    unanswered = unanswered || (r.events_sent > 0 && r.stats.latency.samples == 0);
  }
  std::cout << "lost: " << (known ? std::to_string(lost) : "unknown") << "\n";
  std::cout << "results: " << out << "/results.csv, " << out << "/results.json, " << out
            << "/report.md" << (result.graph.empty() ? "" : ", " + result.graph.string()) << "\n";
  if (result.interrupted_at) {
    std::cerr << "gym loadtest sweep: interrupted during " << *result.interrupted_at
              << " clients; results of the " << result.rows.size() << " finished steps are in "
              << out << "/ (results.csv, results.json, report.md)"
              << "; logs of the interrupted step are in " << result.interrupted_logs.string()
              << "\n";
    return kInterruptedExit;
  }
  return RunExitCode(unanswered, lost);
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
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, kMaxClients));
  AddRunOptions(run, *run_flags, /*with_target_and_logs=*/true);
  registry.Add(run, [run_flags] {
    if (absl::Status s = Finalize(*run_flags); !s.ok()) return LoadtestUsage("run", s);
    run_flags->options.interrupt = CatchInterrupt();
    absl::StatusOr<loadtest::RunResult> result = loadtest::RunLoadTest(run_flags->options);
    if (!result.ok()) return LoadtestFail("run", result.status());
    std::cout << loadtest::FormatRunSummary(*result);
    if (result->interrupted) {
      std::cerr << "gym loadtest run: interrupted; logs of the batches sent are in "
                << run_flags->options.logs_dir.string() << "\n";
      return kInterruptedExit;
    }
    return RunExitCode(result->batches_sent > 0 && result->batches_answered == 0,
                       result->delivery.committed_known ? result->delivery.lost : 0);
  });

  auto sweep_flags = std::make_shared<RunFlags>();
  auto sweep_options = std::make_shared<loadtest::SweepOptions>();
  auto counts = std::make_shared<std::string>("1,2,5,10,15,20");
  auto out = std::make_shared<std::string>("load_test_run_results");
  CLI::App* sweep = loadtest->add_subcommand(
      "sweep", "run the simulator for each client count; table, CSV, JSON, PNG and report.md");
  sweep->add_option("--clients", *counts, "comma-separated client counts")
      ->capture_default_str()
      ->check(flag::WholeNumberList(1, kMaxClients));
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
    if (absl::Status s = Finalize(*sweep_flags); !s.ok()) return LoadtestUsage("sweep", s);
    sweep_options->run = sweep_flags->options;
    sweep_options->run.interrupt = CatchInterrupt();
    // Checked by flag::WholeNumberList.
    const auto parsed = flag::ParseWholeNumberList(*counts, 1, kMaxClients);
    sweep_options->counts.clear();
    for (int64_t n : std::get<std::vector<int64_t>>(parsed)) {
      sweep_options->counts.push_back(static_cast<int>(n));
    }
    sweep_options->out = *out;
    absl::StatusOr<loadtest::SweepResult> result = loadtest::RunSweep(*sweep_options);
    if (!result.ok()) return LoadtestFail("sweep", result.status());
    return PrintSweepOutcome(*result, *out);
  });

  RegisterLoadtestStats(*loadtest, registry);
  RegisterLoadtestPing(*loadtest, registry);
}

}  // namespace gym
