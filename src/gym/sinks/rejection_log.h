// RejectionLog: where a file job (`gym run`) keeps the rows its handlers reject, the
// rejected_events table of its output database. A rejected row is stored there and nowhere else
// (see TransactionCheckHandler for how the DAG keeps it out of every other table); its record
// names the node, the reason and the row itself. event_id is the table's unique key, like in
// every table, so a file processed twice records its rejected rows once.
//
//   RejectionLog rejections(writer);
//   b.Add("risk", std::make_unique<RiskHandler>(model, rejections.Reporter()), ...);
//   ... writer.Flush();  rejections.failures() == 0
#ifndef GYM_SINKS_REJECTION_LOG_H_
#define GYM_SINKS_REJECTION_LOG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "absl/status/status.h"

#include "gym/pipeline/row_error.h"
#include "gym/sinks/rejected_events.h"
#include "gym/storage/group_commit_writer.h"

namespace gym {

class RejectionLog final {
 public:
  // REQUIRES: `writer` outlives this log and every reporter it hands out.
  explicit RejectionLog(GroupCommitWriter& writer) : writer_(writer) {}

  // Queues each reported row for rejected_events. Thread-safe.
  RowErrorReporter Reporter();

  // Told of each record as it is queued, by the batch_id of its row: what it returns (when not
  // null) is called once the record has committed or failed. A file job uses it to record a
  // file as stored only after the rows it rejected are stored too. Set before any report.
  using Tracker = std::function<std::function<void(const absl::Status&)>(const std::string& batch_id)>;
  void SetTracker(Tracker tracker) { tracker_ = std::move(tracker); }

  uint64_t rows() const { return rows_.load(); }
  // Records that could not be written (after writer.Flush(), all of them), and the first why.
  uint64_t failures() const { return failures_.load(); }
  std::string first_failure() const;

 private:
  void Record(const RowError& error);

  GroupCommitWriter& writer_;
  Tracker tracker_;
  std::atomic<uint64_t> rows_{0};
  std::atomic<uint64_t> failures_{0};
  mutable std::mutex mu_;
  std::string first_failure_;
};

}  // namespace gym

#endif  // GYM_SINKS_REJECTION_LOG_H_
