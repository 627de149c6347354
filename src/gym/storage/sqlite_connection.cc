// RAII wrappers over sqlite3 connections, statements and transactions.
#include "gym/storage/sqlite_connection.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"

namespace gym {
namespace {

// Debian's Abseil keeps its own string_view type; StrCat needs it spelled out.
absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// The file a connection works on, for error messages: a database error that does not say which
// database is no help when a job reads one file and writes another.
std::string DatabaseName(sqlite3* db) {
  const char* file = db == nullptr ? nullptr : sqlite3_db_filename(db, "main");
  return file == nullptr || *file == '\0' ? std::string(":memory:") : std::string(file);
}

}  // namespace

absl::StatusCode SqliteCodeToStatusCode(int sqlite_code) {
  switch (sqlite_code & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return absl::StatusCode::kOk;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_ERROR:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return absl::StatusCode::kInvalidArgument;
    case SQLITE_CANTOPEN:
      return absl::StatusCode::kNotFound;
    case SQLITE_INTERRUPT:
      return absl::StatusCode::kCancelled;
    default:
      return absl::StatusCode::kInternal;
  }
}

// ---- SqliteStatement ----

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

absl::Status SqliteStatement::Bind(int index, const Value& value) {
  int rc = SQLITE_OK;
  switch (value.index()) {
    case 1:
      rc = sqlite3_bind_int64(stmt_, index, std::get<int64_t>(value));
      break;
    case 2:
      rc = sqlite3_bind_double(stmt_, index, std::get<double>(value));
      break;
    case 3: {
      const std::string& s = std::get<std::string>(value);
      rc = sqlite3_bind_text(stmt_, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      break;
    }
    default:
      rc = sqlite3_bind_null(stmt_, index);
  }
  if (rc == SQLITE_OK) return absl::OkStatus();
  return absl::Status(
      SqliteCodeToStatusCode(rc),
      absl::StrCat("binding parameter ", index, " of '", sql(), "' on '",
                   DatabaseName(sqlite3_db_handle(stmt_)), "': ", sqlite3_errstr(rc)));
}

absl::StatusOr<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  return absl::Status(
      SqliteCodeToStatusCode(rc),
      absl::StrCat(sqlite3_errmsg(db), " (running '", sql(), "' on '", DatabaseName(db), "')"));
}

std::string SqliteStatement::ColumnName(int i) const {
  const char* name = sqlite3_column_name(stmt_, i);
  return name == nullptr ? std::string() : std::string(name);
}

std::string SqliteStatement::ColumnDeclType(int i) const {
  const char* type = sqlite3_column_decltype(stmt_, i);
  return type == nullptr ? std::string() : std::string(type);
}

std::string_view SqliteStatement::ColumnText(int i) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  const int size = sqlite3_column_bytes(stmt_, i);
  return text == nullptr ? std::string_view() : std::string_view(text, static_cast<size_t>(size));
}

Value SqliteStatement::ColumnValue(int i) const {
  switch (ColumnType(i)) {
    case SQLITE_INTEGER:
      return ColumnInt64(i);
    case SQLITE_FLOAT:
      return ColumnDouble(i);
    case SQLITE_NULL:
      return std::monostate{};
    default:
      return std::string(ColumnText(i));
  }
}

std::string SqliteStatement::sql() const {
  const char* text = stmt_ == nullptr ? nullptr : sqlite3_sql(stmt_);
  return text == nullptr ? std::string() : std::string(text);
}

// ---- SqliteConnection ----

absl::StatusOr<SqliteConnection> SqliteConnection::Open(const std::string& path, int flags) {
  // Without CREATE, SQLite reports a missing file only as "unable to open"; say what it is.
  const bool in_memory = path.empty() || path == ":memory:" || path.starts_with("file:");
  if ((flags & SQLITE_OPEN_CREATE) == 0 && !in_memory) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat("database file '", path, "' does not exist"));
    }
  }
  // Memory statistics take a process-wide mutex on every SQLite allocation; gym never reads
  // them. The setting only applies before SQLite initializes, so it is made once, here.
  static const bool memstatus_off = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)memstatus_off;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status(SqliteCodeToStatusCode(rc),
                        absl::StrCat("cannot open database '", path, "': ",
                                     db == nullptr ? sqlite3_errstr(rc) : sqlite3_errmsg(db)));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  return SqliteConnection(db, path);
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cached_(std::move(other.cached_)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    cached_.clear();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    cached_ = std::move(other.cached_);
  }
  return *this;
}

