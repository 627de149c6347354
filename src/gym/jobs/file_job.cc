#include "gym/jobs/file_job.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <optional>
#include <filesystem>
#include <system_error>
#include <thread>
#include <utility>

#include "fmt/format.h"
#include "fmt/ranges.h"
#include "gym/datagen/generated_transactions.h"
#include "gym/domain/dates.h"
#include "gym/jobs/file_inputs.h"
#include "gym/jobs/serial_thread.h"
#include "gym/pipeline/directory_watcher.h"
#include "gym/pipeline/pipeline_assembly.h"
#include "gym/pipeline/timer_trigger.h"
#include "gym/sinks/rejected_events.h"
#include "gym/sources/file_digest.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace fs = std::filesystem;
namespace {

// How often a worker asks again for the files other workers held.
constexpr std::chrono::milliseconds kClaimRetry{500};

int TimerRuns(const PartSpec& timer) { return static_cast<int>(timer.options.Int("runs")); }

// A file dropped, or a tick fired, between the watch's stop and its watcher's: not a failure
// of the run. The file stays in the folder (its content is its identity, so the next run
// takes it once); the tick is one the timer would not have fired a moment later.
bool ArrivedAfterStop(const absl::StatusOr<CompletionToken>& token, const std::string& what) {
  if (token.ok() || token.status().code() != absl::StatusCode::kFailedPrecondition) return false;
  spdlog::warn("{}: not submitted, the job is stopping ({})", what,
               std::string(token.status().message()));
  return true;
}

// The name a worker gives itself in gym_files: host:pid.
std::string WorkerName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host[0] != '\0' ? host : "localhost", getpid());
}

// A file's size and modification time: a waiting file whose version is unchanged is asked
// for again under the content hash it had, without reading it again.
std::optional<std::pair<uintmax_t, int64_t>> VersionOf(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  const auto mtime = fs::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return std::make_pair(size, static_cast<int64_t>(mtime.time_since_epoch().count()));
}

}  // namespace

// One claimed file's way out: once every source it fed has settled, it is recorded as
// stored when all of them committed, and let go otherwise; a file that failed for a reason
// that may pass (the database away, a lock timeout) is handed to `retry`, to be asked for
// again. SubmitFile holds one share itself until it has submitted to every source, and each
// rejection record of the file's rows holds one until it is stored. `done` runs first, once.
class FileJob::ClaimSettle final {
 public:
  ClaimSettle(FileClaims& claims, SerialThread& serial, std::string sha, std::string path,
              std::function<void()> retry, std::function<void()> done)
      : claims_(claims),
        serial_(serial),
        sha_(std::move(sha)),
        path_(std::move(path)),
        retry_(std::move(retry)),
        done_(std::move(done)) {}
  void Expect() { left_.fetch_add(1); }
  void Settled(const absl::Status& status) {
    if (!status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (failure_.ok()) failure_ = status;
    }
    if (left_.fetch_sub(1) != 1) return;
    done_();
    absl::Status failure;
    {
      std::lock_guard<std::mutex> lock(mu_);
      failure = failure_;
    }
    // Called on the writer's delivery thread: the database work goes to the claims' own.
    serial_.Post([&claims = claims_, sha = sha_, path = path_, retry = retry_, failure] {
      if (!failure.ok()) {
        claims.Release(sha);
        if (MayPass(failure.code())) retry();
        return;
      }
      if (absl::Status s = claims.Finish(sha, path); !s.ok()) {
        // Its rows are stored; only the record is missing, so another worker may read the
        // file again later and find every row there already.
        spdlog::warn("{}: stored, but not recorded as stored: {}", path, std::string(s.message()));
      }
    });
  }

 private:
  // Data a table cannot take fails the same way again: such a file waits until it changes.
  static bool MayPass(absl::StatusCode code) {
    return code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kAborted ||
           code == absl::StatusCode::kDeadlineExceeded ||
           code == absl::StatusCode::kResourceExhausted;
  }

  FileClaims& claims_;
  SerialThread& serial_;
  const std::string sha_;
  const std::string path_;
  const std::function<void()> retry_;
  const std::function<void()> done_;
  std::atomic<int> left_{1};
  std::mutex mu_;
  absl::Status failure_;  // the first, guarded by mu_
};

