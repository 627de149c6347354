// The group-commit writer on PostgreSQL, against a real cluster this binary starts
// (gym::testing::PgCluster): counts from RETURNING, repeats within and across groups, key
// exclusion, a bad item failing alone, two writers on the same rows, schema versions, and a
// server that goes away and comes back.
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/storage/group_commit_writer.h"
#include "gym/storage/pg_commit_backend.h"
#include "gym/storage/sqlite_test_util.h"
#include "gym/testing/pg_test.h"
#include "pqxx/pqxx"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::DoneLog;
using testing_util::Transactions;

constexpr auto kWait = std::chrono::seconds(60);

// With an event_id column ("e<id>") as the unique key, as the server stores them.
Frame Events(int64_t first_id, size_t rows) {
  Frame f = Transactions(first_id, rows);
  std::vector<std::string> ids;
  for (size_t i = 0; i < rows; ++i) ids.push_back(absl::StrCat("e", first_id + int64_t(i)));
  f.AddColumn("event_id", Column::Strings(std::move(ids)));
  return f;
}

TableOptions Keyed(const std::string& table) {
  TableOptions o;
  o.table = table;
  o.unique_key = "event_id";
  return o;
}

class PgBackendTest : public testing::PgTest {
 protected:
  std::unique_ptr<GroupCommitWriter> Open() {
    absl::StatusOr<std::unique_ptr<GroupCommitWriter>> w = GroupCommitWriter::Open(uri());
    EXPECT_TRUE(w.ok()) << w.status();
    return w.ok() ? std::move(*w) : nullptr;
  }
};

TEST(PgTarget, UrisAndKeyValueSettingsArePostgresFilesAreNot) {
  EXPECT_TRUE(IsPostgresTarget("postgresql://u@h:5432/db"));
  EXPECT_TRUE(IsPostgresTarget("postgres://h/db"));
  EXPECT_TRUE(IsPostgresTarget("host=127.0.0.1 port=5432 dbname=gym"));
  EXPECT_FALSE(IsPostgresTarget("gym.db"));
  EXPECT_FALSE(IsPostgresTarget("/data/a=b/gym.db"));
  EXPECT_EQ(RedactConninfo("postgresql://gym:s3cret@db:5432/x"), "postgresql://gym:***@db:5432/x");
  EXPECT_EQ(RedactConninfo("host=db password=s3cret dbname=x"), "host=db password=*** dbname=x");
}

TEST(PgTarget, ConnectTimeoutIsAddedUnlessGiven) {
  EXPECT_EQ(WithConnectTimeout("postgresql://u@h:5432/db"),
            "postgresql://u@h:5432/db?connect_timeout=5");
  EXPECT_EQ(WithConnectTimeout("postgresql://h/db?sslmode=disable", 3),
            "postgresql://h/db?sslmode=disable&connect_timeout=3");
  EXPECT_EQ(WithConnectTimeout("host=h dbname=x"), "host=h dbname=x connect_timeout=5");
  EXPECT_EQ(WithConnectTimeout("host=h connect_timeout=30"), "host=h connect_timeout=30");
}

TEST_F(PgBackendTest, GroupsCountInsertedAndAlreadyStoredExactly) {
  auto writer = Open();
  ASSERT_NE(writer, nullptr);
  DoneLog log(3);
  writer->Write(Keyed("transactions"), Events(0, 100), log.Slot(0));
  writer->Flush();
  // Half new, half stored; then the same again. The writer's two connections may commit
  // them in either order: one of them stores the 50 new rows.
  writer->Write(Keyed("transactions"), Events(50, 100), log.Slot(1));
  writer->Write(Keyed("transactions"), Events(50, 100), log.Slot(2));
  ASSERT_TRUE(log.WaitAll(kWait));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log.status(i).ok()) << log.status(i);
  EXPECT_EQ(log.result(0).inserted, 100);
  EXPECT_EQ(log.result(1).inserted + log.result(2).inserted, 50);
  EXPECT_EQ(log.result(1).ignored + log.result(2).ignored, 150);
  EXPECT_TRUE(log.result(1).inserted == 0 || log.result(2).inserted == 0);
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT event_id) FROM transactions"), "150|150");
  absl::StatusOr<int64_t> rows = writer->CountRows("transactions");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, 150);
  EXPECT_EQ(*writer->CountRows("no_such_table"), 0);
  // Values come back as they were sent.
  EXPECT_EQ(Query("SELECT id, cliente_id, data, valor, moeda FROM transactions "
                  "WHERE event_id = 'e7'"),
            "7|7|2024-05-17|50.07|USD");
}

