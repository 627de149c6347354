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
// - With a unique key, a UNIQUE index on it is created and rows whose key is already stored
//   are skipped (ON CONFLICT(key) DO NOTHING) and counted as ignored. Unlike INSERT OR IGNORE,
//   this does not also swallow NOT NULL or CHECK violations, which stay errors.
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

namespace gym {

class SqliteTableWriter final {
 public:
  // REQUIRES: `db` outlives this writer.
  explicit SqliteTableWriter(SqliteConnection& db) : db_(db), exclusion_(db) {}

  // Inserts every row of `frame` into `options.table`. REQUIRES: an open transaction (or a
  // savepoint) the caller rolls back when this fails, since a failure may leave some rows in.
  [[nodiscard]] absl::StatusOr<WriteResult> Insert(const TableOptions& options, const Frame& frame);

  // Forgets what it knows of the schema: call after any ROLLBACK, which may have undone a
  // CREATE or ALTER this writer remembers.
  void InvalidateSchemaCache();

 private:
  // TableOptions::replace_where: deletes the rows the written ones replace.
  absl::Status DeleteWhere(const TableOptions& options);
  struct KnownTable {
    std::set<std::string> columns;      // lower case: SQLite names are case-insensitive
    std::set<std::string> unique_keys;  // lower case, with their index ensured
  };

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
