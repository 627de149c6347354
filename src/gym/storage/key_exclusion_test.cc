// Key exclusion through SqliteTableWriter: an event id lives in its table or in the refusals
// table, never in both, and the writer reports which rows went where.
#include "gym/storage/key_exclusion.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/storage/sqlite_table_writer.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::TempDb;

Frame Keyed(const std::vector<std::string>& keys) {
  std::vector<int64_t> values(keys.size(), 1);
  return Frame({"event_id", "v"}, {Column::Strings(keys), Column::Ints(values)});
}

const TableOptions kTable{"events", "event_id", std::nullopt, "refused"};
const TableOptions kRefused{"refused", "event_id", "events", std::nullopt};

class KeyExclusionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SqliteConnection> db = temp_.Connect();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<SqliteConnection>(std::move(*db));
    writer_ = std::make_unique<SqliteTableWriter>(*db_);
  }
  WriteResult Insert(const TableOptions& table, const std::vector<std::string>& keys) {
    absl::StatusOr<WriteResult> r = writer_->Insert(table, Keyed(keys));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : WriteResult{};
  }
  TempDb temp_;
  std::unique_ptr<SqliteConnection> db_;
  std::unique_ptr<SqliteTableWriter> writer_;
};

TEST_F(KeyExclusionTest, RefusalOfAnEventAlreadyStoredIsNotRecorded) {
  EXPECT_EQ(Insert(kTable, {"a", "b"}).inserted, 2);
  const WriteResult refused = Insert(kRefused, {"b", "c"});
  EXPECT_EQ(refused.inserted, 1);
  EXPECT_EQ(refused.elsewhere, 1);
  EXPECT_EQ(temp_.CountFromOtherConnection("refused"), 1);
}

TEST_F(KeyExclusionTest, AcceptedRetryOfARefusedEventRemovesTheRefusal) {
  EXPECT_EQ(Insert(kRefused, {"x", "y"}).inserted, 2);
  EXPECT_EQ(Insert(kTable, {"x"}).inserted, 1);
  EXPECT_EQ(temp_.CountFromOtherConnection("refused"), 1);
  EXPECT_EQ(temp_.CountFromOtherConnection("events"), 1);
}

TEST_F(KeyExclusionTest, StoredDuplicateDoesNotEvictTheRefusalOfAnotherKey) {
  EXPECT_EQ(Insert(kTable, {"x"}).inserted, 1);
  EXPECT_EQ(Insert(kRefused, {"y"}).inserted, 1);
  const WriteResult again = Insert(kTable, {"x"});
  EXPECT_EQ(again.ignored, 1);
  EXPECT_EQ(temp_.CountFromOtherConnection("refused"), 1);
}

TEST_F(KeyExclusionTest, RefusalsWithoutTheOtherTableAreAllKept) {
  const WriteResult refused = Insert(kRefused, {"p", "q", "p"});
  EXPECT_EQ(refused.inserted, 2);
  EXPECT_EQ(refused.ignored, 1);
  EXPECT_EQ(refused.elsewhere, 0);
}

TEST_F(KeyExclusionTest, NonStringKeyIsRefused) {
  const Frame ints({"event_id"}, {Column::Ints({1})});
  absl::StatusOr<WriteResult> r = writer_->Insert(kTable, ints);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("string unique key"));
}

}  // namespace
}  // namespace gym
