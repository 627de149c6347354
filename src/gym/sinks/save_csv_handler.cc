// One time-stamped CSV file per frame, put in place without replacing anything.
#include "gym/sinks/save_csv_handler.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <utility>

#include "fmt/format.h"
#include "gym/domain/dates.h"
#include "gym/sinks/csv_sink.h"
#include "gym/sinks/file_publish.h"

namespace gym {
namespace fs = std::filesystem;

namespace {

// A file that could not be written, as the handler's status: a missing or forbidden place
// must be fixed first (FAILED_PRECONDITION); a failed write or rename may succeed later
// (UNAVAILABLE). The message, which names the file, stays.
absl::Status WriteFailure(const absl::Status& status) {
  if (absl::IsNotFound(status) || absl::IsPermissionDenied(status)) {
    return absl::FailedPreconditionError(status.message());
  }
  if (absl::IsInternal(status)) return absl::UnavailableError(status.message());
  return status;
}

}  // namespace

SaveCsvHandler::SaveCsvHandler(std::string folder, std::string prefix, Publish publish)
    : folder_(std::move(folder)), prefix_(std::move(prefix)), publish_(publish) {}

SaveCsvHandler::~SaveCsvHandler() {
  std::error_code ignored;
  for (const auto& [batch, files] : waiting_) {
    for (const Waiting& file : files) fs::remove(file.temp_path, ignored);
  }
}

absl::StatusOr<Frame> SaveCsvHandler::Handle(Frame input) {
  std::string batch;
  if (publish_ == Publish::kWhenCommitted) {
    if (input.num_rows() == 0 || !input.HasColumn("batch_id")) return input;
    batch = ValueToString(input.column("batch_id").At(0));
  }
  std::error_code error;
  fs::create_directories(folder_, error);
  if (error) {
    return absl::FailedPreconditionError(
        fmt::format("{}: cannot create the folder: {}", folder_, error.message()));
  }
  const uint64_t seq = next_seq_.fetch_add(1);
  // Hidden, and unique to this process and file: nothing reads it as a result.
  const std::string temp_path =
      (fs::path(folder_) / fmt::format(".{}_{}_{:06}.csv.pending", prefix_, ::getpid(), seq))
          .string();
  if (absl::Status written = WriteCsvFile(input, temp_path); !written.ok()) {
    return WriteFailure(written);
  }
  if (publish_ == Publish::kWhenCommitted) {
    std::lock_guard<std::mutex> lock(mu_);
    waiting_[batch].push_back(Waiting{seq, temp_path});
    return input;
  }
  if (absl::StatusOr<std::string> path = PutInPlace(seq, temp_path); !path.ok()) {
    fs::remove(temp_path, error);
    return WriteFailure(path.status());
  }
  return input;
}

absl::StatusOr<std::string> SaveCsvHandler::PutInPlace(uint64_t seq, const std::string& temp_path) {
  const std::string stamp = UtcStamp(std::chrono::system_clock::now());
  absl::StatusOr<std::string> path = PublishUnderFreeName(
      temp_path,
      [&](uint64_t n) {
        return (fs::path(folder_) / fmt::format("{}_{}_{:06}.csv", prefix_, stamp, n)).string();
      },
      seq);
  if (!path.ok()) return path.status();
  std::lock_guard<std::mutex> lock(mu_);
  written_.emplace_back(seq, *path);
  return path;
}

absl::StatusOr<std::string> SaveCsvHandler::Commit(const std::string& batch_id) {
  Waiting file;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = waiting_.find(batch_id);
    if (it == waiting_.end()) return std::string();
    file = std::move(it->second.front());
    it->second.pop_front();
    if (it->second.empty()) waiting_.erase(it);
  }
  absl::StatusOr<std::string> path = PutInPlace(file.seq, file.temp_path);
  if (!path.ok()) {
    std::error_code ignored;
    fs::remove(file.temp_path, ignored);
  }
  return path;
}

void SaveCsvHandler::Abandon(const std::string& batch_id) {
  std::string temp_path;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = waiting_.find(batch_id);
    if (it == waiting_.end()) return;
    temp_path = std::move(it->second.front().temp_path);
    it->second.pop_front();
    if (it->second.empty()) waiting_.erase(it);
  }
  std::error_code ignored;
  fs::remove(temp_path, ignored);
}

std::vector<std::string> SaveCsvHandler::written() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<uint64_t, std::string>> sorted = written_;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> paths;
  for (auto& [seq, path] : sorted) paths.push_back(std::move(path));
  return paths;
}

PartInfo CsvSinkPart() {
  return {.type = "csv",
          .kind = PartKind::kSink,
          .help = "writes each message to its own time-stamped CSV file in a folder",
          .options = {{.name = "folder",
                       .type = OptionType::kString,
                       .help = "where the files go (created when missing)",
                       .default_value = std::string("results")},
                      {.name = "prefix",
                       .type = OptionType::kString,
                       .help = "file names start with it (empty: the node's name)",
                       .default_value = std::string()},
                      {.name = "publish",
                       .type = OptionType::kString,
                       .help = "at_once, or when_committed: a file appears only once its "
                               "message committed on every branch",
                       .default_value = std::string("at_once"),
                       .choices = {"at_once", "when_committed"}}},
          .make = [](const std::string& node, const PartOptions& o,
                     const PartContext&) -> MadeHandler {
            const std::string& prefix = o.String("prefix");
            return std::make_unique<SaveCsvHandler>(
                o.String("folder"), prefix.empty() ? node : prefix,
                o.String("publish") == "when_committed" ? SaveCsvHandler::Publish::kWhenCommitted
                                                        : SaveCsvHandler::Publish::kAtOnce);
          }};
}

}  // namespace gym
