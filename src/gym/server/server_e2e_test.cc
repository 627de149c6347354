// End to end: the real `gym serve` binary on an ephemeral loopback port, real gRPC clients,
// and the database read back afterwards.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/sources/sqlite_source.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"
#include "nlohmann/json.hpp"

namespace gym {
namespace {

namespace rpc = gym_framework_rpc;
using gym::testing::ServeArgs;
using gym::testing::ServerProcess;
using gym::testing::StartServer;
using gym::testing::TempDir;

class ServerE2E : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> extra = {}) {
    auto server = StartServer(ServeArgs(dir_.path(), std::move(extra)));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = rpc::EventIngestionService::NewStub(
        grpc::CreateChannel(server_->target(), grpc::InsecureChannelCredentials()));
  }
  // Clients close their connections first: the server's shutdown waits for open connections
  // to go away (up to a few seconds) before it returns.
  void TearDown() override {
    stub_.reset();
    if (server_ != nullptr) {
      absl::StatusOr<int> code = server_->Stop();
      ASSERT_TRUE(code.ok()) << code.status();
      EXPECT_EQ(*code, 0);
    }
  }
  std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }
  Frame Query(const std::string& sql) {
    auto frame = ReadSqliteQuery(dir_.File("gym.db"), sql);
    EXPECT_TRUE(frame.ok()) << frame.status();
    return frame.ok() ? *frame : Frame();
  }
  int64_t Count(const std::string& table) {
    return Query("SELECT COUNT(*) AS n FROM " + table).column("n").Int64At(0);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<rpc::EventIngestionService::Stub> stub_;
};

rpc::TransactionData Transaction(int64_t id, const char* date, double valor, const char* moeda) {
  rpc::TransactionData t;
  t.set_id(id);
  t.set_cliente_id(id % 2 + 1);
  t.set_data(date);
  t.set_valor(valor);
  t.set_moeda(moeda);
  return t;
}

TEST_F(ServerE2E, SingleEventRpcsOfTheFirstGeneration) {
  Start();
  rpc::IngestionResponse response;
  rpc::ClientData client;
  client.set_id(1);
  client.set_nome("Maria");
  client.set_cpf("111.444.777-35");
  client.set_data_nascimento("1985-03-09");
  client.set_endereco("Rua das Flores, 10");
  ASSERT_TRUE(stub_->IngestClient(Context().get(), client, &response).ok());
  EXPECT_TRUE(response.success()) << response.message();
  EXPECT_EQ(response.event_id().size(), 36u);

  rpc::TransactionData t = Transaction(5, "2026-11-25", 80, "BRL");
  t.set_event_id("tx-5");
  ASSERT_TRUE(stub_->IngestTransaction(Context().get(), t, &response).ok());
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.event_id(), "tx-5");

  rpc::ScoreData score;
  score.set_cpf("11144477735");
  score.set_score(1200);
  ASSERT_TRUE(stub_->IngestScore(Context().get(), score, &response).ok());
  EXPECT_FALSE(response.success());
  EXPECT_NE(response.message().find("score"), std::string::npos) << response.message();

  EXPECT_EQ(Count("clients"), 1);
  EXPECT_EQ(Query("SELECT event_id FROM transactions").column("event_id").StringAt(0), "tx-5");
  EXPECT_EQ(Count("rejected_events"), 1);
}

