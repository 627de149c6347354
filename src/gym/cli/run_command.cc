// `gym run`: a pipeline file run on files (pipelines/run.toml, the seed's file pipeline, when
// no --config is given). The job itself is the library's FileJob (jobs/file_job.h); this file
// parses the flags, applies them to the pipeline file, and prints what the job did.
//
//   gym run --once --data DIR     process the files in DIR once, print metrics and a summary
//   gym run --once --data DIR --timer   ... plus the ticks of the file's timer triggers
//   gym run --watch DIR           continuous: watch DIR for dropped files, fire the timers,
//                                 stop on idle timeout or SIGINT/SIGTERM
//   gym run --print-dag [--format dot]   the DAG of the file in use, as text or Graphviz DOT
//   gym run --config FILE --set node.option=value ...
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
#include "gym/cli/pipeline_config.h"
#include "gym/cli/run_output.h"
#include "gym/jobs/file_inputs.h"
#include "gym/jobs/file_job.h"
#include "gym/jobs/model_loader.h"
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
  std::string format = "text";
  std::string model = "risk_model.json";
  PipelineConfigFlags pipeline;
  std::string out_db = "gym_run.db";
  // These override the pipeline file's options when given (see PipelineOverrides).
  std::string out_csv_dir;
  size_t chunks = 2;
  bool timer = false;  // --once adds timer runs only when asked
  double timer_interval_s = 3.0;
  int timer_runs = 5;  // TimerTrigger::kUnlimited for "unlimited"
  size_t timer_rows = 100;
  double idle_timeout_s = 30.0;
  uint64_t seed = 7;
  // Set when given on the command line (to refuse them where they would be ignored, and to
  // leave the file's values alone when they are not).
  CLI::Option* data_option = nullptr;
  CLI::Option* out_csv_option = nullptr;
  CLI::Option* chunks_option = nullptr;
  CLI::Option* timer_interval_option = nullptr;
  CLI::Option* timer_runs_option = nullptr;
  CLI::Option* timer_rows_option = nullptr;
  CLI::Option* seed_option = nullptr;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gym run: %s (see --help)\n", message.c_str());
  return 2;
}

// What the flags given on the command line change in the pipeline file: they keep their old
// meaning for every file that has such parts.
void PipelineOverrides(const RunFlags& flags, PipelineSpec& spec) {
  for (PartSpec& part : spec.parts) {
    if (part.type == "csv" && flags.out_csv_option->count() > 0) {
      part.options.Set("folder", flags.out_csv_dir);
    }
    if (part.chunks > 1 && flags.chunks_option->count() > 0) part.chunks = flags.chunks;
    if (part.type == "timer") {
      if (flags.timer_interval_option->count() > 0) {
        part.options.Set("interval_s", flags.timer_interval_s);
      }
      if (flags.timer_runs_option->count() > 0) {
        part.options.Set("runs", static_cast<int64_t>(flags.timer_runs));
      }
    }
    if (part.type == "generated_transactions") {
      if (flags.timer_rows_option->count() > 0) {
        part.options.Set("rows", static_cast<int64_t>(flags.timer_rows));
      }
      if (flags.seed_option->count() > 0) {
        part.options.Set("seed", static_cast<int64_t>(flags.seed));
      }
    }
  }
}

int TimerRuns(const PartSpec& timer) { return static_cast<int>(timer.options.Int("runs")); }

// 0 when the flags make sense together, else the usage error's exit code (after saying why).
int CheckModeFlags(const RunFlags& flags) {
  if (flags.format == "dot" && !flags.print_dag) {
    return UsageError("--format dot draws the DAG: it goes with --print-dag");
  }
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
  return 0;
}

