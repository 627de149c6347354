// Tests for the group-commit writer: commit and read back, rollback, idempotency,
// done-after-commit, concurrency, schema growth and identifier injection. Rows are read back
// through the SQLite source, a floor above storage: tests may look up, libraries may not.
#include "gym/storage/group_commit_writer.h"

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/sources/sqlite_source.h"
#include "gym/storage/commit_backend.h"
#include "gym/storage/sqlite_test_util.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::DoneLog;
using testing_util::TempDb;
using testing_util::Transactions;
using testing_util::WriterGate;

constexpr auto kWait = std::chrono::seconds(20);

std::unique_ptr<GroupCommitWriter> OpenWriter(const std::string& path, WriterOptions options = {}) {
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> writer =
      GroupCommitWriter::Open(path, options);
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(*writer) : nullptr;
}

TEST(GroupCommitWriterTest, CommitThenReadBackEqual) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  Column valor(DataType::kDouble);
  valor.AppendDouble(10.5);
  valor.AppendNull();
  const Frame frame({"id", "nome", "valor"},
                    {Column::Ints({1, 2}), Column::Strings({"Ana", "Jo\"ão'; --"}), valor});
  DoneLog log(1);
  writer->Write({"clients", std::nullopt}, frame, log.Slot(0));
  ASSERT_TRUE(log.WaitAll(kWait));
  ASSERT_TRUE(log.status(0).ok()) << log.status(0);
  EXPECT_EQ(log.result(0).inserted, 2);
  absl::StatusOr<Frame> read = ReadSqliteTable(db.path(), "clients");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, frame);
}

TEST(GroupCommitWriterTest, DoneRunsAfterCommitSoAnotherConnectionSeesTheRows) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  std::promise<int64_t> seen;
  writer->Write({"transactions", std::nullopt}, Transactions(0, 50),
                [&](const absl::Status& status, const WriteResult&) {
                  ASSERT_TRUE(status.ok()) << status;
                  seen.set_value(db.CountFromOtherConnection("transactions"));
                });
  std::future<int64_t> count = seen.get_future();
  ASSERT_EQ(count.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(count.get(), 50);
}

