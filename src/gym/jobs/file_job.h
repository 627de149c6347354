// FileJob: a pipeline file run on files, the job of `gym run` (the seed's examples/main.py):
// the pipeline of a pipeline file (pipelines/run.toml by default, see its picture there) fed
// by files listed once or dropped in a watched folder, and by the ticks of timer triggers.
//
//   absl::StatusOr<std::unique_ptr<FileJob>> job =
//       FileJob::Build({.out_db = "out.db", .model = model}, spec, BuiltinParts());
//   (*job)->RunOnce(*ListInputs(spec, "data"), /*with_timers=*/false);
//   (*job)->Finish();
//   (*job)->log().failures() == 0 ... (*job)->StoredRows(), (*job)->metrics()
//
// The file's sqlite sinks share one group-commit writer on `out_db`, so a message's token
// resolves only after its rows are committed; rejected rows (from any part) go to the
// rejected_events table. A csv sink with publish = "when_committed" shows a file only once
// its message committed everywhere, and removes it otherwise (see SaveCsvHandler).
#ifndef GYM_JOBS_FILE_JOB_H_
#define GYM_JOBS_FILE_JOB_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/handlers/metric_handler.h"
#include "gym/handlers/risk_handler.h"
#include "gym/jobs/serial_thread.h"
#include "gym/pipeline/message_log.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/sinks/rejection_log.h"
#include "gym/sinks/save_csv_handler.h"
#include "gym/storage/file_claims.h"
#include "gym/storage/group_commit_writer.h"

namespace gym {

struct FileJobOptions {
  std::string out_db = "gym_run.db";
  // False while the job is only drawn (--print-dag): nothing is trained or written.
  bool will_run = true;
  // Gives the risk parts their model; asked only when a part needs one and the job will run.
  std::shared_ptr<RiskModelSource> model;
  // Files are claimed through out_db before they are stored (FileClaims), so that several
  // workers watching one folder take each file once. `gym run --watch` sets it.
  bool claim_files = false;
};

class FileJob final {
 public:
  // Builds the job of `spec` (checked by CheckPipeline) from `registry`'s parts.
  static absl::StatusOr<std::unique_ptr<FileJob>> Build(FileJobOptions options, PipelineSpec spec,
                                                        const PartRegistry& registry);
  // Stops the pipeline and waits for every follow-up, which use the job's parts: a job may be
  // dropped without Finish() (its failures are then not counted anywhere).
  ~FileJob();
  FileJob(const FileJob&) = delete;
  FileJob& operator=(const FileJob&) = delete;

  // Submits `path` to the sources SourcesForFile names (nothing for the job's own out_db).
  // With claim_files, only once this worker holds the file's claim: a file stored before is
  // skipped, and one another worker holds is asked for again (RetryWaitingFiles) until it is
  // stored or its holder is gone. Thread-safe.
  void SubmitFile(const std::string& path);
  // Asks again for the files other workers held; returns how many still wait.
  size_t RetryWaitingFiles();
  // Submits run `run` (1-based) of timer trigger `timer` to every source it feeds.
  void SubmitTimerRun(const PartSpec& timer, int run);

  // Every file of `files`, then, with `with_timers`, every run of every timer trigger (none
  // may be unlimited); returns when the pipeline is idle.
  void RunOnce(const std::vector<std::string>& files, bool with_timers);
  // Submits the files dropped in `dir` and fires the timer triggers, until nothing has
  // happened for `idle_timeout` or Stop() is called; then drains.
  void Watch(const std::string& dir, std::chrono::milliseconds idle_timeout);
  // Ends Watch (from any thread, a signal handler's thread say) after what is queued.
  void Stop();
  // Waits until every message has settled and its CSV files are in place or removed, and
  // stores the rejection records queued beside them; a record that could not be stored is a
  // failure in log(). Call after RunOnce or Watch; a second call does nothing.
  void Finish();

  const PipelineSpec& spec() const { return spec_; }
  // "run-<UTC stamp>-<pid>" ("-<n>" added for the n-th later job of the process): names this
  // run in the metric tables, whose rows of one run a later run must not replace.
  const std::string& run_id() const { return run_id_; }
  const MessageLog& log() const { return log_; }
  const Pipeline& pipeline() const { return *pipeline_; }
  // The metric parts by node name, in file order: their results after the run.
  const std::vector<std::pair<std::string, MetricHandler*>>& metrics() const { return metrics_; }
  // The folder of every csv sink.
  const std::vector<std::string>& csv_folders() const { return csv_folders_; }
  // The rows in each table the job's sqlite sinks store (file order), then rejected_events.
  std::vector<std::pair<std::string, int64_t>> StoredRows() const;

 private:
  FileJob() = default;
  // The follow-up of a message of batch `batch`: the CSV files it left waiting appear when
  // every branch of the message committed, and are removed otherwise. Null without such sinks.
  MessageLog::FollowUp PublishCsvFiles(const std::string& batch) const;
  // claim_files: whether this worker now holds the file; a file held elsewhere (or whose
  // claim failed) is put among the waiting ones.
  bool Claimed(const std::string& path, const std::string& sha);
  // SubmitFile once the content hash and the sources the file feeds are known.
  void SubmitContent(const std::string& path, const std::string& sha,
                     const std::vector<std::string>& sources);
  // Puts `path` among the files asked for again.
  void Wait(const std::string& path, const std::string& sha);
  class ClaimSettle;
  // The RejectionLog's tracker: a rejected row of a claimed file's batch holds the file's
  // record in gym_files back until the rejection is stored.
  std::function<void(const absl::Status&)> TrackRejection(const std::string& batch);

  // Destroyed in reverse, after ~FileJob has stopped the pipeline and waited for the log: the
  // writer's destructor drains its queue and runs the done callbacks of rejection records,
  // which count failures in rejections_.
  std::unique_ptr<RejectionLog> rejections_;
  std::shared_ptr<GroupCommitWriter> writer_;  // outlives the pipeline's sinks
  MessageLog log_;
  FileJobOptions options_;
  PipelineSpec spec_;
  std::string run_id_;
  std::unique_ptr<Pipeline> pipeline_;
  std::vector<std::pair<std::string, MetricHandler*>> metrics_;  // owned by the pipeline
  std::vector<SaveCsvHandler*> csv_when_committed_;              // owned by the pipeline
  std::vector<std::string> csv_folders_;
  bool finished_ = false;
  // claim_files: this worker's claims, and the files other workers held (path -> content).
  std::unique_ptr<FileClaims> claims_;
  struct Waiting {
    std::string sha;  // the content hash it had
    std::optional<std::pair<uintmax_t, int64_t>> version;  // size and mtime when it had it
  };
  std::mutex waiting_mu_;
  std::map<std::string, Waiting> waiting_;
  // claim_files: the batch ids of the files being stored -> their claims' way out.
  std::mutex settles_mu_;
  std::map<std::string, std::weak_ptr<ClaimSettle>> settles_;
  // claim_files: where the claims record and let go of files. Last: destroyed (drained) first.
  std::unique_ptr<SerialThread> claims_thread_;
};

}  // namespace gym

#endif  // GYM_JOBS_FILE_JOB_H_