// The checks that need the pipeline file: what --once and --watch feed must exist in it.
int CheckModeAgainstPipeline(const RunFlags& flags, const PipelineSpec& spec) {
  if (!HasFilesTrigger(spec)) {
    return UsageError(spec.file + " has no files trigger ([triggers.NAME] type = \"files\"): "
                      "--once and --watch have nothing to feed");
  }
  for (const PartSpec* timer : spec.OfKind(PartKind::kTrigger)) {
    if (flags.once && flags.timer && timer->type == "timer" &&
        TimerRuns(*timer) == TimerTrigger::kUnlimited) {
      return UsageError("timer '" + timer->name +
                        "' has unlimited runs, which needs --watch: an --once run must end");
    }
  }
  return 0;
}

int PrintDag(const RunFlags& flags, const PipelineSpec& spec, const PartRegistry& parts) {
  absl::StatusOr<std::unique_ptr<FileJob>> job =
      FileJob::Build({.out_db = flags.out_db, .will_run = false}, spec, parts);
  if (!job.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(job.status().message()).c_str());
    return 1;
  }
  if (flags.format == "dot") {
    std::printf("%s", (*job)->pipeline().DescribeDot().c_str());
  } else {
    std::printf("%s: %s\n%s", spec.file.c_str(), spec.name.c_str(),
                (*job)->pipeline().DescribeText().c_str());
  }
  return 0;
}

// --watch: the job watches its folder while this thread's twin waits for SIGINT/SIGTERM
// (blocked in every thread, see RegisterRunCommand) and stops the job on one.
void WatchUntilIdleOrSignal(const RunFlags& flags, FileJob& job) {
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
        job.Stop();
        return;
      }
    }
  });
  job.Watch(flags.watch_dir,
            std::chrono::milliseconds(static_cast<int64_t>(flags.idle_timeout_s * 1000)));
  finished = true;
  signals.join();
}

int RunMain(RunFlags& flags, const PartRegistry& parts) {
  std::optional<PipelineSpec> spec =
      LoadPipelineConfig(flags.pipeline, "run", parts, "gym run",
                         [&flags](PipelineSpec& s) { PipelineOverrides(flags, s); });
  if (!spec) return 1;
  if (flags.print_dag) {
    if (flags.format == "json") return UsageError("--print-dag draws text or dot, not json");
    return PrintDag(flags, *spec, parts);
  }
  if (int usage = CheckModeFlags(flags); usage != 0) return usage;
  if (int usage = CheckModeAgainstPipeline(flags, *spec); usage != 0) return usage;
  const std::string data_dir = flags.once ? flags.data_dir : flags.watch_dir;
  // Listed before the job opens its output database, which may live in the same folder.
  absl::StatusOr<std::vector<std::string>> inputs =
      flags.once ? ListInputs(*spec, data_dir) : std::vector<std::string>{};
  if (!inputs.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(inputs.status().message()).c_str());
    return 1;
  }
  const std::string labeled = (fs::path(data_dir) / "labeled_transactions.csv").string();
  auto model = std::make_shared<RiskModelSource>(
      [model_path = flags.model, labeled] {
        return LoadOrTrainRiskModel(model_path, /*train_rows=*/10000, labeled);
      });
  absl::StatusOr<std::unique_ptr<FileJob>> built =
      FileJob::Build({.out_db = flags.out_db, .model = model, .claim_files = !flags.once},
                     *std::move(spec), parts);
  if (!built.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(built.status().message()).c_str());
    return 1;
  }
  FileJob& job = **built;
  const auto start = std::chrono::steady_clock::now();
  if (flags.once) {
    job.RunOnce(*inputs, flags.timer);
  } else {
    WatchUntilIdleOrSignal(flags, job);
  }
  job.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (flags.format == "json") {
    PrintResultsJson(job, flags.out_db, seconds);
  } else {
    PrintResults(job);
  }
  const MessageLog& log = job.log();
  if (log.failures() > 0) {
    std::fprintf(stderr,
                 "gym run: FAILED after %.2f s: %d failure(s); first: %s\n"
                 "gym run: no CSV was put in %s for a failed input; %s holds only what "
                 "committed (run the same files again once fixed: nothing is stored twice)\n",
                 seconds, log.failures(), log.first_failure().c_str(), CsvFolders(job).c_str(),
                 flags.out_db.c_str());
    return 1;
  }
  if (flags.format != "json") {
    std::printf("done in %.2f s; output: %s%s\n", seconds, flags.out_db.c_str(),
                job.csv_folders().empty() ? "" : (" and " + CsvFolders(job)).c_str());
  }
  return 0;
}

}  // namespace

