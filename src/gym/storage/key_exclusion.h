// KeyExclusion: keeps a unique key in at most one of two tables of a connection.
//
// The ingestion server stores an event either in its type's table or, when it was refused, in
// rejected_events; never in both. A refused retry of an event already stored is not recorded
// as refused (its key is found in the table), and an accepted retry of an event refused
// earlier removes the refusal in the same transaction. Both look-ups are per row, so the
// writer skips the eviction while the other table is known to be empty: the common case of a
// server that has refused nothing pays one map look-up per write.
//
//   KeyExclusion exclusion(db);
//   auto rows = exclusion.RowsAbsentFrom("transactions", "event_id", rejected);  // keep these
//   exclusion.Evict("rejected_events", "event_id", accepted);                   // after insert
#ifndef GYM_STORAGE_KEY_EXCLUSION_H_
#define GYM_STORAGE_KEY_EXCLUSION_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/storage/sqlite_connection.h"

namespace gym {

class KeyExclusion final {
 public:
  // REQUIRES: `db` outlives this object; it is used from one thread at a time.
  explicit KeyExclusion(SqliteConnection& db) : db_(db) {}

  // The rows of `frame` whose `key` (a string column) is not stored in `table`; every row when
  // the table does not exist. REQUIRES: identifiers already validated.
  [[nodiscard]] absl::StatusOr<std::vector<size_t>> RowsAbsentFrom(const std::string& table,
                                                                   const std::string& key,
                                                                   const Frame& frame);
  // Deletes from `table` every row whose `key` is one of `frame`'s keys. Returns the rows
  // deleted.
  [[nodiscard]] absl::StatusOr<int64_t> Evict(const std::string& table, const std::string& key,
                                              const Frame& frame);
  // `table` may hold rows now (a write into it committed or is about to).
  void NoteWritten(const std::string& table);
  // Forgets what it knows: call after a ROLLBACK.
  void Invalidate();

 private:
  [[nodiscard]] absl::StatusOr<bool> MayHoldRows(const std::string& table);
  [[nodiscard]] absl::StatusOr<SqliteStatement*> Statement(const std::string& sql);

  SqliteConnection& db_;
  std::map<std::string, bool> may_hold_rows_;  // by lower-case table name
  std::map<std::string, SqliteStatement> statements_;
};

}  // namespace gym

#endif  // GYM_STORAGE_KEY_EXCLUSION_H_
