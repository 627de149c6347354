// `gym run`: the seed's file pipeline as a product (see run_job.h for the DAG).
//
//   gym run --once --data DIR     process the files in DIR once, print metrics and a summary
//   gym run --once --data DIR --timer   ... plus the generated rows of --timer-runs timer runs
//   gym run --watch DIR           continuous: watch DIR for dropped files, fire the timer,
//                                 stop on idle timeout or SIGINT/SIGTERM
//   gym run --print-dag           the DAG as text and as Graphviz DOT
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gym/cli/commands.h"
#include "gym/cli/flag_checks.h"
#include "gym/cli/run_job.h"
#include "gym/cli/run_messages.h"
#include "gym/handlers/metric_handler.h"
#include "gym/pipeline/directory_watcher.h"
#include "gym/pipeline/timer_trigger.h"
#include "gym/server/server.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace {
namespace fs = std::filesystem;

struct RunFlags {
  bool once = false;
  std::string data_dir;
  std::string watch_dir;
  bool print_dag = false;
  std::string model = "risk_model.json";
  RunJobOptions job;
  bool timer = false;  // --once adds timer runs only when asked
  double timer_interval_s = 3.0;
  int timer_runs = 5;  // TimerTrigger::kUnlimited for "unlimited"
  size_t timer_rows = 100;
  double idle_timeout_s = 30.0;
  uint64_t seed = 7;
  // Set when given on the command line (to refuse them where they would be ignored).
  CLI::Option* data_option = nullptr;
  CLI::Option* timer_runs_option = nullptr;
  CLI::Option* timer_rows_option = nullptr;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gym run: %s (see --help)\n", message.c_str());
  return 2;
}

void SubmitTimerRun(const RunFlags& flags, int run, Pipeline& pipeline, MessageLog& log) {
  log.Track(pipeline.Submit("timer_tx", TimerTransactions(run, flags.timer_rows, flags.seed)),
            "timer run " + std::to_string(run));
}

void PrintResults(RunJob& job) {
  for (MetricHandler* metric : job.metrics) {
    std::printf("%s\n", FormatMetricTable(metric->title(), metric->result(), 20).c_str());
  }
  std::printf("Per-node summary\n%s\n", FormatNodeSummary(job.pipeline->Stats()).c_str());
  std::printf("Stored in the output database\n");
  for (const char* table : {"clients", "scores", "transactions", kRejectedTable.data()}) {
    absl::StatusOr<int64_t> rows = job.writer->CountRows(table);
    if (rows.ok()) std::printf("%s: %lld rows\n", table, static_cast<long long>(*rows));
  }
}

void RunOnce(const RunFlags& flags, const std::vector<std::string>& files, RunJob& job,
             MessageLog& log) {
  for (const std::string& f : files) SubmitFile(job, f, flags.job.out_db, log);
  if (flags.timer) {
    for (int run = 1; run <= flags.timer_runs; ++run)
      SubmitTimerRun(flags, run, *job.pipeline, log);
  }
  job.pipeline->WaitIdle();
}

void RunWatch(const RunFlags& flags, RunJob& job, MessageLog& log) {
  Pipeline& pipeline = *job.pipeline;
  DirectoryWatcher watcher(
      {.dir = flags.watch_dir, .suffixes = {".txt", ".csv", ".db"}},
      [&](const std::string& path) { SubmitFile(job, path, flags.job.out_db, log); });
  std::optional<TimerTrigger> timer;
  if (flags.timer_runs != 0) {
    timer.emplace(std::chrono::milliseconds(static_cast<int64_t>(flags.timer_interval_s * 1000)),
                  flags.timer_runs, [&](int run) { SubmitTimerRun(flags, run, pipeline, log); });
  }
  // SIGINT/SIGTERM are blocked in every thread (see RegisterRunCommand); this one waits for them.
  std::atomic<bool> finished{false};
  std::thread signals([&] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    const timespec tick{0, 100'000'000};
    while (!finished.load()) {
      int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        spdlog::info("{}: draining and stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
        pipeline.Stop();
        return;
      }
    }
  });
  const std::string runs = flags.timer_runs == TimerTrigger::kUnlimited
                               ? "unlimited runs (the idle timeout cannot end the run; stop it "
                                 "with SIGINT or SIGTERM)"
                               : std::to_string(flags.timer_runs) + " runs";
  spdlog::info("watching {} (.txt .csv .db); timer every {} s, {}; idle timeout {} s",
               flags.watch_dir, flags.timer_interval_s, runs, flags.idle_timeout_s);
  watcher.Start();
  if (timer) timer->Start();
  pipeline.RunContinuous(
      std::chrono::milliseconds(static_cast<int64_t>(flags.idle_timeout_s * 1000)));
  watcher.Stop();
  if (timer) timer->Stop();
  finished = true;
  signals.join();
}

// 0 when the flags make sense together, else the usage error's exit code (after saying why).
int CheckModeFlags(const RunFlags& flags) {
  if (flags.once == !flags.watch_dir.empty() || (flags.once && flags.data_dir.empty())) {
    return UsageError("give either --once --data DIR or --watch DIR");
  }
  if (!flags.once && flags.data_option->count() > 0) {
    return UsageError("--data is the input of --once; --watch DIR names its own folder");
  }
  // Asking for timer rows without --timer would silently get none: say so instead.
  const bool asks_for_timer = (flags.timer_runs_option->count() > 0 && flags.timer_runs != 0) ||
                              flags.timer_rows_option->count() > 0;
  if (flags.once && !flags.timer && asks_for_timer) {
    return UsageError(
        "--timer-runs and --timer-rows need --timer under --once (an --once run adds no "
        "generated transactions unless asked)");
  }
  if (flags.once && flags.timer && flags.timer_runs == TimerTrigger::kUnlimited) {
    return UsageError("--timer-runs unlimited needs --watch: an --once run must end");
  }
  return 0;
}

