// What the engine answers is what the database holds: duplicates, refusals and failed commits
// are reported as what happened, and the counts always add up to the items sent.
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "fmt/core.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/server/ingestion_engine_test_util.h"
#include "gym/storage/sqlite_connection.h"

namespace gym {
namespace {

using ::testing::HasSubstr;
using testing_util::BatchIngestionResponse;
using testing_util::EngineTest;
using testing_util::IngestTransactionsRequest;
using testing_util::Transactions;

// Items whose event ids are the client's own `ids`.
IngestTransactionsRequest WithIds(const std::string& batch_id, const std::vector<std::string>& ids) {
  IngestTransactionsRequest r = Transactions(batch_id, static_cast<int>(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) {
    r.mutable_transactions(static_cast<int>(i))->set_event_id(ids[i]);
  }
  return r;
}

void ExpectCountsAddUp(const BatchIngestionResponse& r) {
  EXPECT_EQ(r.items_processed_successfully() + r.items_duplicate() + r.items_rejected(),
            r.items_received())
      << r.ShortDebugString();
}

TEST_F(EngineTest, RepeatedIdInsideABatchStoresTheFirstOccurrenceOnly) {
  IngestTransactionsRequest request = WithIds("b", {"e1", "e2", "e1"});
  request.mutable_transactions(2)->set_valor(999.0);
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 2);
  EXPECT_EQ(response.items_duplicate(), 1);
  EXPECT_EQ(response.items_rejected(), 0);
  ExpectCountsAddUp(response);
  EXPECT_EQ(Query("SELECT valor FROM transactions WHERE event_id = 'e1'").column("valor").DoubleAt(0),
            100.0);
}

TEST_F(EngineTest, RepeatOfARejectedItemIsADuplicateNotASecondRefusal) {
  IngestTransactionsRequest request = WithIds("b", {"e1", "e1"});
  request.mutable_transactions(0)->set_moeda("XYZ");
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 0);
  EXPECT_EQ(response.items_rejected(), 1);
  EXPECT_EQ(response.items_duplicate(), 1);
  EXPECT_EQ(Count("rejected_events"), 1);
  EXPECT_EQ(Count("transactions"), 0);
}

TEST_F(EngineTest, BadRetryOfAStoredEventIsADuplicateAndNotRecordedAsRejected) {
  BatchIngestionResponse first;
  ASSERT_TRUE(Send(WithIds("b1", {"e1", "e2"}), &first).ok());
  EXPECT_EQ(first.items_processed_successfully(), 2);
  IngestTransactionsRequest retry = WithIds("b2", {"e1", "e3"});
  retry.mutable_transactions(0)->set_moeda("XYZ");
  BatchIngestionResponse second;
  ASSERT_TRUE(Send(retry, &second).ok());
  EXPECT_EQ(second.items_processed_successfully(), 1);
  EXPECT_EQ(second.items_duplicate(), 1);
  EXPECT_EQ(second.items_rejected(), 0);
  ExpectCountsAddUp(second);
  EXPECT_EQ(Count("rejected_events"), 0);
  EXPECT_EQ(Count("transactions"), 3);
}

TEST_F(EngineTest, CorrectedRetryOfARejectedEventIsStoredAndLeavesTheRefusals) {
  IngestTransactionsRequest bad = WithIds("b1", {"e1", "e2"});
  bad.mutable_transactions(0)->set_moeda("XYZ");
  bad.mutable_transactions(1)->set_moeda("XYZ");
  BatchIngestionResponse first;
  ASSERT_TRUE(Send(bad, &first).ok());
  EXPECT_EQ(first.items_rejected(), 2);
  EXPECT_EQ(Count("rejected_events"), 2);
  BatchIngestionResponse fixed;
  ASSERT_TRUE(Send(WithIds("b2", {"e1"}), &fixed).ok());
  EXPECT_EQ(fixed.items_processed_successfully(), 1);
  EXPECT_EQ(Count("transactions"), 1);
  // Only e1 moved; e2 is still refused.
  EXPECT_EQ(Query("SELECT event_id FROM rejected_events").column("event_id").StringAt(0), "e2");
  EXPECT_EQ(Query("SELECT COUNT(*) AS n FROM transactions t JOIN rejected_events r "
                  "ON t.event_id = r.event_id").column("n").Int64At(0), 0);
}

TEST_F(EngineTest, ClientIdCannotTakeTheFormOfADerivedId) {
  // "a:0" is the id the server derives for item 0 of batch "a".
  BatchIngestionResponse client;
  ASSERT_TRUE(Send(WithIds("other", {"a:0"}), &client).ok());
  EXPECT_EQ(client.items_rejected(), 1);
  ASSERT_EQ(client.rejected_size(), 1);
  EXPECT_THAT(client.rejected(0).reason(), HasSubstr("event_id: ':'"));
  EXPECT_EQ(client.rejected(0).event_id(), "other:0");
  BatchIngestionResponse derived;
  ASSERT_TRUE(Send(Transactions("a", 1), &derived).ok());
  EXPECT_EQ(derived.items_processed_successfully(), 1);
  EXPECT_EQ(derived.items_duplicate(), 0);
}

// Every item is where its count says: committed and duplicate ones in the table, rejected ones
// in rejected_events (a re-sent bad item is rejected again, and recorded once).
TEST_F(EngineTest, CountsAddUpAndMatchTheDatabaseOverAMixOfBatches) {
  int64_t committed = 0;
  std::set<std::string> rejected;
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE(round);
    // Overlapping windows of ids, every third item bad, one in-batch repeat.
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(fmt::format("id{}", round * 3 + i));
    ids.push_back(ids.front());
    IngestTransactionsRequest request = WithIds(fmt::format("mix{}", round), ids);
    for (int i = 0; i < request.transactions_size(); i += 3) {
      request.mutable_transactions(i)->set_data("2026-02-30");
    }
    BatchIngestionResponse response;
    ASSERT_TRUE(Send(request, &response).ok());
    ExpectCountsAddUp(response);
    committed += response.items_processed_successfully();
    EXPECT_EQ(response.rejected_size(), response.items_rejected());
    for (const auto& r : response.rejected()) rejected.insert(r.event_id());
    EXPECT_EQ(Count("transactions"), committed);
    EXPECT_EQ(Count("rejected_events"), static_cast<int64_t>(rejected.size()));
    for (const auto& r : response.rejected()) {
      EXPECT_EQ(Query("SELECT COUNT(*) AS n FROM rejected_events WHERE event_id = '" +
                      r.event_id() + "'").column("n").Int64At(0), 1);
    }
  }
}