TEST_F(PgBackendTest, AKeyTwiceInOneGroupIsStoredOnceForTheEarlierItem) {
  auto writer = Open();
  ASSERT_NE(writer, nullptr);
  DoneLog log(1);
  // Both parts of one WriteAll share a group for sure.
  writer->WriteAll({{Keyed("transactions"), Events(0, 10)}, {Keyed("transactions"), Events(5, 10)}},
                   log.Slot(0));
  ASSERT_TRUE(log.WaitAll(kWait));
  ASSERT_TRUE(log.status(0).ok()) << log.status(0);
  const WriteResult r = log.result(0);
  ASSERT_EQ(r.parts.size(), 2u);
  EXPECT_EQ(r.parts[0].inserted, 10);
  EXPECT_EQ(r.parts[1].inserted, 5);
  EXPECT_EQ(r.parts[1].ignored, 5);
  EXPECT_EQ(r.inserted, 15);
  EXPECT_EQ(Query("SELECT count(*) FROM transactions"), "15");
}

TEST_F(PgBackendTest, KeysStoredElsewhereAreSkippedAndAcceptedKeysEvictTheirRefusal) {
  auto writer = Open();
  ASSERT_NE(writer, nullptr);
  TableOptions rejected = Keyed("rejected_events");
  rejected.skip_keys_in = "transactions";
  TableOptions accepted = Keyed("transactions");
  accepted.evict_keys_from = "rejected_events";
  DoneLog log(3);
  writer->Write(accepted, Events(0, 5), log.Slot(0));  // e0..e4 stored
  writer->Flush();
  // A refusal of e3..e7: e3, e4 are stored already (elsewhere); e5..e7 are refused.
  writer->Write(rejected, Events(3, 5), log.Slot(1));
  writer->Flush();
  // e6 accepted now: its refusal goes.
  writer->Write(accepted, Events(6, 1), log.Slot(2));
  ASSERT_TRUE(log.WaitAll(kWait));
  EXPECT_EQ(log.result(1).elsewhere, 2);
  EXPECT_EQ(log.result(1).inserted, 3);
  EXPECT_EQ(log.result(2).inserted, 1);
  EXPECT_EQ(Query("SELECT string_agg(event_id, ',' ORDER BY event_id) FROM rejected_events"),
            "e5,e7");
}

// Across replicas, one event in one table: a refusal and an acceptance of the same event on
// two replicas at once. Here the other replica is a session of the test, with its
// transaction left open; this writer's group must wait for it and then see what it stored.
class PgRefusalRaceTest : public PgBackendTest {
 protected:
  void SetUp() override {
    PgBackendTest::SetUp();
    if (IsSkipped()) return;
    writer_ = Open();
    ASSERT_NE(writer_, nullptr);
    refused_.skip_keys_in = "transactions";
    accepted_.evict_keys_from = "rejected_events";
    DoneLog setup(2);  // both tables exist
    writer_->Write(accepted_, Events(0, 1), setup.Slot(0));
    writer_->Write(refused_, Events(100, 1), setup.Slot(1));
    ASSERT_TRUE(setup.WaitAll(kWait));
  }
  std::unique_ptr<GroupCommitWriter> writer_;
  TableOptions refused_ = Keyed("rejected_events");
  TableOptions accepted_ = Keyed("transactions");
};

TEST_F(PgRefusalRaceTest, ARefusalWaitsForAnAcceptanceInFlightThenCountsItElsewhere) {
  pqxx::connection other(uri());
  pqxx::work accepting(other);  // another replica accepting e5, not yet committed
  accepting.exec("LOCK TABLE transactions IN ROW EXCLUSIVE MODE");
  accepting.exec("INSERT INTO transactions (event_id, id) VALUES ('e5', 5)");
  DoneLog log(1);
  writer_->Write(refused_, Events(5, 1), log.Slot(0));
  EXPECT_FALSE(log.WaitAll(std::chrono::milliseconds(400))) << "the refusal did not wait";
  accepting.commit();
  ASSERT_TRUE(log.WaitAll(kWait));
  ASSERT_TRUE(log.status(0).ok()) << log.status(0);
  EXPECT_EQ(log.result(0).elsewhere, 1);
  EXPECT_EQ(log.result(0).inserted, 0);
  EXPECT_EQ(Query("SELECT count(*) FROM rejected_events WHERE event_id = 'e5'"), "0");
}