int PrintDag(const RunFlags& flags) {
  RunJobOptions job_options = flags.job;
  job_options.out_db = ":memory:";
  absl::StatusOr<RunJob> job = BuildRunJob(job_options, /*model=*/nullptr);
  if (!job.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(job.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n%s", job->pipeline->DescribeText().c_str(),
              job->pipeline->DescribeDot().c_str());
  return 0;
}

int RunMain(RunFlags& flags) {
  if (flags.print_dag) return PrintDag(flags);
  if (int usage = CheckModeFlags(flags); usage != 0) return usage;
  const std::string data_dir = flags.once ? flags.data_dir : flags.watch_dir;
  absl::StatusOr<std::vector<std::string>> inputs =
      flags.once ? ListInputs(data_dir) : std::vector<std::string>{};
  if (!inputs.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(inputs.status().message()).c_str());
    return 1;
  }
  auto model =
      LoadOrTrainModel(flags.model, (fs::path(data_dir) / "labeled_transactions.csv").string());
  if (!model.ok()) {
    std::fprintf(stderr, "gym run: model: %s\n", std::string(model.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<RunJob> job = BuildRunJob(flags.job, *model);
  if (!job.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(job.status().message()).c_str());
    return 1;
  }
  MessageLog log;
  const auto start = std::chrono::steady_clock::now();
  if (flags.once) {
    RunOnce(flags, *inputs, *job, log);
  } else {
    RunWatch(flags, *job, log);
  }
  log.WaitAll();
  job->writer->Flush();  // the rejection records, queued beside the messages
  if (job->rejections->failures() > 0) {
    log.Fail(absl::InternalError(job->rejections->first_failure()),
             std::to_string(job->rejections->failures()) + " rejection record(s) not stored");
  }
  PrintResults(*job);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (log.failures() > 0) {
    std::fprintf(stderr,
                 "gym run: FAILED after %.2f s: %d failure(s); first: %s\n"
                 "gym run: no risk CSV was put in %s/ for a failed input; %s holds only what "
                 "committed (run the same files again once fixed: nothing is stored twice)\n",
                 seconds, log.failures(), log.first_failure().c_str(),
                 flags.job.out_csv_dir.c_str(), flags.job.out_db.c_str());
    return 1;
  }
  std::printf("done in %.2f s; output: %s and %s/\n", seconds, flags.job.out_db.c_str(),
              flags.job.out_csv_dir.c_str());
  return 0;
}

}  // namespace

void RegisterRunCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* sub = app.add_subcommand(
      "run", "Run the file pipeline: producers, normalizer, category, risk, metrics, sinks");
  sub->add_flag("--once", flags->once, "process the files in --data once and exit");
  flags->data_option =
      sub->add_option("--data", flags->data_dir, "input folder for --once (from `gym gen all`)")
          ->check(CLI::ExistingDirectory);
  sub->add_option("--watch", flags->watch_dir,
                  "watch this folder for dropped .txt/.csv/.db files until idle or a signal")
      ->check(CLI::ExistingDirectory);
  sub->add_flag("--print-dag", flags->print_dag,
                "print the DAG as text and Graphviz DOT, then exit");
  sub->add_option("--model", flags->model,
                  "risk model JSON; trained from DIR/labeled_transactions.csv when missing")
      ->capture_default_str();
  sub->add_option("--out-db", flags->job.out_db, "output SQLite database")->capture_default_str();
  sub->add_option("--out-csv", flags->job.out_csv_dir, "folder for the timestamped CSV results")
      ->capture_default_str();
  sub->add_option("--chunks", flags->job.chunks, "slices per message in chunked nodes")
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, 64));
  sub->add_flag("--timer", flags->timer,
                "--once: also process --timer-runs runs of generated transactions (--watch has "
                "the timer unless --timer-runs 0)");
  sub->add_option("--timer-interval", flags->timer_interval_s,
                  "seconds between timer runs (--watch)")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/false));
  flags->timer_runs_option =
      sub->add_option("--timer-runs", flags->timer_runs,
                      "timer runs: 0 = none; 'unlimited' = until SIGINT/SIGTERM (--watch only; "
                      "the idle timeout then never ends the run)")
          ->capture_default_str()
          ->transform(flag::CountOrWord(1'000'000, "unlimited", TimerTrigger::kUnlimited));
  flags->timer_rows_option =
      sub->add_option("--timer-rows", flags->timer_rows, "transactions generated per timer run")
          ->capture_default_str()
          ->transform(flag::WholeNumber(1, 10'000'000));
  sub->add_option("--idle-timeout", flags->idle_timeout_s,
                  "--watch ends after this many seconds with nothing to do")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/false));
  sub->add_option("--seed", flags->seed, "seed of the timer's generated transactions")
      ->capture_default_str()
      ->transform(flag::Seed());
  registry.Add(sub, [flags] {
    // Before any thread exists, so every thread inherits the mask and only the watch loop's
    // sigtimedwait sees SIGINT/SIGTERM.
    if (!flags->watch_dir.empty()) BlockShutdownSignals();
    return RunMain(*flags);
  });
}

}  // namespace gym
