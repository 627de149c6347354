// Stored once with the key index (unique_keys.h), through SqliteTableWriter: what the index
// holds follows commits, savepoints and rollbacks, other writers, restarts and lost rows.
#include "gym/storage/unique_keys.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/storage/sqlite_table_writer.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

using testing_util::TempDb;

const TableOptions kEvents{.table = "events", .unique_key = "event_id"};

Frame Keys(const std::vector<std::string>& keys) {
  std::vector<int64_t> n;
  for (size_t i = 0; i < keys.size(); ++i) n.push_back(static_cast<int64_t>(i));
  return Frame({"event_id", "n"}, {Column::Strings(keys), Column::Ints(n)});
}

// A connection and its writer, with transactions that tell the writer how they ended.
class Session {
 public:
  explicit Session(const TempDb& temp) : db_(*temp.Connect()), writer_(db_) {}

  // Inserts `frame` in a transaction of its own, committed.
  WriteResult Write(const Frame& frame, const TableOptions& options = kEvents) {
    EXPECT_TRUE(db_.Exec("BEGIN IMMEDIATE").ok());
    absl::StatusOr<WriteResult> result = writer_.Insert(options, frame);
    EXPECT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(db_.Exec("COMMIT").ok());
    writer_.Committed();
    return result.ok() ? *result : WriteResult{};
  }
  SqliteConnection& db() { return db_; }
  SqliteTableWriter& writer() { return writer_; }

 private:
  SqliteConnection db_;
  SqliteTableWriter writer_;
};

TEST(UniqueKeysTest, StoresEachKeyOnceAndCountsTheRest) {
  TempDb temp;
  Session s(temp);
  WriteResult first = s.Write(Keys({"a", "b", "a", "c"}));
  EXPECT_EQ(first.inserted, 3);
  EXPECT_EQ(first.ignored, 1);  // the repeated "a"
  WriteResult second = s.Write(Keys({"c", "d", "b"}));
  EXPECT_EQ(second.inserted, 1);
  EXPECT_EQ(second.ignored, 2);
  EXPECT_EQ(temp.CountFromOtherConnection("events"), 4);
  // No UNIQUE index inside the database: the key index keeps the key unique.
  absl::StatusOr<SqliteStatement> indexes =
      s.db().Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index'");
  ASSERT_TRUE(indexes.ok());
  ASSERT_TRUE(*indexes->Step());
  EXPECT_EQ(indexes->ColumnInt64(0), 0);
}

TEST(UniqueKeysTest, NullKeysAreAllStored) {
  TempDb temp;
  Session s(temp);
  Column keys = Column::Strings({"x", "", ""});
  keys.SetNull(1);
  keys.SetNull(2);
  WriteResult result = s.Write(Frame({"event_id", "n"}, {keys, Column::Ints({1, 2, 3})}));
  EXPECT_EQ(result.inserted, 3);  // as SQLite's UNIQUE does: NULLs are distinct
  EXPECT_EQ(result.ignored, 0);
}

