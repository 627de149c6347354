// A client compiled from the seed's proto alone (no extensions) works unchanged against gym
// serve: every RPC of both seed generations. Links gym_seed_proto, never gym_proto.
#include <chrono>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "gym/testing/server_process.h"
#include "seed/gym/proto/event_ingestion_service_seed.grpc.pb.h"

namespace gym {
namespace {

namespace rpc = gym_framework_rpc;

std::unique_ptr<grpc::ClientContext> Context() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

TEST(SeedClientE2E, BothGenerationsWorkUnchanged) {
  gym::testing::TempDir dir;
  auto server = gym::testing::StartServer(gym::testing::ServeArgs(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));

  rpc::ClientData client;
  client.set_id(1);
  client.set_nome("João");
  client.set_cpf("111.444.777-35");
  client.set_data_nascimento("1970-12-31");
  client.set_endereco("Rua X, 1");
  rpc::TransactionData tx;
  tx.set_id(1);
  tx.set_cliente_id(1);
  tx.set_data("2026-11-25");
  tx.set_valor(99.9);
  tx.set_moeda("BRL");
  rpc::ScoreData score;
  score.set_cpf("111.444.777-35");
  score.set_score(700);
  score.set_renda_mensal(3000);
  score.set_limite_credito(4000);
  score.set_data_ultima_atualizacao("2026-11-01");

  rpc::IngestionResponse single;
  ASSERT_TRUE(stub->IngestClient(Context().get(), client, &single).ok());
  EXPECT_TRUE(single.success()) << single.message();
  EXPECT_FALSE(single.event_id().empty());
  ASSERT_TRUE(stub->IngestTransaction(Context().get(), tx, &single).ok());
  EXPECT_TRUE(single.success()) << single.message();
  ASSERT_TRUE(stub->IngestScore(Context().get(), score, &single).ok());
  EXPECT_TRUE(single.success()) << single.message();

  rpc::IngestClientsRequest clients;
  clients.set_batch_id("seed-c");
  clients.set_emission_timestamp_iso("2026-11-26T17:30:00.123456");
  for (int i = 0; i < 100; ++i) {
    *clients.add_clients() = client;
    clients.mutable_clients(i)->set_id(i + 10);
  }
  rpc::BatchIngestionResponse batch;
  ASSERT_TRUE(stub->IngestClients(Context().get(), clients, &batch).ok());
  EXPECT_TRUE(batch.success());
  EXPECT_EQ(batch.batch_id(), "seed-c");
  EXPECT_EQ(batch.items_received(), 100);
  EXPECT_EQ(batch.items_processed_successfully(), 100);

  rpc::IngestTransactionsRequest txs;
  for (int i = 0; i < 200; ++i) *txs.add_transactions() = tx;
  ASSERT_TRUE(stub->IngestTransactions(Context().get(), txs, &batch).ok());
  EXPECT_EQ(batch.items_processed_successfully(), 200);
  EXPECT_FALSE(batch.batch_id().empty());
  EXPECT_GE(batch.processing_duration_seconds(), 0.0f);

  rpc::IngestScoresRequest scores;
  scores.set_batch_id("seed-s");
  *scores.add_scores() = score;
  ASSERT_TRUE(stub->IngestScores(Context().get(), scores, &batch).ok());
  EXPECT_EQ(batch.items_processed_successfully(), 1);

  stub.reset();  // close the connection so that the server's shutdown need not wait for it
  absl::StatusOr<int> code = (*server)->Stop();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace gym