TEST(GroupCommitWriterTest, FailedItemRollsBackAloneAndTheRestOfItsGroupCommits) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  WriterGate gate(*writer);
  ASSERT_TRUE(gate.Hold(kWait));
  DoneLog log(2);
  writer->Write({"good", std::nullopt}, Transactions(0, 10), log.Slot(0));
  std::vector<std::pair<TableOptions, Frame>> parts;
  parts.push_back({{"accepted", std::nullopt}, Transactions(100, 5)});
  parts.push_back({{"bad name", std::nullopt}, Transactions(200, 5)});
  writer->WriteAll(std::move(parts), log.Slot(1));
  gate.Release();
  ASSERT_TRUE(log.WaitAll(kWait));

  EXPECT_TRUE(log.status(0).ok()) << log.status(0);
  EXPECT_EQ(log.status(1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(log.status(1).message(), HasSubstr("part 1"));
  EXPECT_THAT(log.status(1).message(), HasSubstr("bad name"));
  EXPECT_EQ(log.result(1).inserted, 0);
  EXPECT_EQ(*writer->CountRows("good"), 10);
  // The first part of the failed item was written, then undone with it.
  EXPECT_EQ(*writer->CountRows("accepted"), 0);
  EXPECT_EQ(gate.group_sizes(), (std::vector<size_t>{1, 1}));
  EXPECT_EQ(writer->stats().failed_items, 1);
}

TEST(GroupCommitWriterTest, ConstraintViolationLeavesNothingOfThatFrame) {
  TempDb db;
  ASSERT_TRUE(db.Exec("CREATE TABLE t (id INTEGER, valor REAL CHECK (valor >= 0))"));
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  const Frame frame({"id", "valor"}, {Column::Ints({1, 2, 3, 4}), Column::Doubles({1, 2, -3, 4})});
  DoneLog log(1);
  writer->Write({"t", std::nullopt}, frame, log.Slot(0));
  ASSERT_TRUE(log.WaitAll(kWait));
  EXPECT_EQ(log.status(0).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(log.status(0).message(), HasSubstr("CHECK constraint failed"));
  EXPECT_THAT(log.status(0).message(), HasSubstr("row 2"));
  EXPECT_EQ(db.CountFromOtherConnection("t"), 0);
}

TEST(GroupCommitWriterTest, LockedDatabaseFailsEveryItemOfTheGroup) {
  TempDb db;
  WriterOptions options;
  options.busy_timeout = std::chrono::milliseconds(20);
  auto writer = OpenWriter(db.path(), options);
  ASSERT_NE(writer, nullptr);
  WriterGate gate(*writer);
  ASSERT_TRUE(gate.Hold(kWait));
  // Another connection takes the write lock, so the next BEGIN IMMEDIATE times out.
  absl::StatusOr<SqliteConnection> other = db.Connect();
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(other->Exec("BEGIN IMMEDIATE").ok());
  constexpr size_t kItems = 3;
  DoneLog log(kItems);
  for (size_t i = 0; i < kItems; ++i) {
    writer->Write({"t", std::nullopt}, Transactions(static_cast<int64_t>(i) * 10, 10), log.Slot(i));
  }
  gate.Release();
  ASSERT_TRUE(log.WaitAll(kWait));
  for (size_t i = 0; i < kItems; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(log.status(i).code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(log.status(i).message(), HasSubstr("group of 3 writes rolled back"));
  }
  ASSERT_TRUE(other->Exec("ROLLBACK").ok());
  EXPECT_EQ(*writer->CountRows("t"), 0);
  DoneLog retry(1);
  writer->Write({"t", std::nullopt}, Transactions(0, 10), retry.Slot(0));
  ASSERT_TRUE(retry.WaitAll(kWait));
  EXPECT_TRUE(retry.status(0).ok()) << retry.status(0);
  EXPECT_EQ(*writer->CountRows("t"), 10);
}

TEST(GroupCommitWriterTest, UniqueKeyStoresARepeatedEventOnce) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  const TableOptions table{"events", "event_id"};
  struct Case {
    std::vector<std::string> ids;
    int64_t inserted;
    int64_t ignored;
  };
  const std::vector<Case> cases = {
      {{"a", "b"}, 2, 0}, {{"b", "c"}, 1, 1}, {{"d", "d"}, 1, 1}, {{"a", "b", "c", "d"}, 0, 4}};
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    const Frame frame({"event_id"}, {Column::Strings(cases[i].ids)});
    DoneLog log(1);
    writer->Write(table, frame, log.Slot(0));
    ASSERT_TRUE(log.WaitAll(kWait));
    ASSERT_TRUE(log.status(0).ok()) << log.status(0);
    EXPECT_EQ(log.result(0).inserted, cases[i].inserted);
    EXPECT_EQ(log.result(0).ignored, cases[i].ignored);
  }
  EXPECT_EQ(*writer->CountRows("events"), 4);
}

TEST(GroupCommitWriterTest, ConcurrentWritersAreAllCommittedInFewerGroups) {
  for (size_t threads : {2u, 4u, 8u}) {
    SCOPED_TRACE(threads);
    TempDb db;
    auto writer = OpenWriter(db.path());
    ASSERT_NE(writer, nullptr);
    WriterGate gate(*writer);
    ASSERT_TRUE(gate.Hold(kWait));
    constexpr size_t kWritesPerThread = 40;
    constexpr size_t kRows = 25;
    DoneLog log(threads * kWritesPerThread);
    std::vector<std::thread> producers;
    for (size_t t = 0; t < threads; ++t) {
      producers.emplace_back([&, t] {
        for (size_t w = 0; w < kWritesPerThread; ++w) {
          const size_t slot = t * kWritesPerThread + w;
          writer->Write({"transactions", "id"},
                        Transactions(static_cast<int64_t>(slot * kRows), kRows), log.Slot(slot));
          // Let the writer run mid-way, so groups also form while producers are active.
          if (w == kWritesPerThread / 2) gate.Release();
        }
      });
    }
    for (std::thread& p : producers) p.join();
    gate.Release();
    ASSERT_TRUE(log.WaitAll(kWait));
    for (size_t i = 0; i < threads * kWritesPerThread; ++i) {
      ASSERT_TRUE(log.status(i).ok()) << i << ": " << log.status(i);
    }
    EXPECT_EQ(*writer->CountRows("transactions"),
              static_cast<int64_t>(threads * kWritesPerThread * kRows));
    const WriterStats stats = writer->stats();
    EXPECT_GT(stats.groups, 1);
    EXPECT_LT(stats.groups, static_cast<int64_t>(threads * kWritesPerThread));
    EXPECT_EQ(stats.frames, static_cast<int64_t>(threads * kWritesPerThread) + 1);
  }
}

TEST(GroupCommitWriterTest, RejectsIdentifierInjection) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  writer->Write({"t", std::nullopt}, Transactions(0, 1), nullptr);
  writer->Flush();
  struct Case {
    std::string table;
    std::string column;
    std::optional<std::string> key;
  };
  const std::vector<Case> cases = {
      {"t\"; DROP TABLE t; --", "id", std::nullopt},
      {"t", "id\" INTEGER); DROP TABLE t; --", std::nullopt},
      {"t", "id", "id) ; DROP TABLE t"},
      {"1t", "id", std::nullopt},
      {"", "id", std::nullopt},
      {"t", "nome com espaço", std::nullopt},
      {"t", "id", "absent_column"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.table + " / " + c.column);
    DoneLog log(1);
    writer->Write({c.table, c.key}, Frame({c.column}, {Column::Ints({1})}), log.Slot(0));
    ASSERT_TRUE(log.WaitAll(kWait));
    EXPECT_EQ(log.status(0).code(), absl::StatusCode::kInvalidArgument) << log.status(0);
  }
  EXPECT_EQ(*writer->CountRows("t"), 1);
  EXPECT_EQ(writer->CountRows("t; DROP TABLE t").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(GroupCommitWriterTest, NewColumnsAreAddedToAnExistingTable) {
  TempDb db;
  auto writer = OpenWriter(db.path());
  ASSERT_NE(writer, nullptr);
  writer->Write({"t", std::nullopt}, Frame({"id"}, {Column::Ints({1})}), nullptr);
  DoneLog log(1);
  writer->Write({"t", std::nullopt},
                Frame({"id", "moeda"}, {Column::Ints({2}), Column::Strings({"BRL"})}), log.Slot(0));
  ASSERT_TRUE(log.WaitAll(kWait));
  ASSERT_TRUE(log.status(0).ok()) << log.status(0);
  absl::StatusOr<Frame> read = ReadSqliteQuery(db.path(), "SELECT id, moeda FROM t ORDER BY id");
  ASSERT_TRUE(read.ok()) << read.status();
  Column moeda(DataType::kString);
  moeda.AppendNull();
  moeda.AppendString("BRL");
  EXPECT_EQ(*read, Frame({"id", "moeda"}, {Column::Ints({1, 2}), moeda}));
}

TEST(GroupCommitWriterTest, DestructorDrainsTheQueue) {
  TempDb db;
  constexpr size_t kWrites = 100;
  DoneLog log(kWrites);
  {
    auto writer = OpenWriter(db.path());
    ASSERT_NE(writer, nullptr);
    for (size_t i = 0; i < kWrites; ++i) {
      writer->Write({"t", std::nullopt}, Transactions(static_cast<int64_t>(i) * 3, 3), log.Slot(i));
    }
  }
  ASSERT_TRUE(log.WaitAll(std::chrono::seconds(0)));
  EXPECT_EQ(db.CountFromOtherConnection("t"), static_cast<int64_t>(kWrites * 3));
}

}  // namespace
}  // namespace gym