void RegisterRunCommand(CLI::App& app, CommandRegistry& registry) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* sub = app.add_subcommand(
      "run",
      "Run a pipeline file on files: by default the built-in one (producers, normalizer, "
      "category, risk, metrics, sinks); see `gym validate --list` for the parts a file can use");
  sub->add_flag("--once", flags->once, "process the files in --data once and exit");
  flags->data_option =
      sub->add_option("--data", flags->data_dir, "input folder for --once (from `gym gen all`)")
          ->check(CLI::ExistingDirectory);
  sub->add_option("--watch", flags->watch_dir,
                  "watch this folder for dropped files (those the file's sources match) until "
                  "idle or a signal; several workers may watch one folder with one --out-db: "
                  "each file is claimed through the database and stored by one of them "
                  "(table gym_files)")
      ->check(CLI::ExistingDirectory);
  AddPipelineConfigFlags(sub, flags->pipeline, "run");
  sub->add_flag("--print-dag", flags->print_dag,
                "print the DAG of the pipeline file in use, then exit");
  sub->add_option("--format", flags->format,
                  "text; json: the run's summary (metrics, nodes, stored rows, failures) as one "
                  "JSON object on stdout; dot: --print-dag as Graphviz")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json", "dot"}));
  sub->add_option("--model", flags->model,
                  "risk model JSON; trained from DIR/labeled_transactions.csv when missing")
      ->capture_default_str();
  sub->add_option("--out-db", flags->out_db,
                  "output database of every sqlite sink: a SQLite file, or a PostgreSQL\n"
                  "connection string (postgresql://...)")
      ->capture_default_str();
  flags->out_csv_option = sub->add_option("--out-csv", flags->out_csv_dir,
                                          "folder of every csv sink (default: the file's "
                                          "`folder`, results in the built-in pipeline)");
  flags->chunks_option =
      sub->add_option("--chunks", flags->chunks,
                      "slices per message in the chunked nodes (those the file gives chunks > "
                      "1; 2 in the built-in pipeline)")
          ->transform(flag::WholeNumber(1, 64));
  sub->add_flag("--timer", flags->timer,
                "--once: also submit the runs of the file's timer triggers (--watch has the "
                "timers unless --timer-runs 0)");
  flags->timer_interval_option =
      sub->add_option("--timer-interval", flags->timer_interval_s,
                      "seconds between timer runs (--watch; default: the file's interval_s, 3)")
          ->transform(flag::Seconds(/*allow_zero=*/false));
  flags->timer_runs_option =
      sub->add_option("--timer-runs", flags->timer_runs,
                      "timer runs: 0 = none; 'unlimited' = until SIGINT/SIGTERM (--watch only; "
                      "the idle timeout then never ends the run); default: the file's runs, 5")
          ->transform(flag::CountOrWord(1'000'000, "unlimited", TimerTrigger::kUnlimited));
  flags->timer_rows_option =
      sub->add_option("--timer-rows", flags->timer_rows,
                      "transactions generated per timer run (default: the file's rows, 100)")
          ->transform(flag::WholeNumber(1, 10'000'000));
  sub->add_option("--idle-timeout", flags->idle_timeout_s,
                  "--watch ends after this many seconds with nothing to do (a file another "
                  "worker holds, or one to store again, is something to do)")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/false));
  flags->seed_option =
      sub->add_option("--seed", flags->seed,
                      "seed of the timer's generated transactions (default: the file's seed, 7)")
          ->transform(flag::Seed());
  registry.Add(sub, [flags, &registry] {
    // Before any thread exists, so every thread inherits the mask and only the watch loop's
    // sigtimedwait sees SIGINT/SIGTERM.
    if (!flags->watch_dir.empty()) BlockShutdownSignals();
    return RunMain(*flags, registry.parts());
  });
}

}  // namespace gym
