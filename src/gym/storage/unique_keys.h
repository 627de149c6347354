// UniqueKeys: "stored once" for the string unique keys of tables that only grow, kept in a
// KeyIndex per table (key_index.h) instead of a UNIQUE index inside the database. One per
// writer connection, used inside that connection's write transactions (SqliteTableWriter).
//
// The index is derived from the table, never the other way round:
// - keys enter it only after COMMIT (Committed); a savepoint rolled back drops the keys its
//   rows had (RollbackTo);
// - at a table's first use in each transaction, under BEGIN IMMEDIATE's write lock, the rows
//   past the last one indexed are read and indexed: rows another process committed, or a
//   commit whose outcome this process did not learn. At a process's first use that is every
//   row: the index lives as long as the writer, and a crash loses nothing it cannot rebuild;
// - a table whose last rowid went below the last one indexed (rows deleted from its end, a
//   file restored) is indexed anew;
// - a hash is a hint: a row counts as a duplicate only when the row the index names holds
//   the same key, so a stale entry or a hash collision never drops an event.
// Rows deleted by hand from the middle of a table leave stale entries, which the check above
// makes harmless. A table whose rows gym itself deletes (rejected_events) keeps SQLite's
// UNIQUE index instead (TableOptions::UniqueIndex::kSqlite).
#ifndef GYM_STORAGE_UNIQUE_KEYS_H_
#define GYM_STORAGE_UNIQUE_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/storage/key_index.h"
#include "gym/storage/sqlite_connection.h"

namespace gym {

class UniqueKeys final {
 public:
  // REQUIRES: `db` outlives this object. Run files go beside the database file.
  explicit UniqueKeys(SqliteConnection& db);
  ~UniqueKeys();

  struct Table;
  // What Classify found in a column of keys.
  struct Split {
    Table* table = nullptr;
    std::vector<size_t> fresh;      // rows to insert, in order: new keys and NULL keys
    std::vector<uint64_t> hashes;   // per fresh row: its key's hash
    std::vector<uint8_t> has_key;   // per fresh row: 0 for a NULL key, which is not indexed
    int64_t duplicates = 0;         // stored already, or repeated in the column
  };
  // Sorts `keys` (a string column) of rows bound for `table`. REQUIRES: a write transaction;
  // identifiers validated; `table` exists with a column `key`.
  [[nodiscard]] absl::StatusOr<Split> Classify(const std::string& table, const std::string& key,
                                               const Column& keys);
  // Fresh rows [first, first + count) of `split` were inserted by one statement, the last at
  // `last_rowid` (a statement's rows take consecutive rowids).
  void Inserted(const Split& split, size_t first, size_t count, int64_t last_rowid);
  // The rows of `keys` whose key is not stored in `table` (committed, or written by the open
  // transaction). REQUIRES: as Classify.
  [[nodiscard]] absl::StatusOr<std::vector<size_t>> RowsAbsent(const std::string& table,
                                                               const std::string& key,
                                                               const Column& keys);

  // The transaction's hooks. Mark/RollbackTo bracket a savepoint.
  size_t Mark() const { return log_.size(); }
  void RollbackTo(size_t mark);
  void Committed();
  void RolledBack();

 private:
  struct Pending {
    Table* table;
    uint64_t hash;
    int64_t rowid;
  };

  [[nodiscard]] absl::StatusOr<Table*> Current(const std::string& table, const std::string& key);
  [[nodiscard]] absl::Status CatchUp(Table& t, int64_t last_rowid);
  // True when `key` (hash `hash`) is stored in t's table or pending in this transaction.
  [[nodiscard]] absl::StatusOr<bool> IsStored(Table& t, uint64_t hash, std::string_view key);

  SqliteConnection& db_;
  std::string run_dir_;
  std::map<std::string, std::unique_ptr<Table>> tables_;  // by lower-case table name
  std::vector<Pending> log_;  // rows written by the open transaction, in order
  uint64_t transaction_ = 1;  // counts transactions ended, so catch-ups run once per one
  std::vector<int64_t> candidates_;
};

}  // namespace gym

#endif  // GYM_STORAGE_UNIQUE_KEYS_H_
