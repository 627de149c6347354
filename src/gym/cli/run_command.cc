// `gym run`: a pipeline file run on files (pipelines/run.toml, the seed's file pipeline, when
// no --config is given; see run_job.h).
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
#include "gym/cli/frame_json.h"
#include "gym/cli/pipeline_config.h"
#include "gym/cli/run_job.h"
#include "gym/server/model_loader.h"
#include "gym/cli/run_messages.h"
#include "gym/datagen/generated_transactions.h"
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
  std::string format = "text";
  std::string model = "risk_model.json";
  PipelineConfigFlags pipeline;
  RunJobOptions job;
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

// Submits run `run`'s tick to every source the timer trigger feeds.
void SubmitTimerRun(const PartSpec& timer, int run, RunJob& job, MessageLog& log) {
  for (const std::string& source : timer.options.Strings("feeds")) {
    log.Track(job.pipeline->Submit(source, TimerTick(run)),
              timer.name + " run " + std::to_string(run) + " -> " + source,
              PublishCsvFiles(job.csv_when_committed, TimerBatchId(run)));
  }
}

int TimerRuns(const PartSpec& timer) { return static_cast<int>(timer.options.Int("runs")); }

// The tables the job's sqlite sinks store, in file order, then rejected_events.
std::vector<std::string> StoredTables(const RunJob& job) {
  std::vector<std::string> tables;
  for (const PartSpec* sink : job.spec.OfKind(PartKind::kSink)) {
    if (sink->type != "sqlite") continue;
    const std::string& table = sink->options.String("table");
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
  }
  tables.push_back(std::string(kRejectedTable));
  return tables;
}

void PrintResults(RunJob& job) {
  for (const auto& [name, metric] : job.metrics) {
    std::printf("%s\n", FormatMetricTable(metric->title(), metric->result(), 20).c_str());
  }
  std::printf("Per-node summary\n%s\n", FormatNodeSummary(job.pipeline->Stats()).c_str());
  std::printf("Stored in the output database\n");
  for (const std::string& table : StoredTables(job)) {
    absl::StatusOr<int64_t> rows = job.writer->CountRows(table);
    if (rows.ok()) std::printf("%s: %lld rows\n", table.c_str(), static_cast<long long>(*rows));
  }
}

// The whole summary as one JSON object on stdout (--format json): what a script reads.
void PrintResultsJson(RunJob& job, const RunFlags& flags, const MessageLog& log, double seconds) {
  nlohmann::ordered_json doc;
  doc["pipeline"] = job.spec.name;
  doc["file"] = job.spec.file;
  doc["run_id"] = job.run_id;
  doc["ok"] = log.failures() == 0;
  doc["seconds"] = seconds;
  doc["failures"] = log.failures();
  if (log.failures() > 0) doc["first_failure"] = log.first_failure();
  doc["metrics"] = nlohmann::ordered_json::object();
  for (const auto& [name, metric] : job.metrics) {
    doc["metrics"][name] = {{"title", metric->title()}, {"rows", FrameRowsJson(metric->result())}};
  }
  doc["nodes"] = nlohmann::ordered_json::array();
  for (const NodeStats& s : job.pipeline->Stats()) {
    doc["nodes"].push_back({{"node", s.name},
                            {"messages", s.messages},
                            {"rows_in", s.rows},
                            {"rows_out", s.sink ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(s.rows_out)},
                            {"errors", s.errors},
                            {"time_ms", static_cast<double>(s.busy.count()) / 1e6}});
  }
  doc["stored"] = nlohmann::ordered_json::object();
  for (const std::string& table : StoredTables(job)) {
    absl::StatusOr<int64_t> rows = job.writer->CountRows(table);
    if (rows.ok()) doc["stored"][table] = *rows;
  }
  doc["outputs"] = {{"db", flags.job.out_db}, {"csv_folders", job.csv_folders}};
  std::printf("%s\n", doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                          .c_str());
}

void RunOnce(const RunFlags& flags, const std::vector<std::string>& files, RunJob& job,
             MessageLog& log) {
  for (const std::string& f : files) SubmitFile(job, f, flags.job.out_db, log);
  if (flags.timer) {
    for (const PartSpec* timer : job.spec.OfKind(PartKind::kTrigger)) {
      if (timer->type != "timer") continue;
      for (int run = 1; run <= TimerRuns(*timer); ++run) {
        SubmitTimerRun(*timer, run, job, log);
      }
    }
  }
  job.pipeline->WaitIdle();
}

