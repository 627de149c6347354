// The PostgreSQL backend of GroupCommitWriter: the store that several `gym serve` replicas
// share.
//
// Each group is one transaction with synchronous_commit on; its `done` callbacks run only
// after COMMIT returns. The group's rows are merged per table, sorted by the unique key (so
// two replicas writing the same rows in different orders take their row locks in one order
// and do not deadlock), and written by one statement per table:
//
//   INSERT INTO t (c1, c2, ...) SELECT * FROM unnest($1::bigint[], $2::text[], ...)
//   ON CONFLICT (event_id) DO NOTHING RETURNING event_id
//
// RETURNING says which keys this group stored, so every item is told exactly how many of its
// rows it inserted and how many were already there. A statement an item's data breaks (a
// value its column cannot take) is run again item by item, each in a savepoint, so that item
// fails alone. Deadlocks and serialization failures are retried; a lost connection fails the
// group with UNAVAILABLE (a retry with the same ids is safe) and the next group reconnects.
// Tables are created when absent, and columns added, under an advisory lock, so replicas
// that start together do not race; `gym_schema` carries the layout's version.
#ifndef GYM_STORAGE_PG_COMMIT_BACKEND_H_
#define GYM_STORAGE_PG_COMMIT_BACKEND_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gym/storage/commit_backend.h"

namespace gym {

// Whether `db` names a PostgreSQL database (a `postgresql://` or `postgres://` URI, or
// libpq key=value settings such as `host=... dbname=...`) rather than a SQLite file.
bool IsPostgresTarget(std::string_view db);

// `conninfo` fit for a log line: any password replaced by `***`.
std::string RedactConninfo(std::string_view conninfo);

// `conninfo` with `connect_timeout` set to `seconds` unless it sets one: without it, libpq
// waits out the operating system's TCP timeout (minutes) for a host that drops packets, and
// every group (or claim) behind that connection waits with it.
std::string WithConnectTimeout(std::string_view conninfo, int seconds = 5);

struct PostgresOptions {
  // How long a statement waits for a lock another session holds (lock_timeout); past it the
  // group fails with UNAVAILABLE.
  std::chrono::milliseconds busy_timeout{5000};
  // Times a group that hit a deadlock or a serialization failure is run again.
  int conflict_retries = 8;
};

// Connects to `conninfo` and sets the schema up (gym_schema). UNAVAILABLE when the server
// cannot be reached; FAILED_PRECONDITION when its schema is newer than this gym's.
[[nodiscard]] absl::StatusOr<std::unique_ptr<CommitBackend>> OpenPostgresBackend(
    const std::string& conninfo, PostgresOptions options = {});

}  // namespace gym

#endif  // GYM_STORAGE_PG_COMMIT_BACKEND_H_
