// End to end, operations: bearer token, TLS and mutual TLS, health states, SIGTERM under load
// and a crash (SIGKILL) under load: every acknowledged event is in the database afterwards.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/sources/sqlite_source.h"
#include "gym/testing/health_client.h"
#include "gym/testing/loopback.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym {
namespace {

namespace rpc = gym_framework_rpc;
using gym::testing::CheckHealth;
using gym::testing::FreeLoopbackPort;
using gym::testing::HealthState;
using gym::testing::HttpGet;
using gym::testing::ServeArgs;
using gym::testing::ServerProcess;
using gym::testing::StartServer;
using gym::testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

rpc::IngestTransactionsRequest Batch(const std::string& batch_id, int n) {
  rpc::IngestTransactionsRequest r;
  r.set_batch_id(batch_id);
  for (int i = 0; i < n; ++i) {
    auto* t = r.add_transactions();
    t->set_id(i);
    t->set_cliente_id(1);
    t->set_data("2026-11-25");
    t->set_valor(12.5);
    t->set_moeda("BRL");
  }
  return r;
}

// "<prefix><client>-b<batch>", built by appending: GCC 12 warns falsely (-Wrestrict) on a
// chain of string literal + std::string.
std::string BatchId(const char* prefix, int client, int batch) {
  std::string id = prefix;
  id += std::to_string(client);
  id += "-b";
  id += std::to_string(batch);
  return id;
}

grpc::Status Send(rpc::EventIngestionService::Stub& stub, const std::string& token,
                  rpc::BatchIngestionResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  return stub.IngestTransactions(&ctx, Batch("auth", 2), response);
}

TEST(ServerOpsE2E, BearerTokenAcceptedAndRefused) {
  TempDir dir;
  std::ofstream(dir.File("token")) << "  s3cret-token\n";
  auto server = StartServer(ServeArgs(dir.path(), {"--auth-token-file", dir.File("token")}));
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
  struct Case {
    const char* name;
    const char* token;
    grpc::StatusCode code;
  };
  const Case cases[] = {{"missing", "", grpc::StatusCode::UNAUTHENTICATED},
                        {"wrong", "s3cret-tokeN", grpc::StatusCode::UNAUTHENTICATED},
                        {"right", "s3cret-token", grpc::StatusCode::OK}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    rpc::BatchIngestionResponse response;
    EXPECT_EQ(Send(*stub, c.token, &response).error_code(), c.code);
  }
  grpc::ClientContext ctx;
  auto stream = stub->IngestStream(&ctx);
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  stream.reset();
  stub.reset();
  EXPECT_EQ(*(*server)->Stop(), 0);
}

TEST(ServerOpsE2E, PrometheusMetricsCountEventsAndBatches) {
  TempDir dir;
  const int metrics_port = FreeLoopbackPort();
  auto server = StartServer(
      ServeArgs(dir.path(), {"--metrics-listen", "127.0.0.1:" + std::to_string(metrics_port)}));
  ASSERT_TRUE(server.ok()) << server.status();
  {
    auto stub = rpc::EventIngestionService::NewStub(
        grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
    rpc::BatchIngestionResponse response;
    ASSERT_TRUE(Send(*stub, "", &response).ok());
    ASSERT_EQ(response.items_processed_successfully(), 2);
  }
  const std::string metrics = HttpGet(metrics_port, "/metrics");
  EXPECT_NE(metrics.find("200 OK"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("gym_events_received_total{type=\"transactions\"} 2"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("gym_events_committed_total{type=\"transactions\"} 2"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("gym_batch_duration_seconds_count 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("gym_inflight_events 0"), std::string::npos) << metrics;
  EXPECT_EQ(*(*server)->Stop(), 0);
}

TEST(ServerOpsE2E, TlsAndMutualTls) {
  TempDir dir;
  gym::testing::TestCertificate pem;
  ASSERT_TRUE(gym::testing::MakeSelfSignedCertificate(dir, &pem));
  const std::string cert = pem.cert, key = pem.key;
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  for (bool mutual : {false, true}) {
    SCOPED_TRACE(mutual ? "mutual TLS" : "TLS");
    std::vector<std::string> extra = {"--tls-cert", cert, "--tls-key", key};
    if (mutual) extra.insert(extra.end(), {"--tls-client-ca", cert});
    auto server = StartServer(ServeArgs(dir.path(), extra));
    ASSERT_TRUE(server.ok()) << server.status();
    grpc::SslCredentialsOptions with_cert{ReadFile(cert), ReadFile(key), ReadFile(cert)};
    grpc::SslCredentialsOptions without_cert{ReadFile(cert), "", ""};
    auto good = rpc::EventIngestionService::NewStub(
        grpc::CreateCustomChannel((*server)->target(), grpc::SslCredentials(with_cert), args));
    rpc::BatchIngestionResponse response;
    EXPECT_TRUE(Send(*good, "", &response).ok());
    EXPECT_TRUE(response.success());
    auto anonymous = rpc::EventIngestionService::NewStub(
        grpc::CreateCustomChannel((*server)->target(), grpc::SslCredentials(without_cert), args));
    EXPECT_EQ(Send(*anonymous, "", &response).ok(), !mutual);
    auto plaintext = rpc::EventIngestionService::NewStub(
        grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
    EXPECT_FALSE(Send(*plaintext, "", &response).ok());
    good.reset();
    anonymous.reset();
    plaintext.reset();
    EXPECT_EQ(*(*server)->Stop(), 0);
  }
}

TEST(ServerOpsE2E, HealthServingThenNotServingWhileDraining) {
  TempDir dir;
  auto server = StartServer(ServeArgs(dir.path(), {"--shutdown-grace-ms", "3000"}));
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials());
  for (const char* service : {"", "gym_framework_rpc.EventIngestionService"}) {
    SCOPED_TRACE(service);
    auto state = CheckHealth(channel, service);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(*state, HealthState::kServing);
  }
  ASSERT_TRUE((*server)->Signal(SIGTERM));
  bool not_serving = false;
  for (int i = 0; i < 100 && !not_serving; ++i) {
    auto state = CheckHealth(channel, "");
    not_serving = state.ok() && *state == HealthState::kNotServing;
    if (!not_serving) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(not_serving);
  absl::StatusOr<int> code = (*server)->Wait(std::chrono::seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
}

std::set<std::string> StoredEventIds(const std::string& db) {
  auto stored = ReadSqliteQuery(db, "SELECT event_id FROM transactions");
  if (!stored.ok()) {
    ADD_FAILURE() << stored.status();
    return {};
  }
  return std::set<std::string>(stored->column("event_id").strings().begin(),
                               stored->column("event_id").strings().end());
}

struct LoadOutcome {
  std::set<std::string> acked;    // event ids of every acknowledged batch
  std::string first_acked_batch;  // batch id of the first one
};

// Four clients send 50-transaction batches (ids "<prefix><client>-b<n>") until a call fails;
// once `min_batches` are acknowledged (or after 5 s) the server gets `signal`.
LoadOutcome LoadThenSignal(ServerProcess& server, const std::string& prefix, int min_batches,
                           int signal) {
  auto channel = grpc::CreateChannel(server.target(), grpc::InsecureChannelCredentials());
  std::mutex mu;
  LoadOutcome out;
  std::atomic<int> batches{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      auto stub = rpc::EventIngestionService::NewStub(channel);
      for (int b = 0; b < 5000; ++b) {
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        rpc::BatchIngestionResponse response;
        const std::string id = BatchId(prefix.c_str(), c, b);
        if (!stub->IngestTransactions(&ctx, Batch(id, 50), &response).ok()) return;
        if (!response.success()) continue;
        std::lock_guard<std::mutex> lock(mu);
        for (const std::string& e : response.event_ids()) out.acked.insert(e);
        if (out.first_acked_batch.empty()) out.first_acked_batch = id;
        ++batches;
      }
    });
  }
  for (int i = 0; i < 500 && batches.load() < min_batches; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(server.Signal(signal));
  for (std::thread& t : clients) t.join();
  return out;
}

TEST(ServerOpsE2E, SigtermDuringLoadKeepsEveryAcknowledgedEvent) {
  TempDir dir;
  auto server = StartServer(ServeArgs(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  const LoadOutcome load = LoadThenSignal(**server, "c", 20, SIGTERM);
  const std::set<std::string>& acked = load.acked;
  absl::StatusOr<int> code = (*server)->Wait(std::chrono::seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
  ASSERT_GT(acked.size(), 0u);
  const std::set<std::string> in_db = StoredEventIds(dir.File("gym.db"));
  size_t missing = 0;
  for (const std::string& e : acked) missing += in_db.count(e) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged events";
}

// The server answers only after the commit, so a crash (no drain, no clean close) may lose
// what was in flight but never what was acknowledged; the next start recovers the WAL, and
// retrying a batch that was acknowledged stores nothing twice.
TEST(ServerOpsE2E, SigkillDuringLoadKeepsEveryAcknowledgedEventAndRestartRecovers) {
  TempDir dir;
  auto server = StartServer(ServeArgs(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  const LoadOutcome load = LoadThenSignal(**server, "k", 40, SIGKILL);
  const std::set<std::string>& acked = load.acked;
  const std::string& first_acked_batch = load.first_acked_batch;
  absl::StatusOr<int> code = (*server)->Wait(std::chrono::seconds(30));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 128 + SIGKILL);
  server->reset();
  ASSERT_GE(acked.size(), 40u * 50u);

  // Read straight from the files the killed process left (WAL included).
  std::set<std::string> in_db = StoredEventIds(dir.File("gym.db"));
  size_t missing = 0;
  for (const std::string& e : acked) missing += in_db.count(e) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged events";

  // A new server on the same database starts, and a retried acknowledged batch adds no row.
  auto restarted = StartServer(ServeArgs(dir.path()));
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel((*restarted)->target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  rpc::BatchIngestionResponse response;
  ASSERT_TRUE(stub->IngestTransactions(&ctx, Batch(first_acked_batch, 50), &response).ok());
  EXPECT_TRUE(response.success()) << response.message();
  stub.reset();
  EXPECT_EQ(*(*restarted)->Stop(), 0);
  EXPECT_EQ(StoredEventIds(dir.File("gym.db")).size(), in_db.size());
  auto rows = ReadSqliteQuery(dir.File("gym.db"), "SELECT count(*) AS n FROM transactions");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(static_cast<size_t>(rows->column("n").Int64At(0)), in_db.size());
}

// --sync full (an fsync per commit group) commits and answers like the default; a level that
// does not exist is refused before the server starts.
TEST(ServerOpsE2E, SyncFullCommitsAndUnknownLevelIsRefused) {
  TempDir dir;
  auto server = StartServer(ServeArgs(dir.path(), {"--sync", "full"}));
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
  for (int b = 0; b < 3; ++b) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    rpc::BatchIngestionResponse response;
    ASSERT_TRUE(stub->IngestTransactions(&ctx, Batch(BatchId("full", 0, b), 20), &response).ok());
    EXPECT_EQ(response.items_processed_successfully(), 20);
  }
  stub.reset();
  EXPECT_EQ(*(*server)->Stop(), 0);
  EXPECT_EQ(StoredEventIds(dir.File("gym.db")).size(), 60u);

  testing::CommandResult refused =
      testing::RunGym({"serve", "--sync", "sometimes", "--db", dir.File("other.db")});
  EXPECT_EQ(refused.exit_code, 2);  // a usage error
  EXPECT_NE(refused.err.find("--sync"), std::string::npos) << refused.err;
}

// A database that cannot be opened stops the start at once: no model is trained or saved
// first. (Started as a server, so a regression that starts anyway cannot hang the test.)
TEST(ServerOpsE2E, UnopenableDatabaseFailsBeforeTrainingAModel) {
  TempDir dir;
  const std::string model = dir.File("model.json");
  auto server = StartServer({"--log-level", "warn", "serve", "--listen", "127.0.0.1:0", "--db",
                             dir.File("no-such-dir/gym.db"), "--model", model},
                            std::chrono::seconds(30));
  ASSERT_FALSE(server.ok());
  EXPECT_TRUE(absl::IsUnavailable(server.status())) << server.status();  // exited, not hung
  EXPECT_FALSE(std::filesystem::exists(model));
  testing::CommandResult r = testing::RunGym({"serve", "--listen", "127.0.0.1:0", "--db",
                                              dir.File("no-such-dir/gym.db"), "--model", model});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open database"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gym