namespace gym {
namespace {

// A backend that stores nothing: it counts the items it commits, and its first group waits
// until the test lets it go.
class HeldBackend final : public CommitBackend {
 public:
  HeldBackend(std::atomic<int>& committed, std::shared_future<void> release, bool hold_first)
      : committed_(committed), release_(std::move(release)), hold_(hold_first) {}
  absl::Status CommitGroup(const std::vector<const WriteParts*>& items,
                           std::vector<absl::Status>&, std::vector<WriteResult>& results) override {
    if (hold_) {
      hold_ = false;
      release_.wait();
    }
    for (size_t i = 0; i < items.size(); ++i) results[i].inserted = 1;
    committed_ += static_cast<int>(items.size());
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> CountRows(const std::string&) override { return committed_.load(); }
  std::string Describe() const override { return "held"; }

 private:
  std::atomic<int>& committed_;
  std::shared_future<void> release_;
  bool hold_;
};

TEST(GroupCommitWriterTest, WithTwoConnectionsFlushAndTasksStillWaitForEveryEarlierWrite) {
  std::atomic<int> committed{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::unique_ptr<CommitBackend>> backends;
  backends.push_back(std::make_unique<HeldBackend>(committed, released, true));
  backends.push_back(std::make_unique<HeldBackend>(committed, released, true));
  GroupCommitWriter writer(std::move(backends), WriterOptions{});
  testing_util::DoneLog log(2);
  // Both connections take a write and hold it.
  writer.Write({"t", std::nullopt}, Frame(), log.Slot(0));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  writer.Write({"t", std::nullopt}, Frame(), log.Slot(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto flushed = std::async(std::launch::async, [&] { writer.Flush(); });
  auto counted = std::async(std::launch::async, [&] { return writer.CountRows("t"); });
  EXPECT_EQ(flushed.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  EXPECT_EQ(counted.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  release.set_value();
  ASSERT_EQ(flushed.wait_for(kWait), std::future_status::ready);
  ASSERT_EQ(counted.wait_for(kWait), std::future_status::ready);
  absl::StatusOr<int64_t> rows = counted.get();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 2);  // the task saw both writes committed
  ASSERT_TRUE(log.WaitAll(kWait));
  EXPECT_EQ(writer.stats().frames, 2);
}

}  // namespace
}  // namespace gym
