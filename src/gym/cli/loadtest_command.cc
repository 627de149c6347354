// `gym loadtest run|sweep`: the seed's load-test client simulator and its orchestrator over
// client counts (stats and ping: loadtest_tools_command.cc).
#include <iostream>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "CLI/CLI.hpp"
#include "gym/cli/commands.h"
#include "gym/cli/flag_checks.h"
#include "gym/cli/host_port.h"
#include "gym/cli/loadtest_common.h"
#include "gym/cli/loadtest_run_flags.h"
#include "gym/loadtest/simulator.h"
#include "gym/loadtest/spawned_server.h"
#include "gym/loadtest/sweep.h"
#include "gym/loadtest/sweep_outputs.h"
#include "gym/storage/pg_commit_backend.h"

namespace gym {
namespace {

using loadtest::RunOptions;

struct RunSpawnFlags {
  bool spawn = false;
  std::vector<std::string> server_args;
};

void StopServer(loadtest::ServerProcess& server) {
  absl::StatusOr<int> code = server.Stop();
  if (!code.ok()) {
    std::cerr << "gym loadtest run: warning: " << code.status().message() << "\n";
  } else if (*code != 0) {
    std::cerr << "gym loadtest run: warning: gym serve exited with code " << *code << "\n";
  }
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
  std::cout << "event ids: " << loadtest::EventIdModeName(result.event_ids) << "\n";
  if (result.prefill) std::cout << "prefill: " << loadtest::FormatPrefill(*result.prefill) << "\n";
  std::cout << loadtest::FormatTableSizes(result.transactions_at_start, result.transactions_at_end)
            << "\n";
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
      ->transform(flag::WholeNumber(1, kMaxLoadtestClients));
  auto run_spawn = std::make_shared<RunSpawnFlags>();
  run->add_flag("--spawn-server", run_spawn->spawn,
                "start `gym serve` on a free loopback port with a fresh LOGS/run.db (instead of "
                "--target); table sizes are then read from that database");
  run->add_option("--server-arg", run_spawn->server_args,
                  "extra argument for the spawned `gym serve`, one per use")
      ->allow_extra_args(false);
  AddRunOptions(run, *run_flags, /*with_target_and_logs=*/true);
  registry.Add(run, [run_flags, run_spawn] {
    if (absl::Status s = FinalizeRunFlags(*run_flags); !s.ok()) return LoadtestUsage("run", s);
    RunOptions& options = run_flags->options;
    options.interrupt = CatchInterrupt();
    std::unique_ptr<loadtest::ServerProcess> server;
    if (run_spawn->spawn) {
      absl::StatusOr<loadtest::SpawnedServer> spawned = loadtest::SpawnLoadtestServer(
          "/proc/self/exe", options.logs_dir, "run.db", run_spawn->server_args);
      if (!spawned.ok()) return LoadtestFail("run", spawned.status());
      server = std::move(spawned->process);
      options.target = server->target();
      options.db_path = spawned->db;
    }
    absl::StatusOr<loadtest::RunResult> result = loadtest::RunLoadTest(options);
    if (server) StopServer(*server);
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
      ->check(flag::WholeNumberList(1, kMaxLoadtestClients));
  sweep->add_option("--out", *out, "results directory")->capture_default_str();
  sweep->add_option("--target", sweep_flags->options.target, "server address host:port")
      ->capture_default_str()
      ->transform(TargetAddress());
  sweep->add_flag("--spawn-server", sweep_options->spawn_server,
                  "start `gym serve` on a free loopback port with a fresh OUT/sweep.db");
  sweep->add_option("--replicas", sweep_options->replicas,
                    "with --spawn-server: how many `gym serve` replicas to start on --db; the "
                    "clients go round them")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  sweep->add_option("--db", sweep_options->db,
                    "with --spawn-server: the database the spawned server(s) write (default: a "
                    "fresh OUT/sweep.db); several replicas need a PostgreSQL connection string");
  sweep
      ->add_option("--server-arg", sweep_options->server_args,
                   "extra argument for the spawned `gym serve`, one per use: "
                   "--server-arg=--max-inflight --server-arg=100000")
      ->allow_extra_args(false);
  AddRunOptions(sweep, *sweep_flags, /*with_target_and_logs=*/false);
  registry.Add(sweep, [sweep_flags, sweep_options, counts, out] {
    if (absl::Status s = FinalizeRunFlags(*sweep_flags); !s.ok()) return LoadtestUsage("sweep", s);
    sweep_options->run = sweep_flags->options;
    sweep_options->run.interrupt = CatchInterrupt();
    // Checked by flag::WholeNumberList.
    const auto parsed = flag::ParseWholeNumberList(*counts, 1, kMaxLoadtestClients);
    sweep_options->counts.clear();
    for (int64_t n : std::get<std::vector<int64_t>>(parsed)) {
      sweep_options->counts.push_back(static_cast<int>(n));
    }
    sweep_options->out = *out;
    if ((sweep_options->replicas > 1 || !sweep_options->db.empty()) &&
        !sweep_options->spawn_server) {
      return LoadtestUsage("sweep", absl::InvalidArgumentError(
                                        "--replicas and --db go with --spawn-server"));
    }
    if (sweep_options->replicas > 1 && !IsPostgresTarget(sweep_options->db)) {
      return LoadtestUsage(
          "sweep", absl::InvalidArgumentError(
                       "--replicas: several replicas share one database: give --db "
                       "postgresql://... (see scripts/pg-up.sh)"));
    }
    absl::StatusOr<loadtest::SweepResult> result = loadtest::RunSweep(*sweep_options);
    if (!result.ok()) return LoadtestFail("sweep", result.status());
    return PrintSweepOutcome(*result, *out);
  });

  RegisterLoadtestStats(*loadtest, registry);
  RegisterLoadtestPing(*loadtest, registry);
}

}  // namespace gym