void RunWatch(const RunFlags& flags, RunJob& job, MessageLog& log) {
  Pipeline& pipeline = *job.pipeline;
  DirectoryWatcher watcher({.dir = flags.watch_dir}, [&](const std::string& path) {
    SubmitFile(job, path, flags.job.out_db, log);
  });
  std::vector<std::unique_ptr<TimerTrigger>> timers;
  std::string timer_note;
  for (const PartSpec* timer : job.spec.OfKind(PartKind::kTrigger)) {
    if (timer->type != "timer" || TimerRuns(*timer) == 0) continue;
    const double interval_s = timer->options.Double("interval_s");
    timers.push_back(std::make_unique<TimerTrigger>(
        std::chrono::milliseconds(static_cast<int64_t>(interval_s * 1000)), TimerRuns(*timer),
        [&job, &log, timer](int run) { SubmitTimerRun(*timer, run, job, log); }));
    const std::string runs =
        TimerRuns(*timer) == TimerTrigger::kUnlimited
            ? "unlimited runs (the idle timeout cannot end the run; stop it with SIGINT or "
              "SIGTERM)"
            : std::to_string(TimerRuns(*timer)) + " runs";
    timer_note += fmt::format("; timer {} every {} s, {}", timer->name, interval_s, runs);
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
  spdlog::info("watching {} for the files of {}{}; idle timeout {} s", flags.watch_dir,
               job.spec.file, timer_note, flags.idle_timeout_s);
  watcher.Start();
  for (auto& timer : timers) timer->Start();
  pipeline.RunContinuous(
      std::chrono::milliseconds(static_cast<int64_t>(flags.idle_timeout_s * 1000)));
  watcher.Stop();
  for (auto& timer : timers) timer->Stop();
  finished = true;
  signals.join();
}

// The folders of the job's csv sinks: "results/" or "a/, b/".
std::string CsvFolders(const RunJob& job) {
  std::string out;
  for (const std::string& f : job.csv_folders) {
    if (out.find(f + "/") == std::string::npos) out += (out.empty() ? "" : ", ") + f + "/";
  }
  return out.empty() ? "(no csv sink)" : out;
}

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
  RunJobOptions job_options = flags.job;
  job_options.will_run = false;
  absl::StatusOr<RunJob> job = BuildRunJob(job_options, spec, parts, /*model=*/nullptr);
  if (!job.ok()) {
    std::fprintf(stderr, "gym run: %s\n", std::string(job.status().message()).c_str());
    return 1;
  }
  if (flags.format == "dot") {
    std::printf("%s", job->pipeline->DescribeDot().c_str());
  } else {
    std::printf("%s: %s\n%s", spec.file.c_str(), spec.name.c_str(),
                job->pipeline->DescribeText().c_str());
  }
  return 0;
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
  absl::StatusOr<RunJob> job = BuildRunJob(flags.job, *std::move(spec), parts, model);
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
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (flags.format == "json") {
    PrintResultsJson(*job, flags, log, seconds);
  } else {
    PrintResults(*job);
  }
  if (log.failures() > 0) {
    std::fprintf(stderr,
                 "gym run: FAILED after %.2f s: %d failure(s); first: %s\n"
                 "gym run: no CSV was put in %s for a failed input; %s holds only what "
                 "committed (run the same files again once fixed: nothing is stored twice)\n",
                 seconds, log.failures(), log.first_failure().c_str(),
                 CsvFolders(*job).c_str(), flags.job.out_db.c_str());
    return 1;
  }
  if (flags.format != "json") {
    std::printf("done in %.2f s; output: %s%s\n", seconds, flags.job.out_db.c_str(),
                job->csv_folders.empty() ? "" : (" and " + CsvFolders(*job)).c_str());
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
                  "idle or a signal")
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
  sub->add_option("--out-db", flags->job.out_db, "output SQLite database (every sqlite sink)")
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
                  "--watch ends after this many seconds with nothing to do")
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
