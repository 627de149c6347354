// The size of the transactions table (see table_size.h).
#include "gym/loadtest/table_size.h"

#include "fmt/format.h"
#include "gym/storage/sqlite_connection.h"

namespace gym::loadtest {

absl::StatusOr<int64_t> CountTransactionsInDb(const std::filesystem::path& db) {
  absl::StatusOr<SqliteConnection> conn = SqliteConnection::Open(db.string(), SQLITE_OPEN_READONLY);
  if (!conn.ok()) return conn.status();
  // The server may be committing: wait for its lock rather than fail the measurement.
  if (absl::Status s = conn->SetBusyTimeout(std::chrono::seconds(10)); !s.ok()) return s;
  absl::StatusOr<bool> exists = conn->TableExists("transactions");
  if (!exists.ok()) return exists.status();
  if (!*exists) return 0;
  absl::StatusOr<SqliteStatement> count = conn->Prepare("SELECT count(*) FROM transactions");
  if (!count.ok()) return count.status();
  absl::StatusOr<bool> row = count->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError(fmt::format("{}: count(*) returned no row", db.string()));
  return count->ColumnInt64(0);
}

TableSize MeasureTransactions(const std::filesystem::path& db,
                              const absl::StatusOr<CommittedCounts>& stats) {
  TableSize size;
  if (!db.empty()) {
    absl::StatusOr<int64_t> rows = CountTransactionsInDb(db);
    if (rows.ok()) {
      size.rows = *rows;
      size.source = "database " + db.string();
    } else {
      size.source = std::string(rows.status().message());
    }
    return size;
  }
  if (stats.ok()) {
    size.rows = stats->rows[1];
    size.source = "server (GetStats)";
  } else {
    size.source = std::string(stats.status().message());
  }
  return size;
}

std::string FormatTableSizes(const TableSize& start, const TableSize& end) {
  auto rows = [](const TableSize& s) {
    return s.rows ? fmt::format("{} rows", *s.rows) : fmt::format("unknown ({})", s.source);
  };
  // Both known come from the same place; say it once.
  const std::string source = start.rows && end.rows ? fmt::format(" ({})", end.source) : "";
  return fmt::format("transactions table at start: {}, at end: {}{}", rows(start), rows(end),
                     source);
}

}  // namespace gym::loadtest
