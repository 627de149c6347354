// `gym run`: the seed's file pipeline as a product (see run_job.h for the DAG).
//
//   gym run --once --data DIR     process the files in DIR once, print metrics and a summary
//   gym run --watch DIR           continuous: watch DIR for dropped files, fire the timer,
//                                 stop on idle timeout or SIGINT/SIGTERM
//   gym run --print-dag           the DAG as text and as Graphviz DOT
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gym/cli/commands.h"
#include "gym/cli/run_job.h"
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
  double timer_interval_s = 3.0;
  int timer_runs = 5;
  size_t timer_rows = 100;
  double idle_timeout_s = 30.0;
  uint64_t seed = 7;
};

// Counts failed messages and keeps the first reason, from any thread.
class FailureLog {
 public:
  void Track(const absl::StatusOr<CompletionToken>& token, const std::string& what) {
    if (!token.ok()) {
      Record(token.status(), what);
      return;
    }
    token->OnDone([this, what](const absl::Status& s) {
      if (!s.ok()) Record(s, what);
    });
  }
  int count() const { return failures_.load(); }
  std::string first() const {
    std::lock_guard<std::mutex> lock(mu_);
    return first_;
  }

 private:
  void Record(const absl::Status& s, const std::string& what) {
    spdlog::error("{}: {}", what, std::string(s.message()));
    std::lock_guard<std::mutex> lock(mu_);
    if (failures_.fetch_add(1) == 0) first_ = what + ": " + std::string(s.message());
  }
  std::atomic<int> failures_{0};
  mutable std::mutex mu_;
  std::string first_;
};

void SubmitFile(Pipeline& pipeline, const std::string& path, const std::string& out_db,
                FailureLog& failures) {
  std::error_code ec;
  if (fs::equivalent(path, out_db, ec)) return;  // our own output, in a watched folder
  for (const std::string& node : ProducerNodesFor(path)) {
    spdlog::info("{} -> {}", path, node);
    failures.Track(pipeline.Submit(node, RequestFor(node, path)), node + " " + path);
  }
}

void PrintResults(RunJob& job) {
  for (MetricHandler* metric : job.metrics) {
    std::printf("%s\n", FormatMetricTable(metric->title(), metric->result(), 20).c_str());
  }
  std::printf("Per-node summary\n%s\n", FormatNodeSummary(job.pipeline->Stats()).c_str());
  std::printf("Stored in the output database\n");
  for (const char* table : {"clients", "scores", "transactions"}) {
    absl::StatusOr<int64_t> rows = job.writer->CountRows(table);
    if (rows.ok()) std::printf("%s: %lld rows\n", table, static_cast<long long>(*rows));
  }
}

// The input files of --data, in name order; an error message when there are none. Listed
// before the job opens its output database, which may live in the same folder.
absl::StatusOr<std::vector<std::string>> ListInputs(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && !ProducerNodesFor(it->path().string()).empty()) {
      files.push_back(it->path().string());
    }
  }
  if (ec) return absl::NotFoundError("cannot read " + dir + ": " + ec.message());
  if (files.empty()) {
    return absl::NotFoundError("no .txt, .csv or .db input in " + dir +
                               " (try `gym gen all --out " + dir + "`)");
  }
  std::sort(files.begin(), files.end());
  return files;
}

int RunOnce(const RunFlags& flags, const std::vector<std::string>& files, RunJob& job,
            FailureLog& failures) {
  for (const std::string& f : files) SubmitFile(*job.pipeline, f, flags.job.out_db, failures);
  for (int run = 1; run <= flags.timer_runs; ++run) {
    failures.Track(job.pipeline->Submit("timer_tx", TimerTransactions(run, flags.timer_rows, flags.seed)),
                   "timer run " + std::to_string(run));
  }
  job.pipeline->WaitIdle();
  return 0;
}

