// WalCheckpointer: checkpoints leave the writer's commits and reach the database file.
#include "gym/storage/wal_checkpointer.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

using testing_util::TempDb;

TEST(WalCheckpointerTest, NotStartedForAnInMemoryDatabase) {
  absl::StatusOr<SqliteConnection> db = OpenForWriting(":memory:");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(WalCheckpointer::Start(*db, false), nullptr);
}

TEST(WalCheckpointerTest, CopiesCommittedPagesIntoTheDatabaseFile) {
  TempDb temp;
  absl::StatusOr<SqliteConnection> db = temp.Connect();
  ASSERT_TRUE(db.ok()) << db.status();
  auto checkpointer = WalCheckpointer::Start(*db, false, /*threshold_pages=*/4);
  ASSERT_NE(checkpointer, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (v TEXT)").ok());
  const auto db_size = [&] { return std::filesystem::file_size(temp.path()); };
  const auto before = db_size();
  // About 20 pages of rows, committed in one transaction: past the threshold.
  ASSERT_TRUE(db->Exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 400) INSERT INTO t SELECT printf('%0200d', i) FROM n; COMMIT")
                  .ok());
  for (int i = 0; i < 500 && db_size() < before + 16 * 4096; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(db_size(), before + 16 * 4096);
  checkpointer.reset();
  EXPECT_EQ(temp.CountFromOtherConnection("t"), 400);
}

}  // namespace
}  // namespace gym
