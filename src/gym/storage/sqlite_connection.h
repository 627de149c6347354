// A thin RAII layer over the sqlite3 C API, shared by the SQLite source and sink and by any
// tool that reads or writes a gym database (gym report, gym gen).
//
// Every failure is an absl::Status carrying SQLite's own message plus what we were doing
// (the path, the SQL). Identifiers (table and column names) cannot be bound as parameters,
// so they go through ValidateIdentifier and QuoteIdentifier before they reach any SQL text.
//
//   auto db = SqliteConnection::Open("gym.db", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
//   auto stmt = db->Prepare("SELECT nome FROM clients WHERE id = ?1");
//   stmt->Bind(1, Value{int64_t{7}});
//   while (*stmt->Step()) Use(stmt->ColumnText(0));
#ifndef GYM_STORAGE_SQLITE_CONNECTION_H_
#define GYM_STORAGE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/value.h"
#include "gym/storage/identifiers.h"

namespace gym {

// Maps a SQLite result code to the closest absl status code (BUSY -> UNAVAILABLE,
// CONSTRAINT -> FAILED_PRECONDITION, FULL -> RESOURCE_EXHAUSTED, ...).
absl::StatusCode SqliteCodeToStatusCode(int sqlite_code);

// A prepared statement. Move-only; finalized on destruction.
class SqliteStatement final {
 public:
  SqliteStatement() = default;
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Binds parameter `index` (1-based) to a copy of `value`; null binds SQL NULL.
  [[nodiscard]] absl::Status Bind(int index, const Value& value);
  // Fast binds for hot loops. Text is NOT copied: it must stay alive until the next
  // Step/Reset. Result codes are left to Step, which reports a bad bind as its error.
  void BindInt64(int index, int64_t v) { sqlite3_bind_int64(stmt_, index, v); }
  void BindDouble(int index, double v) { sqlite3_bind_double(stmt_, index, v); }
  void BindTextNoCopy(int index, std::string_view v) {
    sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }

  // Runs one step: true when a row is available, false when the statement is done.
  [[nodiscard]] absl::StatusOr<bool> Step();
  // Makes the statement ready to run again (bindings are kept).
  void Reset() { sqlite3_reset(stmt_); }
  // Unbinds every parameter (so no pointer to the caller's text stays behind).
  void ClearBindings() { sqlite3_clear_bindings(stmt_); }

  int ColumnCount() const { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int i) const;
  // The declared type of a result column ("" for expressions).
  std::string ColumnDeclType(int i) const;
  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
  int ColumnType(int i) const { return sqlite3_column_type(stmt_, i); }
  bool ColumnIsNull(int i) const { return ColumnType(i) == SQLITE_NULL; }
  int64_t ColumnInt64(int i) const { return sqlite3_column_int64(stmt_, i); }
  double ColumnDouble(int i) const { return sqlite3_column_double(stmt_, i); }
  // Valid until the next Step/Reset.
  std::string_view ColumnText(int i) const;
  // The cell as a Value: integer -> int64, real -> double, text or blob -> string.
  Value ColumnValue(int i) const;

  std::string sql() const;
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  friend class SqliteConnection;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  sqlite3_stmt* stmt_ = nullptr;
};

// One database connection. Move-only; closed on destruction. Not thread-safe: use it from
// one thread at a time.
class SqliteConnection final {
 public:
  // Opens `path` with SQLITE_OPEN_* `flags` (SQLITE_OPEN_READONLY, or READWRITE [| CREATE]).
  // A missing file opened without SQLITE_OPEN_CREATE is NOT_FOUND naming the path.
  [[nodiscard]] static absl::StatusOr<SqliteConnection> Open(const std::string& path, int flags);

  SqliteConnection(SqliteConnection&& other) noexcept;
  SqliteConnection& operator=(SqliteConnection&& other) noexcept;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  // Runs one or more statements that return no rows we need.
  [[nodiscard]] absl::Status Exec(std::string_view sql);
  // Runs one statement that returns no rows, prepared on first use and kept while the
  // connection lives. For what a writer runs per batch (BEGIN, SAVEPOINT, RELEASE, COMMIT):
  // Exec would parse the SQL again every time, which cost a writer a third of its speed.
  [[nodiscard]] absl::Status ExecCached(const std::string& sql);
  [[nodiscard]] absl::StatusOr<SqliteStatement> Prepare(std::string_view sql);
  [[nodiscard]] absl::Status SetBusyTimeout(std::chrono::milliseconds timeout);
  // True when a table or view of that name exists.
  [[nodiscard]] absl::StatusOr<bool> TableExists(std::string_view table);

  // The status for the connection's last error: SQLite's message prefixed by `context`.
  absl::Status LastError(std::string_view context) const;
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // The rowid of the last row inserted (a multi-row INSERT's rows take consecutive rowids).
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  // True outside any explicit transaction (SQLite rolled one back on its own, for instance).
  bool InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }
  const std::string& path() const { return path_; }
  sqlite3* raw() const { return db_; }

 private:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
  // Finalized after the destructor's sqlite3_close_v2, which waits for them.
  std::unordered_map<std::string, SqliteStatement> cached_;
};

// Opens (creating) `path` for writing the way every gym writer does: journal_mode=WAL,
// synchronous=NORMAL (FULL when asked) and a busy timeout for competing writers.
[[nodiscard]] absl::StatusOr<SqliteConnection> OpenForWriting(
    const std::string& path, bool synchronous_full = false,
    std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(5000));

// BEGIN on construction (via Begin), ROLLBACK on destruction unless Commit succeeded.
class SqliteTransaction final {
 public:
  enum class Mode { kDeferred, kImmediate, kExclusive };
  [[nodiscard]] static absl::StatusOr<SqliteTransaction> Begin(SqliteConnection& db,
                                                               Mode mode = Mode::kImmediate);

  SqliteTransaction(SqliteTransaction&& other) noexcept;
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  // COMMIT. On failure the transaction is rolled back and the error returned.
  [[nodiscard]] absl::Status Commit();
  // ROLLBACK now (idempotent).
  void Rollback();

 private:
  explicit SqliteTransaction(SqliteConnection* db) : db_(db) {}
  SqliteConnection* db_;  // null once committed or rolled back
};

}  // namespace gym

#endif  // GYM_STORAGE_SQLITE_CONNECTION_H_
