// The transactions table's size: counted in a database file, taken from GetStats otherwise,
// and "unknown" with the reason when neither answers.
#include "gym/loadtest/table_size.h"

#include <unistd.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "gym/storage/sqlite_connection.h"

namespace gym::loadtest {
namespace {
namespace fs = std::filesystem;

TEST(TableSizeTest, CountsTheDatabaseWhenItIsKnown) {
  const fs::path db = fs::temp_directory_path() / ("gym_table_size_" + std::to_string(::getpid()));
  fs::remove(db);
  {
    absl::StatusOr<SqliteConnection> conn =
        SqliteConnection::Open(db.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE(conn->Exec("CREATE TABLE clients (x)").ok());
  }
  // No transactions table yet: a server that has not created it holds no rows.
  EXPECT_EQ(*CountTransactionsInDb(db), 0);
  {
    absl::StatusOr<SqliteConnection> conn =
        SqliteConnection::Open(db.string(), SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE(conn->Exec("CREATE TABLE transactions (event_id TEXT UNIQUE);"
                           "INSERT INTO transactions VALUES ('a'), ('b'), ('c')")
                    .ok());
  }
  absl::StatusOr<CommittedCounts> stats = CommittedCounts{.rows = {0, 99, 0}};
  const TableSize size = MeasureTransactions(db, stats);
  // The file wins over GetStats's 99.
  EXPECT_EQ(size.rows, 3);
  EXPECT_EQ(size.source, "database " + db.string());
  fs::remove(db);

  const TableSize gone = MeasureTransactions(db, stats);
  EXPECT_FALSE(gone.rows.has_value());
  EXPECT_NE(gone.source.find(db.string()), std::string::npos) << gone.source;
}

TEST(TableSizeTest, FallsBackToGetStatsThenToUnknown) {
  absl::StatusOr<CommittedCounts> stats = CommittedCounts{.rows = {1, 42, 3}};
  const TableSize from_server = MeasureTransactions({}, stats);
  EXPECT_EQ(from_server.rows, 42);
  EXPECT_EQ(from_server.source, "server (GetStats)");

  const absl::StatusOr<CommittedCounts> failed = absl::UnavailableError("GetStats: refused");
  const TableSize unknown = MeasureTransactions({}, failed);
  EXPECT_FALSE(unknown.rows.has_value());
  EXPECT_EQ(FormatTableSizes(from_server, unknown),
            "transactions table at start: 42 rows, at end: unknown (GetStats: refused)");
  EXPECT_EQ(FormatTableSizes(from_server, from_server),
            "transactions table at start: 42 rows, at end: 42 rows (server (GetStats))");
}

}  // namespace
}  // namespace gym::loadtest