TEST(UniqueKeysTest, ARolledBackSavepointForgetsItsKeys) {
  TempDb temp;
  Session s(temp);
  s.Write(Keys({"kept"}));
  ASSERT_TRUE(s.db().Exec("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(s.writer().Insert(kEvents, Keys({"one"})).ok());
  const size_t mark = s.writer().SavepointMark();
  ASSERT_TRUE(s.db().Exec("SAVEPOINT item").ok());
  absl::StatusOr<WriteResult> undone = s.writer().Insert(kEvents, Keys({"two", "kept"}));
  ASSERT_TRUE(undone.ok());
  EXPECT_EQ(undone->inserted, 1);
  ASSERT_TRUE(s.db().Exec("ROLLBACK TO item; RELEASE item").ok());
  s.writer().RolledBackTo(mark);
  // "two" went with its savepoint: it is new again; "one" is still this transaction's.
  absl::StatusOr<WriteResult> again = s.writer().Insert(kEvents, Keys({"two", "one"}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 1);
  EXPECT_EQ(again->ignored, 1);
  ASSERT_TRUE(s.db().Exec("COMMIT").ok());
  s.writer().Committed();
  EXPECT_EQ(temp.CountFromOtherConnection("events"), 3);
  EXPECT_EQ(s.Write(Keys({"kept", "one", "two", "three"})).inserted, 1);
}

TEST(UniqueKeysTest, ARolledBackTransactionForgetsItsKeys) {
  TempDb temp;
  Session s(temp);
  s.Write(Keys({"a"}));
  ASSERT_TRUE(s.db().Exec("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(s.writer().Insert(kEvents, Keys({"b", "c"})).ok());
  ASSERT_TRUE(s.db().Exec("ROLLBACK").ok());
  s.writer().RolledBack();
  WriteResult result = s.Write(Keys({"a", "b", "c"}));
  EXPECT_EQ(result.inserted, 2);
  EXPECT_EQ(result.ignored, 1);
}

TEST(UniqueKeysTest, SeesRowsOfAnotherWriterAndOfAnEarlierProcess) {
  TempDb temp;
  Session first(temp);
  first.Write(Keys({"a", "b"}));
  {
    // Another connection (another process, as far as the first knows) adds rows.
    Session other(temp);
    EXPECT_EQ(other.Write(Keys({"b", "c"})).inserted, 1);  // it indexes the table at start
    EXPECT_EQ(other.Write(Keys({"d"})).inserted, 1);
  }
  // The first writer catches up under its next write lock.
  WriteResult result = first.Write(Keys({"a", "c", "d", "e"}));
  EXPECT_EQ(result.inserted, 1);
  EXPECT_EQ(result.ignored, 3);
  // A writer started later reads every key of the table first.
  Session later(temp);
  EXPECT_EQ(later.Write(Keys({"a", "b", "c", "d", "e", "f"})).inserted, 1);
  EXPECT_EQ(temp.CountFromOtherConnection("events"), 6);
}

TEST(UniqueKeysTest, ATableThatLostRowsIsIndexedAnew) {
  TempDb temp;
  Session s(temp);
  s.Write(Keys({"a", "b", "c"}));
  ASSERT_TRUE(temp.Exec("DELETE FROM events"));  // by hand, from another connection
  WriteResult result = s.Write(Keys({"a", "b"}));
  EXPECT_EQ(result.inserted, 2);
  // A row deleted from the middle leaves a stale entry, which never hides a key.
  s.Write(Keys({"x", "y"}));
  ASSERT_TRUE(temp.Exec("DELETE FROM events WHERE event_id = 'a'"));
  EXPECT_EQ(s.Write(Keys({"a", "b", "y"})).inserted, 1);
}

TEST(UniqueKeysTest, ManyKeysAcrossRunsStayUnique) {
  TempDb temp;
  Session s(temp);
  // 300,000 keys: more than two memtables, so look-ups go through run files and merges.
  constexpr int kBatches = 30;
  constexpr int kRows = 10'000;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<std::string> keys;
    for (int i = 0; i < kRows; ++i) keys.push_back(absl::StrCat("k", b * kRows + i));
    ASSERT_EQ(s.Write(Keys(keys)).inserted, kRows) << b;
  }
  // Every tenth key of every batch again, plus new ones.
  std::vector<std::string> mixed;
  for (int i = 0; i < kBatches * kRows; i += 10) mixed.push_back(absl::StrCat("k", i));
  for (int i = 0; i < 500; ++i) mixed.push_back(absl::StrCat("new", i));
  WriteResult result = s.Write(Keys(mixed));
  EXPECT_EQ(result.inserted, 500);
  EXPECT_EQ(result.ignored, kBatches * kRows / 10);
}

TEST(UniqueKeysTest, AnOlderDatabaseKeepsItsUniqueIndex) {
  TempDb temp;
  ASSERT_TRUE(temp.Exec(
      "CREATE TABLE events (event_id TEXT, n INTEGER);"
      "CREATE UNIQUE INDEX gym_unique_events_event_id ON events (event_id);"
      "INSERT INTO events VALUES ('a', 0)"));
  Session s(temp);
  WriteResult result = s.Write(Keys({"a", "b", "b"}));
  EXPECT_EQ(result.inserted, 1);
  EXPECT_EQ(result.ignored, 2);
  EXPECT_EQ(temp.CountFromOtherConnection("events"), 2);
}

TEST(UniqueKeysTest, ATableWithAPrimaryKeyKeepsSqlitesIndex) {
  TempDb temp;
  // The rows set the rowid themselves: the key index could not name them.
  ASSERT_TRUE(temp.Exec("CREATE TABLE events (n INTEGER PRIMARY KEY, event_id TEXT)"));
  Session s(temp);
  EXPECT_EQ(s.Write(Frame({"event_id", "n"}, {Column::Strings({"a", "b"}), Column::Ints({50, 7})}))
                .inserted,
            2);
  WriteResult again =
      s.Write(Frame({"event_id", "n"}, {Column::Strings({"b", "a", "c"}), Column::Ints({1, 2, 3})}));
  EXPECT_EQ(again.inserted, 1);
  EXPECT_EQ(again.ignored, 2);
  EXPECT_EQ(temp.CountFromOtherConnection("events"), 3);
}

TEST(UniqueKeysTest, TheSqliteModeCreatesAUniqueIndex) {
  TempDb temp;
  Session s(temp);
  TableOptions options = kEvents;
  options.unique_index = TableOptions::UniqueIndex::kSqlite;
  EXPECT_EQ(s.Write(Keys({"a", "a"}), options).inserted, 1);
  // Rows can be deleted and stored again under SQLite's index.
  absl::StatusOr<SqliteStatement> index = s.db().Prepare(
      "SELECT count(*) FROM sqlite_master WHERE name = 'gym_unique_events_event_id'");
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE(*index->Step());
  EXPECT_EQ(index->ColumnInt64(0), 1);
}

TEST(UniqueKeysTest, KeyExclusionAsksTheKeyIndex) {
  TempDb temp;
  Session s(temp);
  const TableOptions refused{.table = "refused",
                             .unique_key = "event_id",
                             .skip_keys_in = "events",
                             .unique_index = TableOptions::UniqueIndex::kSqlite};
  s.Write(Keys({"stored"}));
  ASSERT_TRUE(s.db().Exec("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(s.writer().Insert(kEvents, Keys({"pending"})).ok());
  // A refusal of a stored key, or of one stored by this same transaction, is not recorded.
  absl::StatusOr<WriteResult> result =
      s.writer().Insert(refused, Keys({"stored", "pending", "other"}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->inserted, 1);
  EXPECT_EQ(result->elsewhere, 2);
  ASSERT_TRUE(s.db().Exec("COMMIT").ok());
  s.writer().Committed();
}

}  // namespace
}  // namespace gym
