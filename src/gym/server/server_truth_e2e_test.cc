// End to end, at the wire: what `gym serve` answers is what happened. Malformed bodies,
// fields of the wrong wire type, commits that fail, duplicates, shutdown with open streams,
// and log lines a client cannot forge.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/storage/sqlite_connection.h"
#include "gym/testing/ingest_requests.h"
#include "gym/testing/loopback.h"
#include "gym/testing/server_process.h"
#include "nlohmann/json.hpp"

namespace gym {
namespace {

namespace rpc = gym_framework_rpc;
using gym::testing::CallContext;
using gym::testing::ServeArgs;
using gym::testing::ServerProcess;
using gym::testing::TempDir;
using gym::testing::TransactionBatch;

constexpr char kTransactions[] = "/gym_framework_rpc.EventIngestionService/IngestTransactions";

// `gym serve` with its stderr in `log`.
std::unique_ptr<ServerProcess> Launch(const TempDir& dir, std::vector<std::string> extra,
                                      const std::string& log) {
  std::vector<std::string> args = ServeArgs(dir.path(), std::move(extra));
  auto server =
      ServerProcess::Launch({.binary = std::getenv("GYM_BINARY"), .args = args, .stderr_log = log});
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

// Sends `body` as the raw request of IngestTransactions.
grpc::Status SendRaw(const std::string& target, const std::string& body) {
  grpc::GenericStub stub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Status status;
  bool done = false;
  std::mutex mu;
  std::condition_variable cv;
  stub.UnaryCall(&ctx, kTransactions, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  return status;
}

// Another process's connection to `db`, holding its write lock (BEGIN IMMEDIATE) until it
// rolls back: the server's commits wait for it, up to their busy timeout.
absl::StatusOr<SqliteConnection> HoldWriteLock(const std::string& db) {
  absl::StatusOr<SqliteConnection> connection = OpenForWriting(db);
  if (!connection.ok()) return connection;
  if (absl::Status s = connection->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  return connection;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ServerTruthE2E, MalformedBodiesAreInvalidArgumentWithAReason) {
  TempDir dir;
  auto server = Launch(dir, {}, dir.File("server.log"));
  ASSERT_NE(server, nullptr);
  const struct {
    const char* name;
    std::string body;
    const char* reason;
  } cases[] = {
      {"truncated", std::string("\x0a\x05\x08", 3), "not a valid gym_framework_rpc."},
      {"bad tag", std::string("\xff\xff\xff\xff\xff\xff", 6), "not a valid"},
      // batch_id (field 2) as a varint instead of a string.
      {"batch_id wire type", std::string("\x10\x05", 2), "batch_id: sent with the wrong wire"},
      // A string that is not UTF-8 (protobuf logs it; the log must stay ours).
      {"not utf-8", std::string("\x12\x02\xc3\x28", 4), "UTF-8"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const grpc::Status s = SendRaw(server->target(), c.body);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_NE(s.error_message().find(c.reason), std::string::npos) << s.error_message();
  }
  EXPECT_EQ(*server->Stop(), 0);
  // No raw library line: every line on stderr is one of ours (a timestamp and a level).
  std::istringstream log(ReadFile(dir.File("server.log")));
  for (std::string line; std::getline(log, line);) {
    EXPECT_TRUE(line.size() > 24 && line[4] == '-' && line[10] == ' ') << line;
  }
}

TEST(ServerTruthE2E, WhileFullACallIsRefusedFromItsHeadersBeforeItsBodyIsRead) {
  TempDir dir;
  auto server =
      Launch(dir, {"--busy-timeout-ms", "5000", "--max-inflight", "5", "--max-batch", "5"}, "");
  ASSERT_NE(server, nullptr);
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  // Another process holds the write lock, so a batch of 5 stays in flight and fills the server.
  absl::StatusOr<SqliteConnection> other = HoldWriteLock(dir.File("gym.db"));
  ASSERT_TRUE(other.ok()) << other.status();
  grpc::Status held_status;
  rpc::BatchIngestionResponse held;
  std::thread holder([&] {
    held_status = stub->IngestTransactions(CallContext().get(), TransactionBatch("held", 5), &held);
  });
  // A body that does not parse: read, it would be INVALID_ARGUMENT; refused from its headers
  // while the server is full, RESOURCE_EXHAUSTED. Bounded: 200 tries, 10 ms apart.
  grpc::Status refused;
  for (int i = 0; i < 200; ++i) {
    refused = SendRaw(server->target(), std::string("\xff\xff\xff\xff", 4));
    if (refused.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_NE(refused.error_message().find("--max-inflight 5"), std::string::npos)
      << refused.error_message();
  ASSERT_TRUE(other->Exec("ROLLBACK").ok());
  holder.join();
  EXPECT_TRUE(held_status.ok()) << held_status.error_message();
  EXPECT_EQ(held.items_processed_successfully(), 5);
  // Room again: the same body is read, and answered for what it is.
  EXPECT_EQ(SendRaw(server->target(), std::string("\xff\xff\xff\xff", 4)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  stub.reset();
  EXPECT_EQ(*server->Stop(), 0);
}

// A call that finds the server full waits, unread, for room (--admission-wait-ms) and is
// then stored, instead of being refused and resent after a backoff.
TEST(ServerTruthE2E, WhileFullACallWaitsForRoomAndIsStoredWhenRoomComes) {
  TempDir dir;
  const int metrics_port = gym::testing::FreeLoopbackPort();
  auto server = Launch(dir,
                       {"--busy-timeout-ms", "20000", "--max-inflight", "5", "--max-batch", "5",
                        "--admission-wait-ms", "20000", "--metrics-listen",
                        "127.0.0.1:" + std::to_string(metrics_port)},
                       "");
  ASSERT_NE(server, nullptr);
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  absl::StatusOr<SqliteConnection> other = HoldWriteLock(dir.File("gym.db"));
  ASSERT_TRUE(other.ok()) << other.status();
  grpc::Status held_status, waiter_status;
  rpc::BatchIngestionResponse held, waiter;
  std::atomic<bool> waiter_answered{false};
  std::thread holder([&] {
    held_status = stub->IngestTransactions(CallContext().get(), TransactionBatch("held", 5), &held);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // "held" fills the server
  std::thread second([&] {
    waiter_status =
        stub->IngestTransactions(CallContext().get(), TransactionBatch("waiter", 5), &waiter);
    waiter_answered = true;
  });
  // Full for a while: the second call is neither refused nor answered.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_FALSE(waiter_answered.load())
      << waiter_status.error_code() << " " << waiter_status.error_message();
  ASSERT_TRUE(other->Exec("ROLLBACK").ok());
  holder.join();
  second.join();
  EXPECT_TRUE(held_status.ok()) << held_status.error_message();
  EXPECT_TRUE(waiter_status.ok()) << waiter_status.error_message();
  EXPECT_EQ(held.items_processed_successfully() + waiter.items_processed_successfully(), 10);
  const std::string metrics = gym::testing::HttpGet(metrics_port, "/metrics");
  EXPECT_NE(metrics.find("gym_admission_waits_total 1"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("RESOURCE_EXHAUSTED"), std::string::npos) << metrics;
  stub.reset();
  EXPECT_EQ(*server->Stop(), 0);
  absl::StatusOr<SqliteConnection> db = OpenForWriting(dir.File("gym.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  auto count = db->Prepare("SELECT count(*) FROM transactions");
  ASSERT_TRUE(count.ok()) << count.status();
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt64(0), 10);
}

TEST(ServerTruthE2E, ItemFieldOfTheWrongWireTypeIsRejectedNotStoredAsZero) {
  TempDir dir;
  auto server = Launch(dir, {}, "");
  ASSERT_NE(server, nullptr);
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  rpc::IngestTransactionsRequest request = TransactionBatch("wire", 2);
  auto* item = request.mutable_transactions(1);
  item->clear_valor();
  item->GetReflection()->MutableUnknownFields(item)->AddVarint(4, 5000);  // valor as a varint
  rpc::BatchIngestionResponse response;
  ASSERT_TRUE(stub->IngestTransactions(CallContext().get(), request, &response).ok());
  EXPECT_EQ(response.items_processed_successfully(), 1);
  ASSERT_EQ(response.rejected_size(), 1);
  EXPECT_EQ(response.rejected(0).index(), 1);
  EXPECT_NE(response.rejected(0).reason().find("valor: sent with the wrong wire type"),
            std::string::npos)
      << response.rejected(0).reason();
  stub.reset();
  EXPECT_EQ(*server->Stop(), 0);
}

TEST(ServerTruthE2E, BatchNotCommittedIsUnavailableOnUnaryAndStreamThenRetryStoresOnce) {
  TempDir dir;
  auto server = Launch(dir, {"--busy-timeout-ms", "100"}, "");
  ASSERT_NE(server, nullptr);
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  // Another process holds the write lock: the server's commits fail past their busy timeout.
  absl::StatusOr<SqliteConnection> other = HoldWriteLock(dir.File("gym.db"));
  ASSERT_TRUE(other.ok()) << other.status();

  rpc::BatchIngestionResponse unary;
  const grpc::Status s =
      stub->IngestTransactions(CallContext().get(), TransactionBatch("locked", 3), &unary);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("not committed"), std::string::npos) << s.error_message();

  auto ctx = CallContext();
  auto stream = stub->IngestStream(ctx.get());
  rpc::StreamBatch batch;
  batch.set_sequence(7);
  *batch.mutable_transactions() = TransactionBatch("locked-stream", 2);
  ASSERT_TRUE(stream->Write(batch));
  rpc::StreamAck ack;
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.sequence(), 7u);
  EXPECT_EQ(ack.grpc_code(), static_cast<int>(grpc::StatusCode::UNAVAILABLE));
  EXPECT_FALSE(ack.response().success());
  EXPECT_EQ(ack.response().items_processed_successfully(), 0);

  ASSERT_TRUE(other->Exec("ROLLBACK").ok());
  rpc::BatchIngestionResponse retried;
  ASSERT_TRUE(
      stub->IngestTransactions(CallContext().get(), TransactionBatch("locked", 3), &retried).ok());
  EXPECT_EQ(retried.items_processed_successfully(), 3);
  ASSERT_TRUE(stream->Write(batch));
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.grpc_code(), 0) << ack.response().message();
  EXPECT_EQ(ack.response().items_processed_successfully(), 2);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  stub.reset();
  EXPECT_EQ(*server->Stop(), 0);
}

TEST(ServerTruthE2E, DuplicatesAndErrorsAreCountedInTheResponseAndMetrics) {
  TempDir dir;
  const int metrics_port = gym::testing::FreeLoopbackPort();
  auto server = Launch(dir, {"--metrics-listen", "127.0.0.1:" + std::to_string(metrics_port)}, "");
  ASSERT_NE(server, nullptr);
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  for (int attempt = 0; attempt < 2; ++attempt) {
    rpc::BatchIngestionResponse response;
    ASSERT_TRUE(
        stub->IngestTransactions(CallContext().get(), TransactionBatch("twice", 5), &response)
            .ok());
    EXPECT_EQ(response.items_processed_successfully(), attempt == 0 ? 5 : 0);
    EXPECT_EQ(response.items_duplicate(), attempt == 0 ? 0 : 5);
  }
  EXPECT_EQ(SendRaw(server->target(), "\xff\xff").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::string metrics = gym::testing::HttpGet(metrics_port, "/metrics");
  for (const char* line :
       {"gym_events_committed_total{type=\"transactions\"} 5",
        "gym_events_duplicate_total{type=\"transactions\"} 5",
        "gym_rpc_errors_total{code=\"INVALID_ARGUMENT\",method=\"IngestTransactions\"} 1"}) {
    EXPECT_NE(metrics.find(line), std::string::npos) << line << "\n" << metrics;
  }
  stub.reset();
  EXPECT_EQ(*server->Stop(), 0);
}

TEST(ServerTruthE2E, SigtermFinishesOpenStreamsWithUnavailableLongBeforeTheDrainTimeout) {
  TempDir dir;
  auto server = Launch(dir, {"--drain-timeout", "120"}, "");
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials());
  auto stub = rpc::EventIngestionService::NewStub(channel);
  // An idle connection beside the stream must not hold the exit either.
  auto idle = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  rpc::StatsResponse stats;
  ASSERT_TRUE(idle->GetStats(CallContext().get(), rpc::StatsRequest(), &stats).ok());
  auto ctx = CallContext();
  auto stream = stub->IngestStream(ctx.get());
  rpc::StreamBatch batch;
  batch.set_sequence(1);
  *batch.mutable_transactions() = TransactionBatch("open-stream", 4);
  ASSERT_TRUE(stream->Write(batch));
  rpc::StreamAck ack;
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.grpc_code(), 0);

  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(server->Signal(SIGTERM));
  EXPECT_FALSE(stream->Read(&ack));
  const grpc::Status finished = stream->Finish();
  EXPECT_EQ(finished.error_code(), grpc::StatusCode::UNAVAILABLE) << finished.error_message();
  absl::StatusOr<int> code = server->Wait(std::chrono::seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
  // Far under the 120 s drain timeout a held stream would have cost.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST(ServerTruthE2E, CallsDuringShutdownAreUnavailableNeverCancelled) {
  TempDir dir;
  auto server = Launch(dir, {"--shutdown-grace-ms", "300"}, "");
  ASSERT_NE(server, nullptr);
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  ASSERT_TRUE(server->Signal(SIGTERM));
  int refused = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (int i = 0; i < 20000 && refused < 3 && std::chrono::steady_clock::now() < end; ++i) {
    rpc::BatchIngestionResponse response;
    const grpc::Status s = stub->IngestTransactions(
        CallContext().get(), TransactionBatch("late" + std::to_string(i), 2), &response);
    if (s.ok()) continue;
    ++refused;
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(refused, 0);
  stub.reset();
  absl::StatusOr<int> code = server->Wait(std::chrono::seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
}

TEST(ServerTruthE2E, ClientStringsCannotForgeLogLinesAndJsonLogsStayJson) {
  for (const bool json : {false, true}) {
    SCOPED_TRACE(json ? "json" : "text");
    TempDir dir;
    // ServeArgs starts with "--log-level warn serve ...": global flags go before "serve".
    std::vector<std::string> args = {"--log-level", "info"};
    if (json) args.push_back("--log-json");
    const std::vector<std::string> serve = ServeArgs(dir.path());
    args.insert(args.end(), serve.begin() + 2, serve.end());
    auto server = ServerProcess::Launch(
        {.binary = std::getenv("GYM_BINARY"), .args = args, .stderr_log = dir.File("server.log")});
    ASSERT_TRUE(server.ok()) << server.status();
    auto stub = rpc::EventIngestionService::NewStub(
        grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
    rpc::BatchIngestionResponse response;
    ASSERT_TRUE(stub->IngestTransactions(
                        CallContext().get(),
                        TransactionBatch("x\nFORGED level=error committed=999 \"}", 1), &response)
                    .ok());
    EXPECT_EQ(SendRaw((*server)->target(), std::string("\x12\x02\xc3\x28", 4)).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    stub.reset();
    EXPECT_EQ(*(*server)->Stop(), 0);
    std::istringstream log(ReadFile(dir.File("server.log")));
    int lines = 0;
    for (std::string line; std::getline(log, line);) {
      ++lines;
      EXPECT_EQ(line.rfind("FORGED", 0), std::string::npos) << line;
      if (json) {
        EXPECT_TRUE(nlohmann::json::accept(line)) << line;
      }
    }
    EXPECT_GT(lines, 2);
  }
}

}  // namespace
}  // namespace gym
