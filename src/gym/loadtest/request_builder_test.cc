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

}  // namespace
}  // namespace gym::loadtest
