// Tests for the sqlite3 wrappers: identifier rules, quoting, statements, transactions.
#include "gym/storage/sqlite_connection.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::TempDb;

TEST(SqliteConnectionTest, ValidateIdentifierAcceptsOnlyPlainNames) {
  struct Case {
    std::string name;
    bool ok;
  };
  const std::vector<Case> cases = {
      {"event_id", true}, {"_x1", true},  {"Transactions", true}, {"", false},
      {"1abc", false},    {"a b", false}, {"a\"b", false},        {"t;--", false},
      {"nação", false},   {"a.b", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::Status status = ValidateIdentifier(c.name);
    EXPECT_EQ(status.ok(), c.ok) << status;
    if (!c.ok) {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(SqliteConnectionTest, QuoteIdentifierDoublesQuotes) {
  EXPECT_EQ(QuoteIdentifier("id"), "\"id\"");
  EXPECT_EQ(QuoteIdentifier("a\"b"), "\"a\"\"b\"");
}

TEST(SqliteConnectionTest, BindStepAndColumns) {
  absl::StatusOr<SqliteConnection> db =
      SqliteConnection::Open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<SqliteStatement> stmt = db->Prepare("SELECT ?1, ?2, ?3, ?4");
  ASSERT_TRUE(stmt.ok()) << stmt.status();
  const std::vector<Value> values = {Value{int64_t{7}}, Value{2.5}, Value{std::string("x'y")},
                                     Value{}};
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_TRUE(stmt->Bind(static_cast<int>(i + 1), values[i]).ok());
  }
  absl::StatusOr<bool> row = stmt->Step();
  ASSERT_TRUE(row.ok() && *row);
  for (size_t i = 0; i < values.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(stmt->ColumnValue(static_cast<int>(i)), values[i]);
  }
}

TEST(SqliteConnectionTest, ErrorsCarrySqliteMessageAndSql) {
  absl::StatusOr<SqliteConnection> db =
      SqliteConnection::Open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db.ok());
  absl::Status exec = db->Exec("SELEC 1");
  EXPECT_EQ(exec.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(exec.message(), HasSubstr("syntax error"));
  EXPECT_THAT(exec.message(), HasSubstr("SELEC 1"));
  absl::StatusOr<SqliteStatement> prepared = db->Prepare("SELECT * FROM nowhere");
  EXPECT_THAT(prepared.status().message(), HasSubstr("no such table: nowhere"));
}

// Every error names the database file: a job reads one database and writes another.
TEST(SqliteConnectionTest, ErrorsNameTheDatabaseFile) {
  TempDb dir;
  absl::StatusOr<SqliteConnection> db =
      SqliteConnection::Open(dir.path(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1)").ok());
  absl::StatusOr<SqliteStatement> prepared = db->Prepare("SELECT * FROM nowhere");
  EXPECT_THAT(prepared.status().message(), HasSubstr(dir.path()));
  absl::StatusOr<SqliteStatement> insert = db->Prepare("INSERT INTO t VALUES (1)");
  ASSERT_TRUE(insert.ok()) << insert.status();
  absl::StatusOr<bool> step = insert->Step();  // a unique-key violation
  ASSERT_FALSE(step.ok());
  EXPECT_THAT(step.status().message(), HasSubstr(dir.path()));
  EXPECT_THAT(db->ExecCached("INSERT INTO t VALUES (1)").message(), HasSubstr(dir.path()));
  absl::StatusOr<SqliteStatement> bind = db->Prepare("SELECT ?1");
  ASSERT_TRUE(bind.ok());
  EXPECT_THAT(bind->Bind(7, Value{int64_t{1}}).message(), HasSubstr(dir.path()));
}

TEST(SqliteConnectionTest, TransactionRollsBackUnlessCommitted) {
  absl::StatusOr<SqliteConnection> db =
      SqliteConnection::Open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER)").ok());
  {
    absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(*db);
    ASSERT_TRUE(txn.ok()) << txn.status();
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  }
  {
    absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(*db);
    ASSERT_TRUE(txn.ok()) << txn.status();
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  absl::StatusOr<SqliteStatement> sum = db->Prepare("SELECT sum(x) FROM t");
  ASSERT_TRUE(sum.ok());
  ASSERT_TRUE(*sum->Step());
  EXPECT_EQ(sum->ColumnInt64(0), 2);
  EXPECT_TRUE(db->InAutocommit());
}

// `gym serve --sync normal|full` ends here: WAL either way, fsync per commit only for full.
TEST(SqliteConnectionTest, OpenForWritingSetsWalAndTheSynchronousLevel) {
  TempDb dir;
  for (const bool full : {false, true}) {
    SCOPED_TRACE(full);
    absl::StatusOr<SqliteConnection> db = OpenForWriting(dir.path(), full);
    ASSERT_TRUE(db.ok()) << db.status();
    absl::StatusOr<SqliteStatement> mode = db->Prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok() && *mode->Step());
    EXPECT_EQ(std::string(mode->ColumnText(0)), "wal");
    absl::StatusOr<SqliteStatement> sync = db->Prepare("PRAGMA synchronous");
    ASSERT_TRUE(sync.ok() && *sync->Step());
    EXPECT_EQ(sync->ColumnInt64(0), full ? 2 : 1);  // FULL = 2, NORMAL = 1
  }
}

}  // namespace
}  // namespace gym
