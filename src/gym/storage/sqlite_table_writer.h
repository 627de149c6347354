// SqliteTableWriter: appends Frames to tables of one connection, creating and extending the
// tables as needed. The group-commit writer and the synchronous WriteSqliteTable (below) use it;
// the caller owns the transaction.
//
// Schema rules:
// - A table seen for the first time is created from the Frame's schema (int64 -> INTEGER,
//   double -> REAL, string -> TEXT) with CREATE TABLE IF NOT EXISTS.
// - A Frame with a column the table lacks adds it (ALTER TABLE ADD COLUMN, nullable), so a
//   producer may grow its schema without a migration step; a table column the Frame lacks is
//   stored as NULL (or its default). We never drop or retype a column.
// - With a unique key, rows whose key is already stored (or repeated in the frame) are skipped
//   and counted as ignored. A string key of a table that only grows is kept unique by gym's
//   key index (unique_keys.h); otherwise a UNIQUE index is created and rows go in with
//   ON CONFLICT(key) DO NOTHING. Neither swallows NOT NULL or CHECK violations, which stay
//   errors.
// - The writer must hear how each transaction ends (Committed, RolledBack, and RolledBackTo
//   for a savepoint), so that the key index learns only what was committed.
// Every value is bound as a parameter; every identifier is validated and quoted.
#ifndef GYM_STORAGE_SQLITE_TABLE_WRITER_H_
#define GYM_STORAGE_SQLITE_TABLE_WRITER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/storage/key_exclusion.h"
#include "gym/storage/table_options.h"
#include "gym/storage/sqlite_connection.h"
#include "gym/storage/unique_keys.h"

namespace gym {

class SqliteTableWriter final {
 public:
  // REQUIRES: `db` outlives this writer.
  explicit SqliteTableWriter(SqliteConnection& db) : db_(db), exclusion_(db), keys_(db) {}

  // Inserts every row of `frame` into `options.table`. REQUIRES: an open transaction (or a
  // savepoint) the caller rolls back when this fails, since a failure may leave some rows in.
  [[nodiscard]] absl::StatusOr<WriteResult> Insert(const TableOptions& options, const Frame& frame);

  // Forgets what it knows of the schema: call after any ROLLBACK, which may have undone a
  // CREATE or ALTER this writer remembers.
  void InvalidateSchemaCache();

  // How the transaction went. Mark before a savepoint; RolledBackTo after ROLLBACK TO it.
  size_t SavepointMark() const { return keys_.Mark(); }
  void RolledBackTo(size_t mark);
  void Committed() { keys_.Committed(); }
  // After a ROLLBACK, or a COMMIT that failed.
  void RolledBack();

 private:
  // TableOptions::replace_where: deletes the rows the written ones replace.
  absl::Status DeleteWhere(const TableOptions& options);
  struct KnownTable {
    std::set<std::string> columns;      // lower case: SQLite names are case-insensitive
    std::set<std::string> unique_keys;  // lower case, with their index ensured
    std::set<std::string> key_indexed;  // lower case: kept unique by keys_, not by SQLite
    bool has_primary_key = false;       // then keys_ cannot name rows by rowid
  };
  // True when `key` of `table` is kept unique by keys_ (REQUIRES: EnsureTable ran).
  bool KeyIndexed(const TableOptions& options) const;
  // Whether another table's key is kept by keys_: it exists without gym's UNIQUE index.
  [[nodiscard]] absl::StatusOr<bool> OtherKeyIndexed(const std::string& table,
                                                     const std::string& key);
  [[nodiscard]] absl::StatusOr<bool> IndexExists(const std::string& name);

  // Insert without the key-exclusion options.
  [[nodiscard]] absl::StatusOr<WriteResult> InsertRows(const TableOptions& options,
                                                       const Frame& frame);
  [[nodiscard]] absl::Status EnsureTable(const TableOptions& options, const Frame& frame);
  [[nodiscard]] absl::Status CreateOrLoad(const TableOptions& options, const Frame& frame,
                                          KnownTable& known);
  // INSERT of `rows` rows per statement (a multi-row VALUES list).
  [[nodiscard]] absl::StatusOr<SqliteStatement*> InsertStatement(const TableOptions& options,
                                                                 const Frame& frame, size_t rows);

  SqliteConnection& db_;
  KeyExclusion exclusion_;
  UniqueKeys keys_;
  std::map<std::string, bool> other_key_indexed_;  // OtherKeyIndexed's answers
  // Every table this writer has created or checked, by lower-case name.
  std::map<std::string, KnownTable> known_tables_;
  // Keyed by rows per statement, table, unique key and column list.
  std::map<std::string, SqliteStatement> insert_statements_;
};

// Synchronous convenience: opens (creating) the database, creates or extends the table and
// inserts every row in one transaction. Nothing is written when it fails.
[[nodiscard]] absl::Status WriteSqliteTable(const std::string& db_path, const TableOptions& table,
                                            const Frame& frame);

}  // namespace gym

#endif  // GYM_STORAGE_SQLITE_TABLE_WRITER_H_
