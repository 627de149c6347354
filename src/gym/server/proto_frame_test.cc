#include "gym/server/proto_frame.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gym {
namespace {

TEST(TransactionsToFrame, TakesOnlyAcceptedRowsAndAddsIdColumns) {
  gym_framework_rpc::IngestTransactionsRequest request;
  for (int i = 0; i < 3; ++i) {
    auto* t = request.add_transactions();
    t->set_id(10 + i);
    t->set_cliente_id(7);
    t->set_data("2026-11-2" + std::to_string(i));
    t->set_valor(1.5 * i);
    t->set_moeda("USD");
    if (i == 2) t->set_categoria("Lazer");
  }
  const std::vector<std::string> ids = {"b:0", "b:1", "b:2"};
  const std::vector<uint32_t> rows = {0, 2};
  const BatchContext ctx{"b", "2026-11-26T00:00:00.000000Z", ids};
  Frame f = TransactionsToFrame(request.transactions(), rows, ctx);
  EXPECT_EQ(f.column_names(),
            (std::vector<std::string>{"id", "cliente_id", "data", "valor", "moeda", "categoria",
                                      "event_id", "batch_id", "ingested_at"}));
  ASSERT_EQ(f.num_rows(), 2u);
  EXPECT_EQ(f.column("id").Int64At(1), 12);
  EXPECT_EQ(f.column("valor").DoubleAt(1), 3.0);
  EXPECT_FALSE(f.column("categoria").IsValid(0));
  EXPECT_EQ(f.column("categoria").StringAt(1), "Lazer");
  EXPECT_EQ(f.column("event_id").StringAt(1), "b:2");
  EXPECT_EQ(f.column("batch_id").StringAt(0), "b");
  EXPECT_EQ(f.column("ingested_at").StringAt(0), "2026-11-26T00:00:00.000000Z");
}

TEST(ClientsAndScoresToFrame, SeedColumnsInOrder) {
  gym_framework_rpc::IngestClientsRequest clients;
  auto* c = clients.add_clients();
  c->set_id(1);
  c->set_nome("Ana");
  gym_framework_rpc::IngestScoresRequest scores;
  auto* s = scores.add_scores();
  s->set_cpf("111.444.777-35");
  s->set_score(640);
  const std::vector<std::string> ids = {"x"};
  const std::vector<uint32_t> rows = {0};
  const BatchContext ctx{"b", "t", ids};
  Frame cf = ClientsToFrame(clients.clients(), rows, ctx);
  EXPECT_EQ(cf.schema().ToString(),
            "id:int64, nome:string, cpf:string, data_nascimento:string, endereco:string, "
            "event_id:string, batch_id:string, ingested_at:string");
  Frame sf = ScoresToFrame(scores.scores(), rows, ctx);
  EXPECT_EQ(sf.column("score").Int64At(0), 640);
  EXPECT_EQ(sf.column_names().front(), "cpf");
}

TEST(RejectedToFrame, OneRowPerRejectedItem) {
  const std::vector<std::string> ids = {"b:0", "b:1"};
  const BatchContext ctx{"b", "t", ids};
  Frame f = RejectedToFrame(EventType::kScores, {{1, "score: out of range", "{}"}}, ctx);
  ASSERT_EQ(f.num_rows(), 1u);
  EXPECT_EQ(f.column("event_id").StringAt(0), "b:1");
  EXPECT_EQ(f.column("type").StringAt(0), "scores");
  EXPECT_EQ(f.column("item_index").Int64At(0), 1);
  EXPECT_EQ(f.column("reason").StringAt(0), "score: out of range");
}

TEST(ItemJson, UsesProtoFieldNames) {
  gym_framework_rpc::TransactionData t;
  t.set_cliente_id(3);
  t.set_moeda("XYZ");
  const std::string json = ItemJson(t);
  EXPECT_NE(json.find("\"cliente_id\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"XYZ\""), std::string::npos) << json;
}

}  // namespace
}  // namespace gym