TEST_F(EngineTest, BatchThatCannotCommitAnswersUnavailableAndStoresNothing) {
  engine_.reset();
  engine_ = Open(100000, 10000, {.busy_timeout = std::chrono::milliseconds(50)});
  absl::StatusOr<SqliteConnection> other = OpenForWriting(dir_.File("gym.db"));
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(other->Exec("BEGIN IMMEDIATE").ok());
  BatchIngestionResponse locked;
  const absl::Status status = Send(Transactions("locked", 4), &locked);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(status.message(), HasSubstr("not committed"));
  EXPECT_FALSE(locked.success());
  EXPECT_EQ(locked.items_processed_successfully(), 0);
  ASSERT_TRUE(other->Exec("ROLLBACK").ok());
  EXPECT_EQ(Count("transactions"), 0);
  EXPECT_EQ(engine_->inflight_events(), 0);
  // The same batch, retried once the lock is gone, is stored once.
  BatchIngestionResponse retried;
  ASSERT_TRUE(Send(Transactions("locked", 4), &retried).ok());
  EXPECT_EQ(retried.items_processed_successfully(), 4);
}

TEST_F(EngineTest, DatesOutsideTheWindowAreRejected) {
  IngestTransactionsRequest request = Transactions("w", 4);
  request.mutable_transactions(0)->set_data("1899-12-31");
  request.mutable_transactions(1)->set_data("1900-01-01");
  request.mutable_transactions(2)->set_data("9000-01-01");
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 2);
  ASSERT_EQ(response.rejected_size(), 2);
  EXPECT_THAT(response.rejected(0).reason(), HasSubstr("outside the accepted window"));
  EXPECT_EQ(response.rejected(1).index(), 2);
}

TEST_F(EngineTest, OversizedTextIsRejectedAndItsRecordIsBounded) {
  IngestTransactionsRequest request = Transactions("long", 1);
  request.mutable_transactions(0)->set_categoria(std::string(100000, 'x'));
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  ASSERT_EQ(response.rejected_size(), 1);
  EXPECT_THAT(response.rejected(0).reason(), HasSubstr("categoria: 100000 bytes"));
  const std::string payload =
      Query("SELECT payload FROM rejected_events").column("payload").StringAt(0);
  EXPECT_LE(payload.size(), kMaxPayloadBytes + 64);
  EXPECT_THAT(payload, HasSubstr("truncated"));
}

TEST_F(EngineTest, FieldWithTheWrongWireTypeIsRejectedNamingIt) {
  IngestTransactionsRequest request = Transactions("wire", 2);
  // valor (field 4) sent as a varint instead of a double.
  auto* item = request.mutable_transactions(0);
  item->clear_valor();
  item->GetReflection()->MutableUnknownFields(item)->AddVarint(4, 123);
  BatchIngestionResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 1);
  ASSERT_EQ(response.rejected_size(), 1);
  EXPECT_THAT(response.rejected(0).reason(), HasSubstr("valor: sent with the wrong wire type"));
}

}  // namespace
}  // namespace gym