absl::StatusOr<std::unique_ptr<FileJob>> FileJob::Build(FileJobOptions options, PipelineSpec spec,
                                                        const PartRegistry& registry) {
  std::unique_ptr<FileJob> job(new FileJob());
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer =
      GroupCommitWriter::Open(options.will_run ? options.out_db : ":memory:");
  if (!writer.ok()) return writer.status();
  job->writer_ = *std::move(writer);
  job->rejections_ = std::make_unique<RejectionLog>(*job->writer_);
  job->rejections_->SetTracker(
      [job = job.get()](const std::string& batch) { return job->TrackRejection(batch); });

  PartContext context;
  context.will_run = options.will_run;
  // Unique per run: the rows this run writes to metric tables carry it.
  static std::atomic<int> jobs_built{0};
  const int n = jobs_built.fetch_add(1);
  job->run_id_ = fmt::format("run-{}-{}{}", UtcStamp(std::chrono::system_clock::now()), getpid(),
                             n == 0 ? "" : fmt::format("-{}", n));
  context.run_id = job->run_id_;
  context.rejected = job->rejections_->Reporter();
  context.Provide(job->writer_);
  if (options.model) context.Provide(options.model);
  absl::StatusOr<AssembledPipeline> assembled = AssemblePipeline(spec, registry, context);
  if (!assembled.ok()) return assembled.status();
  job->pipeline_ = std::move(assembled->pipeline);
  job->metrics_ = assembled->All<MetricHandler>();
  for (const auto& [name, csv] : assembled->All<SaveCsvHandler>()) {
    job->csv_folders_.push_back(csv->folder());
    if (csv->publish() == SaveCsvHandler::Publish::kWhenCommitted) {
      job->csv_when_committed_.push_back(csv);
    }
  }
  if (options.claim_files && options.will_run) {
    absl::StatusOr<std::unique_ptr<FileClaims>> claims =
        FileClaims::Open(options.out_db, WorkerName());
    if (!claims.ok()) return claims.status();
    job->claims_ = *std::move(claims);
    job->claims_thread_ = std::make_unique<SerialThread>();
  }
  job->spec_ = std::move(spec);
  job->options_ = std::move(options);
  return job;
}

MessageLog::FollowUp FileJob::PublishCsvFiles(const std::string& batch) const {
  if (csv_when_committed_.empty()) return nullptr;
  return [sinks = csv_when_committed_, batch](const absl::Status& s) -> absl::Status {
    for (SaveCsvHandler* csv : sinks) {
      if (!s.ok()) {
        csv->Abandon(batch);
        continue;
      }
      absl::StatusOr<std::string> path = csv->Commit(batch);
      if (!path.ok()) return path.status();
      if (!path->empty()) spdlog::info("wrote {}", *path);
    }
    return absl::OkStatus();
  };
}

void FileJob::SubmitFile(const std::string& path) {
  std::error_code ec;
  if (fs::equivalent(path, options_.out_db, ec)) return;  // our own output, in a watched folder
  const std::vector<std::string> sources = SourcesForFile(spec_, path);
  if (sources.empty()) return;
  // The content, not the name, is the file's identity (see RequestFor).
  absl::StatusOr<std::string> sha = FileSha256Hex(path);
  if (!sha.ok()) {
    log_.Fail(sha.status(), path);
    return;
  }
  SubmitContent(path, *sha, sources);
}

void FileJob::SubmitContent(const std::string& path, const std::string& sha,
                            const std::vector<std::string>& sources) {
  std::shared_ptr<ClaimSettle> settle;
  if (claims_ != nullptr) {
    if (!Claimed(path, sha)) return;
    std::vector<std::string> batches;
    for (const std::string& source : sources) batches.push_back(ContentBatchId(source, sha));
    settle = std::make_shared<ClaimSettle>(
        *claims_, *claims_thread_, sha, path,
        [this, path, sha] {
          spdlog::info("{}: not stored; asked for again in a moment", path);
          Wait(path, sha);
        },
        [this, batches] {
          std::lock_guard<std::mutex> lock(settles_mu_);
          for (const std::string& batch : batches) settles_.erase(batch);
        });
    std::lock_guard<std::mutex> lock(settles_mu_);
    for (const std::string& batch : batches) settles_[batch] = settle;
  }
  absl::Status submitted;
  for (const std::string& source : sources) {
    const std::string batch = ContentBatchId(source, sha);
    spdlog::info("{} -> {} (batch {})", path, source, batch);
    absl::StatusOr<CompletionToken> token =
        pipeline_->Submit(source, RequestFor(*spec_.Find(source), path, sha));
    if (ArrivedAfterStop(token, path)) {
      submitted = token.status();
      break;
    }
    MessageLog::FollowUp publish = PublishCsvFiles(batch);
    if (settle != nullptr) {
      settle->Expect();
      publish = [settle, publish = std::move(publish)](const absl::Status& s) {
        const absl::Status published = publish ? publish(s) : absl::OkStatus();
        settle->Settled(s.ok() ? published : s);
        return published;
      };
    }
    log_.Track(token, source + " " + path, std::move(publish));
  }
  if (settle != nullptr) settle->Settled(submitted);
}

