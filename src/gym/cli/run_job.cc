#include "gym/cli/run_job.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <utility>

#include "fmt/format.h"
#include "gym/domain/dates.h"
#include "gym/frame/text_table.h"
#include "gym/pipeline/pipeline_assembly.h"
#include "gym/sources/file_digest.h"
#include "gym/sources/producer.h"
#include "spdlog/spdlog.h"

namespace gym {
namespace fs = std::filesystem;

absl::StatusOr<RunJob> BuildRunJob(const RunJobOptions& options, PipelineSpec spec,
                                   const PartRegistry& registry,
                                   std::shared_ptr<RiskModelSource> model) {
  RunJob job;
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer =
      GroupCommitWriter::Open(options.will_run ? options.out_db : ":memory:");
  if (!writer.ok()) return writer.status();
  job.writer = *std::move(writer);
  job.rejections = std::make_unique<RejectionLog>(*job.writer);

  PartContext context;
  context.will_run = options.will_run;
  // Unique per run: the rows this run writes to metric tables carry it.
  job.run_id = fmt::format("run-{}-{}", UtcStamp(std::chrono::system_clock::now()), getpid());
  context.run_id = job.run_id;
  context.rejected = job.rejections->Reporter();
  context.Provide(job.writer);
  if (model) context.Provide(std::move(model));
  absl::StatusOr<AssembledPipeline> assembled = AssemblePipeline(spec, registry, context);
  if (!assembled.ok()) return assembled.status();
  job.pipeline = std::move(assembled->pipeline);
  job.metrics = assembled->All<MetricHandler>();
  for (const auto& [name, csv] : assembled->All<SaveCsvHandler>()) {
    job.csv_folders.push_back(csv->folder());
    if (csv->publish() == SaveCsvHandler::Publish::kWhenCommitted) {
      job.csv_when_committed.push_back(csv);
    }
  }
  job.spec = std::move(spec);
  return job;
}

bool HasFilesTrigger(const PipelineSpec& spec) {
  for (const PartSpec* t : spec.OfKind(PartKind::kTrigger)) {
    if (t->type == "files") return true;
  }
  return false;
}

std::vector<std::string> SourcesForFile(const PipelineSpec& spec, const std::string& path) {
  std::vector<std::string> fed;  // by a files trigger; empty feeds: every source with globs
  bool all = false;
  for (const PartSpec* t : spec.OfKind(PartKind::kTrigger)) {
    if (t->type != "files") continue;
    const std::vector<std::string>& feeds = t->options.Strings("feeds");
    if (feeds.empty()) all = true;
    fed.insert(fed.end(), feeds.begin(), feeds.end());
  }
  std::vector<std::string> sources;
  for (const PartSpec* s : spec.OfKind(PartKind::kSource)) {
    const bool is_fed = all || std::find(fed.begin(), fed.end(), s->name) != fed.end();
    if (is_fed && SourceTakesFile(s->options, path)) sources.push_back(s->name);
  }
  return sources;
}

std::string ContentBatchId(const std::string& node, const std::string& content_sha256) {
  // 128 bits: no two different files meet by chance, and event ids stay short.
  return node + ":" + content_sha256.substr(0, 32);
}

Frame RequestFor(const PartSpec& source, const std::string& path,
                 const std::string& content_sha256) {
  Frame request = source.type == "sqlite_table"
                      ? SqliteTableRequest(path, source.options.String("table"))
                      : FileRequest(path);
  request.AddColumn("batch_id", Column::Strings({ContentBatchId(source.name, content_sha256)}));
  return request;
}

std::string FormatNodeSummary(const std::vector<NodeStats>& stats) {
  std::vector<std::string> names;
  std::vector<int64_t> messages, rows_in, errors;
  Column rows_out(DataType::kInt64);
  std::vector<double> ms;
  for (const NodeStats& s : stats) {
    names.push_back(s.name);
    messages.push_back(static_cast<int64_t>(s.messages));
    rows_in.push_back(static_cast<int64_t>(s.rows));
    // A sink produces no rows; its time runs until its commit.
    if (s.sink) {
      rows_out.AppendNull();  // printed "-"
    } else {
      rows_out.AppendInt64(static_cast<int64_t>(s.rows_out));
    }
    errors.push_back(static_cast<int64_t>(s.errors));
    ms.push_back(static_cast<double>(s.busy.count()) / 1e6);
  }
  const Frame table({"node", "messages", "rows in", "rows out", "errors", "time ms"},
                    {Column::Strings(std::move(names)), Column::Ints(std::move(messages)),
                     Column::Ints(std::move(rows_in)), std::move(rows_out),
                     Column::Ints(std::move(errors)), Column::Doubles(std::move(ms))});
  return FormatTextTable(table, {.decimals = 1});
}

// The follow-up of a message: the CSV files it left waiting appear only when every branch of
// the message committed, and are removed otherwise.
MessageLog::FollowUp PublishCsvFiles(std::vector<SaveCsvHandler*> sinks, const std::string& batch) {
  if (sinks.empty()) return nullptr;
  return [sinks = std::move(sinks), batch](const absl::Status& s) -> absl::Status {
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

void SubmitFile(RunJob& job, const std::string& path, const std::string& out_db, MessageLog& log) {
  std::error_code ec;
  if (fs::equivalent(path, out_db, ec)) return;  // our own output, in a watched folder
  const std::vector<std::string> sources = SourcesForFile(job.spec, path);
  if (sources.empty()) return;
  // The content, not the name, is the file's identity (see RequestFor).
  absl::StatusOr<std::string> sha = FileSha256Hex(path);
  if (!sha.ok()) {
    log.Fail(sha.status(), path);
    return;
  }
  for (const std::string& source : sources) {
    const std::string batch = ContentBatchId(source, *sha);
    spdlog::info("{} -> {} (batch {})", path, source, batch);
    log.Track(job.pipeline->Submit(source, RequestFor(*job.spec.Find(source), path, *sha)),
              source + " " + path, PublishCsvFiles(job.csv_when_committed, batch));
  }
}

// The input files of --data, in name order; an error message when there are none. Listed
// before the job opens its output database, which may live in the same folder.
absl::StatusOr<std::vector<std::string>> ListInputs(const PipelineSpec& spec,
                                                    const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && !SourcesForFile(spec, it->path().string()).empty()) {
      files.push_back(it->path().string());
    }
  }
  if (ec) return absl::NotFoundError("cannot read " + dir + ": " + ec.message());
  if (files.empty()) {
    std::string globs;
    for (const PartSpec* source : spec.OfKind(PartKind::kSource)) {
      if (!source->options.Has("match")) continue;
      for (const std::string& g : source->options.Strings("match")) {
        if (globs.find(g) == std::string::npos) globs += (globs.empty() ? "" : " ") + g;
      }
    }
    return absl::NotFoundError("no input in " + dir + " (" + spec.file + " takes " +
                               (globs.empty() ? "no files" : globs) + "; try `gym gen all --out " +
                               dir + "`)");
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace gym