TEST_F(ServerE2E, DatabaseHoldsExactlyWhatWasSentRowByRow) {
  Start();
  rpc::IngestClientsRequest clients;
  clients.set_batch_id("c1");
  clients.set_emission_timestamp_iso("2026-11-26T17:30:00.123+00:00");
  const char* addresses[] = {"  Rua   São João, 12 ", "Praça da Sé", "Avenida Brasil,  500"};
  const char* cpfs[] = {"111.444.777-35", "52998224725", "529.982.247-25"};
  for (int i = 0; i < 3; ++i) {
    auto* c = clients.add_clients();
    c->set_id(i + 1);
    c->set_nome("Cliente " + std::to_string(i));
    c->set_cpf(cpfs[i]);
    c->set_data_nascimento("1990-01-0" + std::to_string(i + 1));
    c->set_endereco(addresses[i]);
  }
  rpc::BatchIngestionResponse response;
  ASSERT_TRUE(stub_->IngestClients(Context().get(), clients, &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 3);

  rpc::IngestTransactionsRequest tx;
  tx.set_batch_id("t1");
  *tx.add_transactions() = Transaction(1, "2026-11-25", 100, "BRL");   // Wednesday
  *tx.add_transactions() = Transaction(2, "2026-11-25", 4500, "BRL");  // valor > 3000
  *tx.add_transactions() = Transaction(3, "2026-11-25", 100, "USD");   // foreign
  *tx.add_transactions() = Transaction(4, "2026-11-28", 100, "BRL");   // Saturday
  tx.mutable_transactions(0)->set_categoria("Saúde");
  ASSERT_TRUE(stub_->IngestTransactions(Context().get(), tx, &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 4);
  ASSERT_EQ(response.event_ids_size(), 4);

  Frame c = Query("SELECT id, endereco, cpf, event_id, batch_id, ingested_at FROM clients "
                  "ORDER BY id");
  ASSERT_EQ(c.num_rows(), 3u);
  const char* normalized[] = {"R. SAO JOAO, 12", "PCA. DA SE", "AV. BRASIL, 500"};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(c.column("endereco").StringAt(i), normalized[i]);
    EXPECT_EQ(c.column("cpf").StringAt(i), cpfs[i]);
    EXPECT_EQ(c.column("event_id").StringAt(i), "c1:" + std::to_string(i));
    EXPECT_EQ(c.column("batch_id").StringAt(i), "c1");
    EXPECT_FALSE(c.column("ingested_at").StringAt(i).empty());
  }
  Frame t = Query("SELECT id, valor, moeda, categoria, suspeita, event_id FROM transactions "
                  "ORDER BY id");
  ASSERT_EQ(t.num_rows(), 4u);
  const int64_t suspicious[] = {0, 1, 1, 1};
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(t.column("suspeita").Int64At(i), suspicious[i]);
    EXPECT_EQ(t.column("event_id").StringAt(i), response.event_ids(static_cast<int>(i)));
    EXPECT_FALSE(t.column("categoria").StringAt(i).empty());
  }
  EXPECT_EQ(t.column("categoria").StringAt(0), "Saúde");
  EXPECT_EQ(t.column("valor").DoubleAt(1), 4500.0);

  rpc::StatsResponse stats;
  ASSERT_TRUE(stub_->GetStats(Context().get(), rpc::StatsRequest(), &stats).ok());
  EXPECT_EQ(stats.clients(), 3);
  EXPECT_EQ(stats.transactions(), 4);
  EXPECT_EQ(stats.events_committed(), 7);
}

TEST_F(ServerE2E, PartialRejectionWithReasonsAndRetryCountedAsDuplicates) {
  Start();
  rpc::IngestTransactionsRequest tx;
  tx.set_batch_id("dup");
  tx.set_emission_timestamp_iso("not a timestamp");
  for (int i = 0; i < 5; ++i) *tx.add_transactions() = Transaction(i + 1, "2026-11-25", 10, "BRL");
  tx.mutable_transactions(1)->set_valor(-5);
  tx.mutable_transactions(4)->set_data("2026-13-01");
  for (int attempt = 0; attempt < 2; ++attempt) {
    SCOPED_TRACE(attempt);
    rpc::BatchIngestionResponse response;
    ASSERT_TRUE(stub_->IngestTransactions(Context().get(), tx, &response).ok());
    EXPECT_TRUE(response.success());
    EXPECT_EQ(response.items_received(), 5);
    // The retry stores nothing new: its three good items are duplicates of the first send.
    EXPECT_EQ(response.items_processed_successfully(), attempt == 0 ? 3 : 0);
    EXPECT_EQ(response.items_duplicate(), attempt == 0 ? 0 : 3);
    EXPECT_EQ(response.items_rejected(), 2);
    ASSERT_EQ(response.rejected_size(), 2);
    EXPECT_EQ(response.rejected(0).index(), 1);
    EXPECT_EQ(response.rejected(0).reason().rfind("valor: negative", 0), 0u);
    EXPECT_EQ(response.rejected(1).index(), 4);
    EXPECT_EQ(response.rejected(1).reason().rfind("data: not a calendar date", 0), 0u);
  }
  EXPECT_EQ(Count("transactions"), 3);
  EXPECT_EQ(Count("rejected_events"), 2);
}