std::function<void(const absl::Status&)> FileJob::TrackRejection(const std::string& batch) {
  std::shared_ptr<ClaimSettle> settle;
  {
    std::lock_guard<std::mutex> lock(settles_mu_);
    auto it = settles_.find(batch);
    if (it != settles_.end()) settle = it->second.lock();
  }
  if (settle == nullptr) return nullptr;
  // Reported while the row's message is in flight, so before that message settles its share.
  settle->Expect();
  return [settle](const absl::Status& s) { settle->Settled(s); };
}

void FileJob::Wait(const std::string& path, const std::string& sha) {
  std::lock_guard<std::mutex> lock(waiting_mu_);
  waiting_[path] = Waiting{sha, VersionOf(path)};
}

bool FileJob::Claimed(const std::string& path, const std::string& sha) {
  absl::StatusOr<FileClaims::Claim> claim = claims_->TryClaim(sha, path);
  std::lock_guard<std::mutex> lock(waiting_mu_);
  if (!claim.ok()) {
    spdlog::warn("{}; asked again in a moment", std::string(claim.status().message()));
    waiting_[path] = Waiting{sha, VersionOf(path)};
    return false;
  }
  switch (claim->outcome) {
    case FileClaims::Outcome::kClaimed:
      waiting_.erase(path);
      spdlog::info("{}: claimed by {}", path, claims_->worker());
      return true;
    case FileClaims::Outcome::kStored:
      waiting_.erase(path);
      spdlog::info("{}: stored before, by {}; skipped", path, claim->stored_by);
      return false;
    case FileClaims::Outcome::kHeldElsewhere:
      if (waiting_.emplace(path, Waiting{sha, VersionOf(path)}).second) {
        spdlog::info("{}: held by another worker; asked again until it is stored", path);
      }
      return false;
  }
  return false;
}

size_t FileJob::RetryWaitingFiles() {
  std::map<std::string, Waiting> waiting;
  {
    std::lock_guard<std::mutex> lock(waiting_mu_);
    waiting = waiting_;
  }
  for (const auto& [path, was] : waiting) {
    const auto version = VersionOf(path);
    if (!version) {
      // Moved away or replaced: its new version, if any, comes through the watcher.
      std::lock_guard<std::mutex> lock(waiting_mu_);
      waiting_.erase(path);
      continue;
    }
    if (version == was.version) {
      SubmitContent(path, was.sha, SourcesForFile(spec_, path));
    } else {
      SubmitFile(path);  // changed: hashed again
    }
  }
  std::lock_guard<std::mutex> lock(waiting_mu_);
  return waiting_.size();
}

void FileJob::SubmitTimerRun(const PartSpec& timer, int run) {
  for (const std::string& source : timer.options.Strings("feeds")) {
    const std::string what = timer.name + " run " + std::to_string(run) + " -> " + source;
    absl::StatusOr<CompletionToken> token = pipeline_->Submit(source, TimerTick(run));
    if (ArrivedAfterStop(token, what)) return;
    log_.Track(token, what, PublishCsvFiles(TimerBatchId(run)));
  }
}

void FileJob::RunOnce(const std::vector<std::string>& files, bool with_timers) {
  for (const std::string& f : files) SubmitFile(f);
  if (with_timers) {
    for (const PartSpec* timer : spec_.OfKind(PartKind::kTrigger)) {
      if (timer->type != "timer") continue;
      for (int run = 1; run <= TimerRuns(*timer); ++run) SubmitTimerRun(*timer, run);
    }
  }
  pipeline_->WaitIdle();
}

