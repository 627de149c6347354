// Tests for the SQLite source: type inference, nulls, errors, chunked reading.
#include "gym/sources/sqlite_source.h"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/storage/group_commit_writer.h"
#include "gym/storage/sqlite_connection.h"

namespace gym {
namespace {

using ::testing::HasSubstr;

class SqliteSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gym_sqlite_source_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `sql` on a fresh read-write connection to the test database.
  void Exec(const std::string& sql) {
    absl::StatusOr<SqliteConnection> db =
        SqliteConnection::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE(db->Exec(sql).ok()) << sql;
  }

  std::filesystem::path dir_;
  std::string path_;
};

Column IntsWithNull(std::vector<int64_t> values, size_t null_row) {
  Column c(DataType::kInt64);
  for (size_t i = 0; i < values.size(); ++i) {
    if (i == null_row) {
      c.AppendNull();
    } else {
      c.AppendInt64(values[i]);
    }
  }
  return c;
}

TEST_F(SqliteSourceTest, InfersColumnTypesFromValues) {
  Exec(
      "CREATE TABLE t (a, b, c);"
      "INSERT INTO t VALUES (1, 1, 'x'), (2, 2.5, 7), (3, 4, 1.5);");
  struct Case {
    std::string sql;
    Frame expected;
  };
  const std::vector<Case> cases = {
      {"SELECT a FROM t", Frame({"a"}, {Column::Ints({1, 2, 3})})},
      {"SELECT b FROM t", Frame({"b"}, {Column::Doubles({1, 2.5, 4})})},
      {"SELECT c FROM t", Frame({"c"}, {Column::Strings({"x", "7", "1.5"})})},
      {"SELECT a * 10 AS tens, a || '' AS text FROM t",
       Frame({"tens", "text"}, {Column::Ints({10, 20, 30}), Column::Strings({"1", "2", "3"})})},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    absl::StatusOr<Frame> frame = ReadSqliteQuery(path_, c.sql);
    ASSERT_TRUE(frame.ok()) << frame.status();
    EXPECT_EQ(*frame, c.expected) << frame->ToString();
  }
}

TEST_F(SqliteSourceTest, NullsBecomeNullCells) {
  Exec(
      "CREATE TABLE t (id INTEGER, v);"
      "INSERT INTO t VALUES (1, NULL), (NULL, 5), (3, 6);");
  absl::StatusOr<Frame> frame = ReadSqliteTable(path_, "t");
  ASSERT_TRUE(frame.ok()) << frame.status();
  EXPECT_EQ(*frame, Frame({"id", "v"}, {IntsWithNull({1, 0, 3}, 1), IntsWithNull({0, 5, 6}, 0)}));
}

TEST_F(SqliteSourceTest, ColumnsWithoutValuesTakeTheirDeclaredType) {
  Exec(
      "CREATE TABLE t (i INTEGER, r REAL, s TEXT, n NUMERIC);"
      "INSERT INTO t VALUES (NULL, NULL, NULL, NULL);");
  absl::StatusOr<Frame> empty = ReadSqliteQuery(path_, "SELECT * FROM t WHERE 0");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->num_rows(), 0u);
  EXPECT_EQ(empty->schema().ToString(), "i:int64, r:double, s:string, n:double");

  absl::StatusOr<Frame> nulls = ReadSqliteTable(path_, "t");
  ASSERT_TRUE(nulls.ok()) << nulls.status();
  ASSERT_EQ(nulls->num_rows(), 1u);
  for (size_t c = 0; c < nulls->num_columns(); ++c) EXPECT_FALSE(nulls->column(c).IsValid(0));
}

TEST_F(SqliteSourceTest, SqlErrorCarriesSqliteMessageAndQuery) {
  Exec("CREATE TABLE t (a INTEGER)");
  const std::string sql = "SELECT nope FROM t";
  absl::StatusOr<Frame> frame = ReadSqliteQuery(path_, sql);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(frame.status().message(), HasSubstr("no such column: nope"));
  EXPECT_THAT(frame.status().message(), HasSubstr(sql));
  EXPECT_THAT(frame.status().message(), HasSubstr(path_));
}