int RunWatch(const RunFlags& flags, RunJob& job, FailureLog& failures) {
  Pipeline& pipeline = *job.pipeline;
  DirectoryWatcher watcher({.dir = flags.watch_dir, .suffixes = {".txt", ".csv", ".db"}},
                           [&](const std::string& path) {
                             SubmitFile(pipeline, path, flags.job.out_db, failures);
                           });
  TimerTrigger timer(
      std::chrono::milliseconds(static_cast<int64_t>(flags.timer_interval_s * 1000)),
      flags.timer_runs, [&](int run) {
        failures.Track(pipeline.Submit("timer_tx", TimerTransactions(run, flags.timer_rows, flags.seed)),
                       "timer run " + std::to_string(run));
      });
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
  spdlog::info("watching {} (.txt .csv .db); timer every {} s, {} runs; idle timeout {} s",
               flags.watch_dir, flags.timer_interval_s, flags.timer_runs, flags.idle_timeout_s);
  watcher.Start();
  timer.Start();
  pipeline.RunContinuous(
      std::chrono::milliseconds(static_cast<int64_t>(flags.idle_timeout_s * 1000)));
  watcher.Stop();
  timer.Stop();
  finished = true;
  signals.join();
  return 0;
}

int RunMain(RunFlags& flags) {
  if (flags.print_dag) {
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
  if (flags.once == !flags.watch_dir.empty() || (flags.once && flags.data_dir.empty())) {
    std::fprintf(stderr, "gym run: give either --once --data DIR or --watch DIR (see --help)\n");
    return 2;
  }
  const std::string data_dir = flags.once ? flags.data_dir : flags.watch_dir;
  absl::StatusOr<std::vector<std::string>> inputs =
      flags.once ? ListInputs(data_dir) : std::vector<std::string>{};
  if (!inputs.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(inputs.status().message()).c_str());
    return 1;
  }
  auto model = LoadOrTrainModel(flags.model, (fs::path(data_dir) / "labeled_transactions.csv").string());
  if (!model.ok()) {
    std::fprintf(stderr, "gym run: model: %s\n", std::string(model.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<RunJob> job = BuildRunJob(flags.job, *model);
  if (!job.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(job.status().message()).c_str());
    return 1;
  }
  FailureLog failures;
  const auto start = std::chrono::steady_clock::now();
  int code = flags.once ? RunOnce(flags, *inputs, *job, failures) : RunWatch(flags, *job, failures);
  if (code != 0) return code;
  job->writer->Flush();
  PrintResults(*job);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("done in %.2f s; output: %s and %s/\n", seconds, flags.job.out_db.c_str(),
              flags.job.out_csv_dir.c_str());
  if (failures.count() > 0) {
    std::fprintf(stderr, "gym run: %d message(s) failed; first: %s\n", failures.count(),
                 failures.first().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void RegisterRunCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* sub = app.add_subcommand(
      "run", "Run the file pipeline: producers, normalizer, category, risk, metrics, sinks");
  sub->add_flag("--once", flags->once, "process the files in --data once and exit");
  sub->add_option("--data", flags->data_dir, "input folder for --once (from `gym gen all`)")
      ->check(CLI::ExistingDirectory);
  sub->add_option("--watch", flags->watch_dir,
                  "watch this folder for dropped .txt/.csv/.db files until idle or a signal")
      ->check(CLI::ExistingDirectory);
  sub->add_flag("--print-dag", flags->print_dag, "print the DAG as text and Graphviz DOT, then exit");
  sub->add_option("--model", flags->model,
                  "risk model JSON; trained from DIR/labeled_transactions.csv when missing")
      ->capture_default_str();
  sub->add_option("--out-db", flags->job.out_db, "output SQLite database")->capture_default_str();
  sub->add_option("--out-csv", flags->job.out_csv_dir, "folder for the timestamped CSV results")
      ->capture_default_str();
  sub->add_option("--chunks", flags->job.chunks, "slices per message in chunked nodes")
      ->capture_default_str()->check(CLI::Range(1, 64));
  sub->add_option("--timer-interval", flags->timer_interval_s, "seconds between timer runs (--watch)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  sub->add_option("--timer-runs", flags->timer_runs, "timer runs (0 = none)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  sub->add_option("--timer-rows", flags->timer_rows, "transactions generated per timer run")
      ->capture_default_str();
  sub->add_option("--idle-timeout", flags->idle_timeout_s,
                  "--watch ends after this many seconds with nothing to do")
      ->capture_default_str()->check(CLI::PositiveNumber);
  sub->add_option("--seed", flags->seed, "seed of the timer's generated transactions")
      ->capture_default_str();
  registry.Add(sub, [flags] {
    // Before any thread exists, so every thread inherits the mask and only the watch loop's
    // sigtimedwait sees SIGINT/SIGTERM.
    if (!flags->watch_dir.empty()) BlockShutdownSignals();
    return RunMain(*flags);
  });
}

}  // namespace gym
