// CommitBackend: the database a GroupCommitWriter commits its groups to.
//
// The writer owns the queue, the threads and the order of callbacks; a backend owns one
// connection and knows how to write a group of items in one transaction on it. SQLite
// (sqlite_commit_backend.h) is the embedded default; PostgreSQL (pg_commit_backend.h) is the
// store several `gym serve` replicas share. Every call comes from one thread at a time (the
// writer's), so a backend needs no locks of its own.
#ifndef GYM_STORAGE_COMMIT_BACKEND_H_
#define GYM_STORAGE_COMMIT_BACKEND_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/storage/table_options.h"

namespace gym {

// One Write or WriteAll: its parts are committed together or not at all.
using WriteParts = std::vector<std::pair<TableOptions, Frame>>;

class CommitBackend {
 public:
  virtual ~CommitBackend() = default;

  // Writes every item of `items` in one transaction. An item whose own data or schema is at
  // fault (INVALID_ARGUMENT, FAILED_PRECONDITION) fails alone: its status goes in
  // `statuses[i]` and nothing of it is written, while the others commit. Any other failure
  // (unreachable, locked, full, I/O) is the group's: returned, and nothing was committed.
  // REQUIRES: statuses and results have one OK / empty entry per item.
  [[nodiscard]] virtual absl::Status CommitGroup(const std::vector<const WriteParts*>& items,
                                                 std::vector<absl::Status>& statuses,
                                                 std::vector<WriteResult>& results) = 0;
  // Rows in `table` now; 0 when it does not exist.
  [[nodiscard]] virtual absl::StatusOr<int64_t> CountRows(const std::string& table) = 0;
  // Names the database in log lines ("SQLite gym.db", "PostgreSQL host:port/db").
  virtual std::string Describe() const = 0;
};

// Errors that concern one item's data or schema; anything else (busy, full, I/O,
// unreachable) concerns the whole transaction.
inline bool IsItemLevel(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kFailedPrecondition;
}

}  // namespace gym

#endif  // GYM_STORAGE_COMMIT_BACKEND_H_
