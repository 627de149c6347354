// DatabaseReader over SQLite, and the choice between it and PostgreSQL (see
// database_reader.h).
#include "gym/sources/database_reader.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "gym/sources/pg_source.h"
#include "gym/sources/sqlite_source.h"
#include "gym/storage/pg_commit_backend.h"
#include "gym/storage/sqlite_connection.h"

namespace gym {
namespace {

class SqliteDatabaseReader final : public DatabaseReader {
 public:
  SqliteDatabaseReader(std::string path, SqliteConnection db)
      : path_(std::move(path)), db_(std::move(db)) {}

  absl::StatusOr<std::vector<std::string>> Tables() override {
    auto names = db_.Prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name");
    if (!names.ok()) return names.status();
    std::vector<std::string> tables;
    while (true) {
      absl::StatusOr<bool> row = names->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      tables.emplace_back(names->ColumnText(0));
    }
    return tables;
  }

  absl::StatusOr<bool> HasTable(const std::string& table) override {
    return db_.TableExists(table);
  }

  absl::StatusOr<int64_t> CountRows(const std::string& table) override {
    absl::StatusOr<bool> has = HasTable(table);
    if (!has.ok() || !*has) return has.ok() ? absl::StatusOr<int64_t>(0) : has.status();
    auto count = db_.Prepare(absl::StrCat("SELECT count(*) FROM ", QuoteIdentifier(table)));
    if (!count.ok()) return count.status();
    absl::StatusOr<bool> row = count->Step();
    if (!row.ok()) return row.status();
    return count->ColumnInt64(0);
  }

  absl::StatusOr<std::vector<std::string>> Columns(const std::string& table) override {
    auto info = db_.Prepare("SELECT name FROM pragma_table_info(?1)");
    if (!info.ok()) return info.status();
    info->BindTextNoCopy(1, table);
    std::vector<std::string> names;
    while (true) {
      absl::StatusOr<bool> row = info->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      names.emplace_back(info->ColumnText(0));
    }
    return names;
  }

  absl::StatusOr<std::unique_ptr<QueryStream>> Stream(const std::string& sql,
                                                      size_t chunk_rows) override {
    auto reader = SqliteReader::Open(path_, sql, chunk_rows);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<QueryStream>(*std::move(reader));
  }

  std::string Describe() const override { return path_; }

 private:
  const std::string path_;
  SqliteConnection db_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<DatabaseReader>> DatabaseReader::Open(const std::string& db) {
  if (IsPostgresTarget(db)) return OpenPgDatabaseReader(db);
  absl::StatusOr<SqliteConnection> conn = SqliteConnection::Open(db, SQLITE_OPEN_READONLY);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<DatabaseReader>(
      std::make_unique<SqliteDatabaseReader>(db, *std::move(conn)));
}

}  // namespace gym