// close_v2 defers the close until any statement still alive is finalized.
SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

absl::Status SqliteConnection::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status status(SqliteCodeToStatusCode(rc),
                      absl::StrCat(message != nullptr ? message : sqlite3_errstr(rc), " (running '",
                                   text, "' on '", path_, "')"));
  sqlite3_free(message);
  return status;
}

absl::Status SqliteConnection::ExecCached(const std::string& sql) {
  auto it = cached_.find(sql);
  if (it == cached_.end()) {
    absl::StatusOr<SqliteStatement> prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    it = cached_.emplace(sql, std::move(*prepared)).first;
  }
  absl::StatusOr<bool> step = it->second.Step();
  it->second.Reset();
  return step.status();
}

absl::StatusOr<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return absl::Status(
        SqliteCodeToStatusCode(rc),
        absl::StrCat(sqlite3_errmsg(db_), " (preparing '", AsAbsl(sql), "' on '", path_, "')"));
  }
  if (stmt == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no SQL statement in '", AsAbsl(sql), "' (on '", path_, "')"));
  }
  return SqliteStatement(stmt);
}

absl::Status SqliteConnection::SetBusyTimeout(std::chrono::milliseconds timeout) {
  const int rc = sqlite3_busy_timeout(db_, static_cast<int>(timeout.count()));
  if (rc == SQLITE_OK) return absl::OkStatus();
  return LastError("setting busy_timeout");
}

absl::StatusOr<bool> SqliteConnection::TableExists(std::string_view table) {
  absl::StatusOr<SqliteStatement> stmt =
      Prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?1");
  if (!stmt.ok()) return stmt.status();
  if (absl::Status s = stmt->Bind(1, Value{std::string(table)}); !s.ok()) return s;
  return stmt->Step();
}

absl::Status SqliteConnection::LastError(std::string_view context) const {
  return absl::Status(SqliteCodeToStatusCode(sqlite3_extended_errcode(db_)),
                      absl::StrCat(AsAbsl(context), " on '", path_, "': ", sqlite3_errmsg(db_)));
}

absl::StatusOr<SqliteConnection> OpenForWriting(const std::string& path, bool synchronous_full,
                                                std::chrono::milliseconds busy_timeout) {
  absl::StatusOr<SqliteConnection> db =
      SqliteConnection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.status();
  if (absl::Status s = db->SetBusyTimeout(busy_timeout); !s.ok()) return s;
  // WAL lets readers (gym report, a second process) run while the writer commits.
  if (absl::Status s = db->Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
  if (absl::Status s =
          db->Exec(synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      !s.ok()) {
    return s;
  }
  // Temporary b-trees stay in RAM; durability is unchanged.
  if (absl::Status s = db->Exec("PRAGMA temp_store=MEMORY"); !s.ok()) return s;
  return db;
}

// ---- SqliteTransaction ----

absl::StatusOr<SqliteTransaction> SqliteTransaction::Begin(SqliteConnection& db, Mode mode) {
  const char* sql = mode == Mode::kImmediate   ? "BEGIN IMMEDIATE"
                    : mode == Mode::kExclusive ? "BEGIN EXCLUSIVE"
                                               : "BEGIN";
  if (absl::Status s = db.ExecCached(sql); !s.ok()) return s;
  return SqliteTransaction(&db);
}

SqliteTransaction::SqliteTransaction(SqliteTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteTransaction::~SqliteTransaction() { Rollback(); }

absl::Status SqliteTransaction::Commit() {
  if (db_ == nullptr) return absl::FailedPreconditionError("transaction already finished");
  absl::Status status = db_->ExecCached("COMMIT");
  if (!status.ok()) {
    Rollback();
    return status;
  }
  db_ = nullptr;
  return absl::OkStatus();
}

void SqliteTransaction::Rollback() {
  if (db_ == nullptr) return;
  // SQLite may already have rolled back on its own (I/O error, disk full); then there is
  // nothing to undo and ROLLBACK would only report "no transaction is active".
  if (!db_->InAutocommit()) db_->Exec("ROLLBACK").IgnoreError();
  db_ = nullptr;
}

}  // namespace gym
