// SaveCsvHandler: writes each frame it receives to its own time-stamped CSV file in a results
// folder (the seed's SaveToCSVHandler), and passes the frame on unchanged.
//
// Files are named <prefix>_<UTC yyyymmddThhmmss>_<seq>.csv. A file is written under a hidden
// temporary name and then renamed to that name without ever replacing a file already there:
// when the name is taken (another run in the same second) the next sequence number is used.
//
// A CSV beside a database must not claim data the database did not take. With
// Publish::kWhenCommitted the file stays under its hidden name until the caller, once the
// message's other branches have committed, calls Commit(batch_id); Abandon(batch_id) removes
// it instead, and so does the destructor for any file never committed.
//
//   builder.Add("save_csv", std::make_unique<SaveCsvHandler>("results", "risk"), {...});
#ifndef GYM_SINKS_SAVE_CSV_HANDLER_H_
#define GYM_SINKS_SAVE_CSV_HANDLER_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"

namespace gym {

class SaveCsvHandler final : public Handler {
 public:
  enum class Publish { kAtOnce, kWhenCommitted };

  // The folder is created on the first write when missing.
  SaveCsvHandler(std::string folder, std::string prefix, Publish publish = Publish::kAtOnce);
  ~SaveCsvHandler() override;  // removes the files never committed
  SaveCsvHandler(const SaveCsvHandler&) = delete;
  SaveCsvHandler& operator=(const SaveCsvHandler&) = delete;

  // Returns the frame, or a status naming the folder or file when it cannot be written:
  // FAILED_PRECONDITION when the folder cannot be made or may not be written to, UNAVAILABLE
  // when writing or renaming the file failed (a full disk, an I/O error: a later message may
  // succeed). Under kWhenCommitted the file waits under the frame's batch id (its `batch_id`
  // column); a frame without rows has no batch and writes no file.
  absl::StatusOr<Frame> Handle(Frame input) override;

  // kWhenCommitted: puts the oldest waiting file of `batch_id` in place and returns its path
  // ("" when none waits). Thread-safe.
  absl::StatusOr<std::string> Commit(const std::string& batch_id);
  // kWhenCommitted: removes the oldest waiting file of `batch_id`. Thread-safe.
  void Abandon(const std::string& batch_id);

  Publish publish() const { return publish_; }
  const std::string& folder() const { return folder_; }
  // Paths put in place so far, in order of their sequence number. Thread-safe.
  std::vector<std::string> written() const;

 private:
  struct Waiting {
    uint64_t seq;
    std::string temp_path;
  };
  // Renames `temp_path` to a free final name and records it.
  absl::StatusOr<std::string> PutInPlace(uint64_t seq, const std::string& temp_path);

  const std::string folder_;
  const std::string prefix_;
  const Publish publish_;
  std::atomic<uint64_t> next_seq_{0};
  mutable std::mutex mu_;
  std::vector<std::pair<uint64_t, std::string>> written_;  // (seq, path)
  std::map<std::string, std::deque<Waiting>> waiting_;     // by batch id
};

// The `csv` sink of pipeline files: a SaveCsvHandler per node.
PartInfo CsvSinkPart();

}  // namespace gym

#endif  // GYM_SINKS_SAVE_CSV_HANDLER_H_