TEST_F(ServerE2E, OversizeBatchIsInvalidArgument) {
  Start({"--max-batch", "5"});
  rpc::IngestTransactionsRequest tx;
  for (int i = 0; i < 6; ++i) *tx.add_transactions() = Transaction(i, "2026-11-25", 1, "BRL");
  rpc::BatchIngestionResponse response;
  const grpc::Status s = stub_->IngestTransactions(Context().get(), tx, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("--max-batch 5"), std::string::npos) << s.error_message();
}

TEST_F(ServerE2E, InflightLimitBelowOneBatchIsAUsageError) {
  // A limit under --max-batch could never admit a full batch.
  const gym::testing::CommandResult r =
      gym::testing::RunGym({"serve", "--listen", "127.0.0.1:0", "--db", dir_.File("x.db"),
                            "--max-inflight", "3"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--max-inflight 3 is below --max-batch 10000"), std::string::npos) << r.err;
}

TEST_F(ServerE2E, StreamAcknowledgesEveryBatchBySequence) {
  Start({"--max-stream-pending", "4"});
  auto ctx = Context();
  auto stream = stub_->IngestStream(ctx.get());
  constexpr int kBatches = 30;
  for (int b = 0; b < kBatches; ++b) {
    rpc::StreamBatch batch;
    batch.set_sequence(static_cast<uint64_t>(1000 + b));
    if (b % 3 == 2) {
      auto* scores = batch.mutable_scores();
      scores->set_batch_id(absl::StrCat("s", b));
      auto* s = scores->add_scores();
      s->set_cpf("111.444.777-35");
      s->set_score(500);
      s->set_data_ultima_atualizacao("2026-11-01");
    } else {
      auto* tx = batch.mutable_transactions();
      tx->set_batch_id(absl::StrCat("b", b));
      for (int i = 0; i < 10; ++i) {
        *tx->add_transactions() = Transaction(b * 10 + i, "2026-11-25", 50, "EUR");
      }
    }
    ASSERT_TRUE(stream->Write(batch));
  }
  stream->WritesDone();
  std::vector<bool> acked(kBatches, false);
  rpc::StreamAck ack;
  int acks = 0;
  while (stream->Read(&ack)) {
    ASSERT_GE(ack.sequence(), 1000u);
    ASSERT_LT(ack.sequence(), 1000u + kBatches);
    EXPECT_EQ(ack.grpc_code(), 0) << ack.response().message();
    EXPECT_TRUE(ack.response().success());
    acked[ack.sequence() - 1000] = true;
    ++acks;
  }
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(acks, kBatches);
  for (int b = 0; b < kBatches; ++b) EXPECT_TRUE(acked[static_cast<size_t>(b)]) << b;
  EXPECT_EQ(Count("transactions"), 200);
  EXPECT_EQ(Count("scores"), 10);
}

TEST_F(ServerE2E, ReportSummarizesTheStoredTables) {
  Start();
  rpc::IngestTransactionsRequest tx;
  tx.set_batch_id("r");
  *tx.add_transactions() = Transaction(1, "2026-11-25", 100, "BRL");   // cliente 2
  *tx.add_transactions() = Transaction(2, "2026-11-25", 4000, "BRL");  // cliente 1
  *tx.add_transactions() = Transaction(3, "2026-11-25", 300, "USD");   // cliente 2
  rpc::BatchIngestionResponse response;
  ASSERT_TRUE(stub_->IngestTransactions(Context().get(), tx, &response).ok());
  stub_.reset();
  ASSERT_EQ(*server_->Stop(), 0);
  server_.reset();

  const std::string command = std::string(std::getenv("GYM_BINARY")) + " report --db " +
                              dir_.File("gym.db") + " --format json";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof(buf), pipe)) out.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0) << out;
  const nlohmann::json report = nlohmann::json::parse(out);
  EXPECT_EQ(report["rows"]["transactions"], 3);
  // Each section holds the rows of a metric part, by its column names.
  EXPECT_EQ(report["suspicious"]["transacoes"], 3);
  EXPECT_EQ(report["suspicious"]["suspeitas"], 2);
  EXPECT_EQ(report["per_currency"][0]["moeda"], "BRL");
  EXPECT_EQ(report["per_currency"][0]["valor_total"], 4100.0);
  EXPECT_EQ(report["most_transactions"][0]["cliente_id"], 2);
  EXPECT_EQ(report["average_per_client"][0]["cliente_id"], 1);
}

}  // namespace
}  // namespace gym