TEST_F(PgRefusalRaceTest, AnAcceptanceWaitsForARefusalInFlightThenEvictsIt) {
  pqxx::connection other(uri());
  // Another replica refusing e7, locking as LockGroupTables does. This guards the acceptance
  // side's part of the promise: once its lock is granted, it sees the refusal and evicts it.
  pqxx::work refusing(other);
  refusing.exec("LOCK TABLE transactions IN SHARE ROW EXCLUSIVE MODE");
  refusing.exec("INSERT INTO rejected_events (event_id, id) VALUES ('e7', 7)");
  DoneLog log(1);
  writer_->Write(accepted_, Events(7, 1), log.Slot(0));
  EXPECT_FALSE(log.WaitAll(std::chrono::milliseconds(400))) << "the acceptance did not wait";
  refusing.commit();
  ASSERT_TRUE(log.WaitAll(kWait));
  ASSERT_TRUE(log.status(0).ok()) << log.status(0);
  EXPECT_EQ(log.result(0).inserted, 1);
  EXPECT_EQ(Query("SELECT count(*) FROM rejected_events WHERE event_id = 'e7'"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM transactions WHERE event_id = 'e7'"), "1");
}

TEST_F(PgBackendTest, AnItemWhoseDataItsTableCannotTakeFailsAloneItsGroupCommits) {
  auto writer = Open();
  ASSERT_NE(writer, nullptr);
  DoneLog first(1);
  writer->Write(Keyed("transactions"), Events(0, 3), first.Slot(0));
  ASSERT_TRUE(first.WaitAll(kWait));
  // `id` is bigint now; a frame whose id is text that is not a number breaks the merged
  // statement, and is then written alone and refused.
  Frame bad = Events(100, 2);
  bad.mutable_column("id") = Column::Strings({"x", "y"});
  DoneLog log(3);
  writer->WriteAll({{Keyed("transactions"), Events(10, 2)}}, log.Slot(0));
  writer->WriteAll({{Keyed("transactions"), bad}}, log.Slot(1));
  writer->WriteAll({{Keyed("transactions"), Events(20, 2)}}, log.Slot(2));
  ASSERT_TRUE(log.WaitAll(kWait));
  EXPECT_TRUE(log.status(0).ok()) << log.status(0);
  EXPECT_EQ(log.status(1).code(), absl::StatusCode::kInvalidArgument) << log.status(1);
  EXPECT_TRUE(log.status(2).ok()) << log.status(2);
  EXPECT_EQ(Query("SELECT count(*) FROM transactions"), "7");
  // A name that is not an identifier never reaches SQL.
  DoneLog named(1);
  writer->Write(Keyed("drop table x;--"), Events(0, 1), named.Slot(0));
  ASSERT_TRUE(named.WaitAll(kWait));
  EXPECT_EQ(named.status(0).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PgBackendTest, TwoWritersSendingTheSameRowsInOppositeOrdersStoreEachOnce) {
  auto a = Open();
  auto b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kBatches = 40;
  std::atomic<int64_t> inserted{0}, ignored{0}, failed{0};
  auto send = [&](GroupCommitWriter& w, bool reverse) {
    DoneLog log(kBatches);
    for (int i = 0; i < kBatches; ++i) {
      const int n = reverse ? kBatches - 1 - i : i;
      // Overlapping batches, so rows of one group are locked by the other writer's groups.
      w.Write(Keyed("transactions"), Events(n * 50, 100), log.Slot(i));
    }
    EXPECT_TRUE(log.WaitAll(kWait));
    for (int i = 0; i < kBatches; ++i) {
      if (!log.status(i).ok()) {
        ++failed;
        ADD_FAILURE() << log.status(i);
      }
      inserted += log.result(i).inserted;
      ignored += log.result(i).ignored;
    }
  };
  std::thread ta([&] { send(*a, false); });
  std::thread tb([&] { send(*b, true); });
  ta.join();
  tb.join();
  EXPECT_EQ(failed.load(), 0);
  const int64_t distinct = (kBatches - 1) * 50 + 100;
  EXPECT_EQ(inserted.load(), distinct);
  EXPECT_EQ(inserted.load() + ignored.load(), 2 * kBatches * 100);
  EXPECT_EQ(Query("SELECT count(*) FROM transactions"), std::to_string(distinct));
  // Rows sorted by key: each group locks its keys in one order, so no two groups ever wait
  // on each other in a cycle (the backend would retry a deadlock, a second later, unseen).
  a.reset();
  b.reset();
  EXPECT_EQ(Deadlocks(), "0");
}

// The helper the no-deadlock assertions rest on sees a deadlock when there is one: two
// sessions that each hold a row the other then updates.
TEST_F(PgBackendTest, DeadlocksCountsTheOnesPostgresBroke) {
  Query("CREATE TABLE pair (id int PRIMARY KEY, n int); INSERT INTO pair VALUES (1, 0), (2, 0)");
  EXPECT_EQ(Deadlocks(), "0");
  {  // both sessions end with this block
    pqxx::connection first(uri());
    pqxx::connection second(uri());
    pqxx::work a(first);
    pqxx::work b(second);
    a.exec("UPDATE pair SET n = n + 1 WHERE id = 1");
    b.exec("UPDATE pair SET n = n + 1 WHERE id = 2");
    std::atomic<bool> a_failed{false};
    std::thread crossing([&] {
      try {
        a.exec("UPDATE pair SET n = n + 1 WHERE id = 2");  // waits for b
      } catch (const std::exception&) {  // deadlock_detected (a transaction_rollback)
        a_failed = true;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a is waiting by now
    bool b_failed = false;
    try {
      b.exec("UPDATE pair SET n = n + 1 WHERE id = 1");  // the cycle: one side is broken
    } catch (const pqxx::transaction_rollback&) {
      b_failed = true;
    }
    if (!b_failed) b.abort();  // lets a go if the detector chose it
    crossing.join();
    EXPECT_TRUE(a_failed.load() != b_failed) << "exactly one side is broken";
  }
  EXPECT_EQ(Deadlocks(), "1");
}

TEST_F(PgBackendTest, ANewerSchemaVersionIsRefused) {
  Query("CREATE TABLE gym_schema (version integer NOT NULL); INSERT INTO gym_schema VALUES (99)");
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> w = GroupCommitWriter::Open(uri());
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(w.status().message()), HasSubstr("version 99"));
}

TEST_F(PgBackendTest, WhileTheServerIsDownGroupsFailUnavailableThenItRecoversByItself) {
  // One connection, so that the burst below meets the backoff its first failure started.
  absl::StatusOr<std::unique_ptr<GroupCommitWriter>> opened =
      GroupCommitWriter::Open(uri(), {.connections = 1});
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<GroupCommitWriter> writer = *std::move(opened);
  ASSERT_NE(writer, nullptr);
  DoneLog before(1);
  writer->Write(Keyed("transactions"), Events(0, 10), before.Slot(0));
  ASSERT_TRUE(before.WaitAll(kWait));
  ASSERT_TRUE(cluster().StopImmediately().ok());
  DoneLog down(1);
  writer->Write(Keyed("transactions"), Events(10, 10), down.Slot(0));
  ASSERT_TRUE(down.WaitAll(kWait));
  EXPECT_EQ(down.status(0).code(), absl::StatusCode::kUnavailable) << down.status(0);
  // Right after a failed connection, the next groups do not try again: they fail at once,
  // saying when the next try is (no connection storm against a recovering server).
  DoneLog burst(4);
  for (int i = 0; i < 4; ++i) writer->Write(Keyed("transactions"), Events(10, 10), burst.Slot(i));
  ASSERT_TRUE(burst.WaitAll(kWait));
  int waited_out = 0;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(burst.status(i).code(), absl::StatusCode::kUnavailable) << burst.status(i);
    waited_out += absl::StrContains(burst.status(i).message(), "tried again in") ? 1 : 0;
  }
  // The burst's groups come within the first 50 ms on a quiet machine; a loaded one may let
  // the backoff lapse before some of them, so one waited out is enough.
  EXPECT_GT(waited_out, 0);
  ASSERT_TRUE(cluster().StartAgain().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // past the first backoffs
  // The same batch again (a client's retry), on the same writer: stored once.
  DoneLog after(2);
  writer->Write(Keyed("transactions"), Events(10, 10), after.Slot(0));
  writer->Write(Keyed("transactions"), Events(10, 10), after.Slot(1));
  ASSERT_TRUE(after.WaitAll(kWait));
  ASSERT_TRUE(after.status(0).ok()) << after.status(0);
  EXPECT_EQ(after.result(0).inserted + after.result(1).inserted, 10);
  EXPECT_EQ(Query("SELECT count(*) FROM transactions"), "20");
}

}  // namespace
}  // namespace gym