void FileJob::Watch(const std::string& dir, std::chrono::milliseconds idle_timeout) {
  DirectoryWatcher watcher({.dir = dir}, [this](const std::string& path) { SubmitFile(path); });
  std::vector<std::unique_ptr<TimerTrigger>> timers;
  std::string timer_note;
  for (const PartSpec* timer : spec_.OfKind(PartKind::kTrigger)) {
    if (timer->type != "timer" || TimerRuns(*timer) == 0) continue;
    const double interval_s = timer->options.Double("interval_s");
    timers.push_back(std::make_unique<TimerTrigger>(
        std::chrono::milliseconds(static_cast<int64_t>(interval_s * 1000)), TimerRuns(*timer),
        [this, timer](int run) { SubmitTimerRun(*timer, run); }));
    const std::string runs =
        TimerRuns(*timer) == TimerTrigger::kUnlimited
            ? "unlimited runs (the idle timeout cannot end the run; stop it with SIGINT or "
              "SIGTERM)"
            : std::to_string(TimerRuns(*timer)) + " runs";
    timer_note += fmt::format("; timer {} every {} s, {}", timer->name, interval_s, runs);
  }
  spdlog::info("watching {} for the files of {}{}; idle timeout {} s", dir, spec_.file,
               timer_note, static_cast<double>(idle_timeout.count()) / 1000);
  watcher.Start();
  for (auto& timer : timers) timer->Start();
  // Files other workers held are asked for again, so that one whose holder died is taken.
  // While any waits, the run is not idle: ending it would leave the file to a holder that may
  // die after this worker has gone.
  std::mutex retry_mu;
  std::condition_variable retry_cv;
  bool retry_stop = false;
  std::thread retry;
  if (claims_ != nullptr) {
    retry = std::thread([&] {
      std::unique_lock<std::mutex> lock(retry_mu);
      while (!retry_cv.wait_for(lock, kClaimRetry, [&] { return retry_stop; })) {
        lock.unlock();
        if (RetryWaitingFiles() > 0) pipeline_->KeepAlive();
        lock.lock();
      }
    });
  }
  pipeline_->RunContinuous(idle_timeout);
  if (retry.joinable()) {
    {
      std::lock_guard<std::mutex> lock(retry_mu);
      retry_stop = true;
    }
    retry_cv.notify_all();
    retry.join();
  }
  watcher.Stop();
  for (auto& timer : timers) timer->Stop();
  if (claims_thread_) {
    writer_->Flush();  // the last files' rejection records settle their claims
    claims_thread_->Drain();
  }
  std::lock_guard<std::mutex> lock(waiting_mu_);
  if (!waiting_.empty()) {
    std::vector<std::string> paths;
    for (const auto& [path, was] : waiting_) paths.push_back(path);
    spdlog::warn("{} file(s) not stored by this worker when it stopped (held by another worker, "
                 "or failed for now): {}; their holders, or the next worker that starts, store "
                 "them",
                 paths.size(), fmt::join(paths, ", "));
  }
}

FileJob::~FileJob() {
  if (pipeline_) pipeline_->Stop();
  log_.WaitAll();
  // The rejection records' done callbacks settle claims: they run while claims_ and settles_
  // are still here, not from the writer's destructor after them; then what they posted.
  if (writer_) writer_->Flush();
  claims_thread_.reset();
}

void FileJob::Stop() { pipeline_->Stop(); }

void FileJob::Finish() {
  if (finished_) return;
  finished_ = true;
  log_.WaitAll();
  writer_->Flush();  // the rejection records, queued beside the messages
  if (claims_thread_) claims_thread_->Drain();  // the files recorded in gym_files
  if (rejections_->failures() > 0) {
    log_.Fail(absl::InternalError(rejections_->first_failure()),
              std::to_string(rejections_->failures()) + " rejection record(s) not stored");
  }
}

std::vector<std::pair<std::string, int64_t>> FileJob::StoredRows() const {
  std::vector<std::string> tables;
  for (const PartSpec* sink : spec_.OfKind(PartKind::kSink)) {
    if (sink->type != "sqlite") continue;
    const std::string& table = sink->options.String("table");
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
  }
  tables.push_back(std::string(kRejectedTable));
  std::vector<std::pair<std::string, int64_t>> stored;
  for (const std::string& table : tables) {
    absl::StatusOr<int64_t> rows = writer_->CountRows(table);
    if (rows.ok()) stored.emplace_back(table, *rows);
  }
  return stored;
}

}  // namespace gym