TEST_F(SqliteSourceTest, MissingFileIsNotFoundAndNotCreated) {
  const std::string missing = (dir_ / "absent.db").string();
  absl::StatusOr<Frame> frame = ReadSqliteQuery(missing, "SELECT 1");
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(frame.status().message(), HasSubstr(missing));
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST_F(SqliteSourceTest, RejectsBadTableNameAndDuplicateColumns) {
  Exec("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);");
  absl::StatusOr<Frame> bad = ReadSqliteTable(path_, "t; DROP TABLE t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr(path_));

  absl::StatusOr<Frame> dup = ReadSqliteQuery(path_, "SELECT a, a FROM t");
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(dup.status().message(), HasSubstr("returns column 'a' twice"));

  absl::StatusOr<Frame> still_there = ReadSqliteTable(path_, "t");
  ASSERT_TRUE(still_there.ok()) << still_there.status();
  EXPECT_EQ(still_there->num_rows(), 1u);
}

TEST_F(SqliteSourceTest, ReaderStreamsChunksThatConcatToTheWhole) {
  Exec(
      "CREATE TABLE t (id INTEGER, v);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
      "INSERT INTO t SELECT i, i * 2 FROM n;");
  for (size_t chunk : {1u, 3u, 10u, 64u}) {
    SCOPED_TRACE(chunk);
    absl::StatusOr<std::unique_ptr<SqliteReader>> reader =
        SqliteReader::Open(path_, "SELECT * FROM t ORDER BY id", chunk);
    ASSERT_TRUE(reader.ok()) << reader.status();
    std::vector<Frame> chunks;
    for (int guard = 0; guard < 100; ++guard) {
      absl::StatusOr<std::optional<Frame>> next = (*reader)->Next();
      ASSERT_TRUE(next.ok()) << next.status();
      if (!next->has_value()) break;
      EXPECT_LE((*next)->num_rows(), chunk);
      chunks.push_back(std::move(**next));
    }
    EXPECT_EQ(chunks.size(), (10 + chunk - 1) / chunk);
    absl::StatusOr<Frame> whole = ReadSqliteQuery(path_, "SELECT * FROM t ORDER BY id");
    ASSERT_TRUE(whole.ok()) << whole.status();
    EXPECT_EQ(Frame::Concat(chunks), *whole);
  }
}

TEST_F(SqliteSourceTest, ReaderNeverNarrowsAColumnAcrossChunks) {
  Exec(
      "CREATE TABLE t (id INTEGER, v);"
      "INSERT INTO t VALUES (1, 1), (2, 2.5), (3, 3);");
  absl::StatusOr<std::unique_ptr<SqliteReader>> reader =
      SqliteReader::Open(path_, "SELECT v FROM t ORDER BY id", 1);
  ASSERT_TRUE(reader.ok()) << reader.status();
  const std::vector<DataType> expected = {DataType::kInt64, DataType::kDouble, DataType::kDouble};
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    absl::StatusOr<std::optional<Frame>> next = (*reader)->Next();
    ASSERT_TRUE(next.ok() && next->has_value());
    EXPECT_EQ((*next)->column(0).type(), expected[i]);
  }
  absl::StatusOr<std::optional<Frame>> end = (*reader)->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST_F(SqliteSourceTest, EmptyResultYieldsOneEmptyFrameThenEnd) {
  Exec("CREATE TABLE t (id INTEGER, nome TEXT)");
  absl::StatusOr<std::unique_ptr<SqliteReader>> reader =
      SqliteReader::Open(path_, "SELECT * FROM t");
  ASSERT_TRUE(reader.ok()) << reader.status();
  absl::StatusOr<std::optional<Frame>> first = (*reader)->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->schema().ToString(), "id:int64, nome:string");
  EXPECT_EQ((*first)->num_rows(), 0u);
  absl::StatusOr<std::optional<Frame>> end = (*reader)->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST_F(SqliteSourceTest, ReadsWhatTheGroupCommitWriterCommitted) {
  const Frame frame({"id", "nome"}, {Column::Ints({1, 2}), Column::Strings({"Ana", "Rui"})});
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer = GroupCommitWriter::Open(path_);
  ASSERT_TRUE(writer.ok()) << writer.status();
  (*writer)->Write({"clients", std::nullopt}, frame, nullptr);
  (*writer)->Flush();
  // The writer stays open: a read-only reader must see the committed rows in WAL mode.
  absl::StatusOr<Frame> read = ReadSqliteTable(path_, "clients");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, frame);
}

}  // namespace
}  // namespace gym
