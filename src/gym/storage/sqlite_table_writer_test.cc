// SqliteTableWriter: frames larger than one multi-row INSERT keep per-row counts and errors;
// WriteSqliteTable writes every row or none.
#include "gym/storage/sqlite_table_writer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::TempDb;

// Rows 0..n-1 with event ids "e<i>", every id in `repeats` sent a second time at the end;
// row `bad_value_at` has a negative valor.
Frame Events(int n, const std::vector<int>& repeats, int bad_value_at = -1) {
  std::vector<int64_t> ids;
  std::vector<std::string> events;
  std::vector<double> values;
  for (int i = 0; i < n; ++i) {
    ids.push_back(i);
    events.push_back(absl::StrCat("e", i));
    values.push_back(i == bad_value_at ? -1.0 : 1.0);
  }
  for (int i : repeats) {
    ids.push_back(i);
    events.push_back(absl::StrCat("e", i));
    values.push_back(1.0);
  }
  return Frame({"id", "event_id", "valor"},
               {Column::Ints(ids), Column::Strings(events), Column::Doubles(values)});
}

TEST(SqliteTableWriterTest, CountsInsertedAndIgnoredAcrossChunkSizes) {
  const struct {
    int rows;
    std::vector<int> repeats;
  } cases[] = {{1, {}}, {63, {0}}, {64, {}}, {65, {3, 64}}, {200, {0, 10, 150, 199}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.rows);
    TempDb temp;
    absl::StatusOr<SqliteConnection> db = temp.Connect();
    ASSERT_TRUE(db.ok()) << db.status();
    SqliteTableWriter writer(*db);
    ASSERT_TRUE(db->Exec("BEGIN").ok());
    const Frame frame = Events(c.rows, c.repeats);
    absl::StatusOr<WriteResult> first = writer.Insert({"t", "event_id"}, frame);
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(first->inserted, c.rows);
    EXPECT_EQ(first->ignored, static_cast<int64_t>(c.repeats.size()));
    // The same frame again is all duplicates.
    absl::StatusOr<WriteResult> again = writer.Insert({"t", "event_id"}, frame);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->inserted, 0);
    ASSERT_TRUE(db->Exec("COMMIT").ok());
    EXPECT_EQ(temp.CountFromOtherConnection("t"), c.rows);
  }
}

TEST(SqliteTableWriterTest, NamesTheFailingRowInsideAMultiRowChunk) {
  TempDb temp;
  ASSERT_TRUE(
      temp.Exec("CREATE TABLE t (id INTEGER, event_id TEXT, valor REAL CHECK (valor >= 0))"));
  absl::StatusOr<SqliteConnection> db = temp.Connect();
  ASSERT_TRUE(db.ok()) << db.status();
  SqliteTableWriter writer(*db);
  ASSERT_TRUE(db->Exec("BEGIN").ok());
  absl::StatusOr<WriteResult> result = writer.Insert({"t", "event_id"}, Events(130, {}, 70));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("row 70"));
  EXPECT_THAT(result.status().message(), HasSubstr("CHECK constraint failed"));
}

TEST(SqliteTableWriterTest, ReplaceWhereReplacesOnlyThatValuesRows) {
  TempDb temp;
  absl::StatusOr<SqliteConnection> db = temp.Connect();
  ASSERT_TRUE(db.ok()) << db.status();
  SqliteTableWriter writer(*db);
  auto totals = [](const std::string& run, std::vector<int64_t> counts) {
    return Frame({"run_id", "n"},
                 {Column::Strings(std::vector<std::string>(counts.size(), run)),
                  Column::Ints(std::move(counts))});
  };
  auto replace = [](const std::string& run) {
    return TableOptions{.table = "m", .replace_where = std::make_pair(std::string("run_id"), run)};
  };
  ASSERT_TRUE(writer.Insert(replace("a"), totals("a", {1, 2})).ok());  // creates the table
  ASSERT_TRUE(writer.Insert(replace("b"), totals("b", {7})).ok());
  ASSERT_TRUE(writer.Insert(replace("a"), totals("a", {3})).ok());
  EXPECT_EQ(temp.CountFromOtherConnection("m"), 2);  // a's two rows became one; b's kept
  absl::StatusOr<SqliteStatement> sum = db->Prepare("SELECT SUM(n) FROM m WHERE run_id = 'a'");
  ASSERT_TRUE(sum.ok());
  ASSERT_TRUE(*sum->Step());
  EXPECT_EQ(sum->ColumnInt64(0), 3);
  // A column name that is not an identifier is refused, naming it.
  absl::StatusOr<WriteResult> bad = writer.Insert(
      TableOptions{.table = "m", .replace_where = std::make_pair(std::string("n; --"), "x")},
      totals("x", {1}));
  EXPECT_FALSE(bad.ok());
}

TEST(SqliteTableWriterTest, WriteSqliteTableIsAllOrNothing) {
  TempDb db;
  ASSERT_TRUE(db.Exec("CREATE TABLE checked (valor REAL CHECK (valor >= 0))"));
  const Frame good({"valor"}, {Column::Doubles({1, 2})});
  ASSERT_TRUE(WriteSqliteTable(db.path(), {"checked", std::nullopt}, good).ok());
  const Frame bad({"valor"}, {Column::Doubles({3, -1})});
  absl::Status status = WriteSqliteTable(db.path(), {"checked", std::nullopt}, bad);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(db.CountFromOtherConnection("checked"), 2);
}

}  // namespace
}  // namespace gym
