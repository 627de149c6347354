// Batches built one at a time: the same bytes whenever and in whatever order they are built,
// and the references (a transaction's client, a score's CPF) of the plan they belong to.
#include "gym/loadtest/request_builder.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "gym/domain/dates.h"
#include "gym/proto/event_ingestion_service.pb.h"

namespace gym::loadtest {
namespace {
namespace rpc = ::gym_framework_rpc;

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

WorkloadShape SmallShape() {
  WorkloadShape shape;
  shape.client_batches = 2;
  shape.client_batch_size = 5;
  shape.tx_batches_per_client_batch = 2;
  shape.tx_batch_size = 7;
  shape.score_batches = 3;  // 12 scores for 10 clients: the CPFs cycle
  shape.score_batch_size = 4;
  return shape;
}

TEST(ClientRequestsTest, ABatchIsTheSameWhateverTheOrderOfBuilding) {
  const MockGenerator gen(7, Date{2026, 1, 15});
  const IdLayout ids = IdLayout::For(SmallShape(), 1000);
  const ClientRequests requests(gen, SmallShape(), ids, /*client_index=*/2, "r1", RpcKind::kBatch);
  ASSERT_EQ(requests.size(), 2u + 4u + 3u);
  std::vector<std::string> forward;
  for (size_t k = 0; k < requests.size(); ++k) {
    const PreparedBatch b = requests.Build(k);
    EXPECT_EQ(b.sequence, k);
    EXPECT_EQ(b.spec.type, requests.spec(k).type);
    ASSERT_EQ(b.payloads.size(), 1u);
    forward.push_back(Bytes(b.payloads[0]));
  }
  for (size_t k = requests.size(); k-- > 0;) {
    SCOPED_TRACE(k);
    EXPECT_EQ(Bytes(requests.Build(k).payloads[0]), forward[k]);
  }
}

TEST(ClientRequestsTest, ReferencesPointAtThisClientsRows) {
  const MockGenerator gen(7, Date{2026, 1, 15});
  const IdLayout ids = IdLayout::For(SmallShape(), 1000);
  const ClientRequests requests(gen, SmallShape(), ids, /*client_index=*/1, "r1", RpcKind::kBatch);
  std::vector<int64_t> client_ids;
  std::set<std::string> cpfs;
  std::multiset<std::string> scored;
  for (size_t k = 0; k < requests.size(); ++k) {
    SCOPED_TRACE(k);
    const PreparedBatch b = requests.Build(k);
    const std::string bytes = Bytes(b.payloads[0]);
    switch (b.spec.type) {
      case BatchType::kClients: {
        rpc::IngestClientsRequest r;
        ASSERT_TRUE(r.ParseFromString(bytes));
        EXPECT_EQ(r.batch_id(), BatchId("r1", 1, BatchType::kClients, b.spec.ordinal));
        client_ids.clear();
        for (const auto& c : r.clients()) {
          client_ids.push_back(c.id());
          cpfs.insert(c.cpf());
        }
        break;
      }
      case BatchType::kTransactions: {
        rpc::IngestTransactionsRequest r;
        ASSERT_TRUE(r.ParseFromString(bytes));
        for (const auto& t : r.transactions()) {
          // Among the clients of the client batch just before.
          EXPECT_NE(std::find(client_ids.begin(), client_ids.end(), t.cliente_id()),
                    client_ids.end())
              << t.cliente_id();
        }
        break;
      }
      case BatchType::kScores: {
        rpc::IngestScoresRequest r;
        ASSERT_TRUE(r.ParseFromString(bytes));
        for (const auto& s : r.scores()) scored.insert(s.cpf());
        break;
      }
    }
  }
  // Every CPF sent is scored, the first two twice (12 scores over 10 clients).
  EXPECT_EQ(cpfs.size(), 10u);
  EXPECT_EQ(scored.size(), 12u);
  for (const std::string& cpf : cpfs) EXPECT_GE(scored.count(cpf), 1u) << cpf;
}

// The event_id of every item of batch k, in order, whatever the type.
std::vector<std::string> EventIds(const ClientRequests& requests, size_t k) {
  const PreparedBatch b = requests.Build(k);
  const std::string bytes = Bytes(b.payloads[0]);
  std::vector<std::string> ids;
  switch (b.spec.type) {
    case BatchType::kClients: {
      rpc::IngestClientsRequest r;
      EXPECT_TRUE(r.ParseFromString(bytes));
      for (const auto& c : r.clients()) ids.push_back(c.event_id());
      break;
    }
    case BatchType::kTransactions: {
      rpc::IngestTransactionsRequest r;
      EXPECT_TRUE(r.ParseFromString(bytes));
      for (const auto& t : r.transactions()) ids.push_back(t.event_id());
      break;
    }
    case BatchType::kScores: {
      rpc::IngestScoresRequest r;
      EXPECT_TRUE(r.ParseFromString(bytes));
      for (const auto& s : r.scores()) ids.push_back(s.event_id());
      break;
    }
  }
  return ids;
}

TEST(ClientRequestsTest, ClientIdsAreUniqueAndSurviveARebuild) {
  const MockGenerator gen(7, Date{2026, 1, 15});
  const IdLayout ids = IdLayout::For(SmallShape(), 1000);
  for (EventIdMode mode : {EventIdMode::kUuid, EventIdMode::kSequential}) {
    SCOPED_TRACE(EventIdModeName(mode));
    const ClientRequests requests(gen, SmallShape(), ids, /*client_index=*/2, "r1", RpcKind::kBatch,
                                  EventIdSource::ForClient(mode, /*run_key=*/5, "r1", 2));
    std::set<std::string> all;
    std::vector<std::vector<std::string>> first_build;
    for (size_t k = 0; k < requests.size(); ++k) {
      first_build.push_back(EventIds(requests, k));
      for (const std::string& id : first_build.back()) {
        EXPECT_FALSE(id.empty()) << "batch " << k;
        all.insert(id);
      }
    }
    // 10 clients, 28 transactions and 12 scores, each its own id.
    EXPECT_EQ(all.size(), 10u + 28u + 12u);
    for (size_t k = requests.size(); k-- > 0;) {
      SCOPED_TRACE(k);
      EXPECT_EQ(EventIds(requests, k), first_build[k]);
    }
    if (mode == EventIdMode::kSequential) {
      // In sending order: the first item of the plan is event 0, the last event 49.
      EXPECT_EQ(first_build.front().front(), "r1-c2-000000000000");
      EXPECT_EQ(first_build.back().back(), "r1-c2-000000000049");
    }
  }
}

TEST(ClientRequestsTest, DerivedModeLeavesTheIdToTheServer) {
  const MockGenerator gen(7, Date{2026, 1, 15});
  const IdLayout ids = IdLayout::For(SmallShape(), 1000);
  const ClientRequests requests(gen, SmallShape(), ids, 0, "r1", RpcKind::kBatch);
  for (size_t k = 0; k < requests.size(); ++k) {
    for (const std::string& id : EventIds(requests, k)) EXPECT_EQ(id, "") << "batch " << k;
  }
}

TEST(ClientRequestsTest, SingleCallsCarryTheIdsOfTheBatch) {
  const MockGenerator gen(7, Date{2026, 1, 15});
  const IdLayout ids = IdLayout::For(SmallShape(), 1000);
  const EventIdSource source = EventIdSource::ForClient(EventIdMode::kUuid, 5, "r1", 0);
  const ClientRequests batch(gen, SmallShape(), ids, 0, "r1", RpcKind::kBatch, source);
  const ClientRequests single(gen, SmallShape(), ids, 0, "r1", RpcKind::kSingle, source);
  const std::vector<std::string> want = EventIds(batch, 1);  // a transaction batch
  ASSERT_EQ(batch.spec(1).type, BatchType::kTransactions);
  const PreparedBatch b = single.Build(1);
  ASSERT_EQ(b.payloads.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    rpc::TransactionData t;
    ASSERT_TRUE(t.ParseFromString(Bytes(b.payloads[i])));
    EXPECT_EQ(t.event_id(), want[i]) << i;
  }
}

}  // namespace
}  // namespace gym::loadtest
