// The simulator against an in-process fake ingestion server on a loopback port: every mode
// and RPC generation sends the planned batches, logs one line per batch, counts failures
// without stopping, and checks delivery through GetStats.
#include "gym/loadtest/simulator.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "gym/loadtest/log_stats.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"

namespace gym::loadtest {
namespace {
namespace fs = std::filesystem;
namespace rpc = ::gym_framework_rpc;

// Stores nothing, counts everything; fails transaction batch 1 of every client when asked, and
// refuses the first `refuse_first` attempts of every batch (of every item, for single calls),
// alternately RESOURCE_EXHAUSTED and UNAVAILABLE, recording what each attempt carried.
class FakeIngestion final : public rpc::EventIngestionService::Service {
 public:
  std::atomic<bool> fail_tx_batch_1{false};
  std::atomic<int> refuse_first{0};

  // The serialized requests of every attempt, by batch id (by item, for single calls).
  std::map<std::string, std::vector<std::string>> Attempts() {
    std::lock_guard<std::mutex> lock(mu_);
    return attempts_;
  }

  grpc::Status IngestClients(grpc::ServerContext*, const rpc::IngestClientsRequest* r,
                             rpc::BatchIngestionResponse* out) override {
    if (int code = Refusal(r->batch_id(), *r)) return grpc::Status(Code(code), "busy");
    return Batch(clients_, r->clients_size(), r->batch_id(), out);
  }
  grpc::Status IngestTransactions(grpc::ServerContext*, const rpc::IngestTransactionsRequest* r,
                                  rpc::BatchIngestionResponse* out) override {
    if (fail_tx_batch_1 && r->batch_id().ends_with("-transactions-1")) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "busy");
    }
    if (int code = Refusal(r->batch_id(), *r)) return grpc::Status(Code(code), "busy");
    return Batch(transactions_, r->transactions_size(), r->batch_id(), out);
  }
  grpc::Status IngestScores(grpc::ServerContext*, const rpc::IngestScoresRequest* r,
                            rpc::BatchIngestionResponse* out) override {
    if (int code = Refusal(r->batch_id(), *r)) return grpc::Status(Code(code), "busy");
    return Batch(scores_, r->scores_size(), r->batch_id(), out);
  }
  grpc::Status IngestClient(grpc::ServerContext*, const rpc::ClientData* r,
                            rpc::IngestionResponse* out) override {
    if (int code = Refusal("client " + std::to_string(r->id()), *r)) {
      return grpc::Status(Code(code), "busy");
    }
    return Single(clients_, out);
  }
  grpc::Status IngestTransaction(grpc::ServerContext*, const rpc::TransactionData* r,
                                 rpc::IngestionResponse* out) override {
    if (int code = Refusal("tx " + std::to_string(r->id()), *r)) {
      return grpc::Status(Code(code), "busy");
    }
    return Single(transactions_, out);
  }
  grpc::Status IngestScore(grpc::ServerContext*, const rpc::ScoreData* r,
                           rpc::IngestionResponse* out) override {
    if (int code = Refusal("score " + r->cpf(), *r)) {
      return grpc::Status(Code(code), "busy");
    }
    return Single(scores_, out);
  }
  grpc::Status IngestStream(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<rpc::StreamAck, rpc::StreamBatch>* stream) override {
    rpc::StreamBatch batch;
    while (stream->Read(&batch)) {
      rpc::StreamAck ack;
      ack.set_sequence(batch.sequence());
      const std::string& id = batch.has_clients()        ? batch.clients().batch_id()
                              : batch.has_transactions() ? batch.transactions().batch_id()
                                                         : batch.scores().batch_id();
      if (int code = Refusal(id, batch)) {
        ack.set_grpc_code(code);
        ack.mutable_response()->set_message("busy");
      } else if (batch.has_clients()) {
        Batch(clients_, batch.clients().clients_size(), "", ack.mutable_response());
      } else if (batch.has_transactions()) {
        Batch(transactions_, batch.transactions().transactions_size(), "", ack.mutable_response());
      } else {
        Batch(scores_, batch.scores().scores_size(), "", ack.mutable_response());
      }
      stream->Write(ack);
    }
    return grpc::Status::OK;
  }
  grpc::Status GetStats(grpc::ServerContext*, const rpc::StatsRequest*,
                        rpc::StatsResponse* out) override {
    out->set_clients(clients_);
    out->set_transactions(transactions_);
    out->set_scores(scores_);
    return grpc::Status::OK;
  }

 private:
  static grpc::StatusCode Code(int code) { return static_cast<grpc::StatusCode>(code); }

  // 0 to accept this attempt, else the status code to refuse it with.
  int Refusal(const std::string& key, const google::protobuf::MessageLite& request) {
    if (refuse_first == 0) return 0;
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string>& seen = attempts_[key];
    seen.push_back(request.SerializeAsString());
    if (static_cast<int>(seen.size()) > refuse_first) return 0;
    return seen.size() % 2 == 1 ? grpc::StatusCode::RESOURCE_EXHAUSTED
                                : grpc::StatusCode::UNAVAILABLE;
  }

  static grpc::Status Batch(std::atomic<int64_t>& table, int n, const std::string& id,
                            rpc::BatchIngestionResponse* out) {
    table += n;
    out->set_success(true);
    out->set_batch_id(id);
    out->set_items_received(n);
    out->set_items_processed_successfully(n);
    out->set_processing_duration_seconds(0.0001f);
    return grpc::Status::OK;
  }
  static grpc::Status Single(std::atomic<int64_t>& table, rpc::IngestionResponse* out) {
    ++table;
    out->set_success(true);
    return grpc::Status::OK;
  }

  std::atomic<int64_t> clients_{0}, transactions_{0}, scores_{0};
  std::mutex mu_;
  std::map<std::string, std::vector<std::string>> attempts_;
};

class SimulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    logs_ = fs::temp_directory_path() /
            ("gym_simulator_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(logs_);
  }
  void TearDown() override {
    server_->Shutdown();
    fs::remove_all(logs_);
  }

  RunOptions Tiny(int clients) const {
    RunOptions o;
    o.target = "127.0.0.1:" + std::to_string(port_);
    o.clients = clients;
    o.shape.client_batches = 2;
    o.shape.client_batch_size = 5;
    o.shape.tx_batches_per_client_batch = 2;
    o.shape.tx_batch_size = 7;
    o.shape.score_batches = 3;
    o.shape.score_batch_size = 4;
    o.mode = PaceMode::kClosed;
    o.deadline = std::chrono::seconds(10);
    o.backoff.initial = std::chrono::milliseconds(1);
    o.backoff.max = std::chrono::milliseconds(4);
    o.logs_dir = logs_;
    o.progress = false;
    o.run_id = "t";
    return o;
  }

  FakeIngestion service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  fs::path logs_;
};

constexpr int64_t kBatchesPerClient = 2 + 4 + 3;
constexpr int64_t kEventsPerClient = 2 * 5 + 4 * 7 + 3 * 4;

TEST_F(SimulatorTest, EveryModeAndGenerationDeliversEverything) {
  struct Case {
    const char* name;
    PaceMode mode;
    double rps;
    RpcKind rpc;
    int clients;
  };
  for (const Case& c : {Case{"closed batch", PaceMode::kClosed, 0, RpcKind::kBatch, 3},
                        Case{"paced batch", PaceMode::kPaced, 0, RpcKind::kBatch, 2},
                        Case{"open batch", PaceMode::kClosed, 500, RpcKind::kBatch, 2},
                        Case{"closed single", PaceMode::kClosed, 0, RpcKind::kSingle, 2},
                        Case{"closed stream", PaceMode::kClosed, 0, RpcKind::kStream, 3},
                        Case{"open stream", PaceMode::kClosed, 500, RpcKind::kStream, 2}}) {
    SCOPED_TRACE(c.name);
    RunOptions o = Tiny(c.clients);
    o.mode = c.mode;
    o.rps = c.rps;
    o.rpc = c.rpc;
    o.pause_min_seconds = 0.001;
    o.pause_max_seconds = 0.002;
    absl::StatusOr<RunResult> r = RunLoadTest(o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->batches_sent, kBatchesPerClient * c.clients);
    EXPECT_EQ(r->batches_answered, kBatchesPerClient * c.clients);
    EXPECT_EQ(r->rpc_errors, 0);
    EXPECT_EQ(r->latency.samples, kBatchesPerClient * c.clients);
    EXPECT_EQ(r->delivery.sent, kEventsPerClient * c.clients);
    EXPECT_EQ(r->delivery.acked, r->delivery.sent);
    ASSERT_TRUE(r->delivery.committed_known) << r->delivery.unknown_reason;
    EXPECT_EQ(r->delivery.committed, r->delivery.sent);
    EXPECT_EQ(r->delivery.lost, 0);
    EXPECT_NE(FormatRunSummary(*r).find("\nlost: 0\n"), std::string::npos);
    absl::StatusOr<LogStats> stats = ComputeLogStats(logs_);
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->files, c.clients);
    EXPECT_EQ(stats->latency.samples, kBatchesPerClient * c.clients);
    EXPECT_TRUE(fs::exists(logs_ / ("client_output_0_of_" + std::to_string(c.clients) + ".log")));
  }
}

TEST_F(SimulatorTest, BatchesAreBuiltAheadWithinTheBudgetAndTheRestOnTheirTurn) {
  for (const int64_t budget : {int64_t{0}, int64_t{7500}, int64_t{256} << 20}) {
    SCOPED_TRACE(budget);
    RunOptions o = Tiny(3);
    o.prebuild_bytes = budget;
    absl::StatusOr<RunResult> r = RunLoadTest(o);
    ASSERT_TRUE(r.ok()) << r.status();
    if (budget == 0) {
      EXPECT_EQ(r->batches_prebuilt, 3) << "each client's first batch only";
    } else if (budget == 7500) {
      EXPECT_GT(r->batches_prebuilt, 3);
      EXPECT_LT(r->batches_prebuilt, kBatchesPerClient * 3);
    } else {
      EXPECT_EQ(r->batches_prebuilt, kBatchesPerClient * 3);
    }
    EXPECT_EQ(r->batches_answered, kBatchesPerClient * 3);
    EXPECT_EQ(r->delivery.committed, kEventsPerClient * 3);
    EXPECT_EQ(r->delivery.lost, 0);
    EXPECT_EQ(FormatRunSummary(*r).find("built before the clock") != std::string::npos,
              r->batches_prebuilt < kBatchesPerClient * 3);
  }
}

TEST_F(SimulatorTest, RpcErrorsAreLoggedAndCountedWithoutStoppingTheRun) {
  service_.fail_tx_batch_1 = true;
  absl::StatusOr<RunResult> r = RunLoadTest(Tiny(2));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->batches_sent, 2 * kBatchesPerClient);
  EXPECT_EQ(r->rpc_errors, 2);
  EXPECT_EQ(r->errors_by_code.at(grpc::StatusCode::RESOURCE_EXHAUSTED), 2);
  // Each was resent as often as allowed before it counted as failed.
  EXPECT_EQ(r->retries, 2 * 8);
  EXPECT_EQ(r->delivery.acked, r->delivery.sent - 2 * 7);
  EXPECT_EQ(r->delivery.lost, 0);  // refused is not lost: it was never acknowledged
  absl::StatusOr<LogStats> stats = ComputeLogStats(logs_);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->errors, 2);
  std::ifstream log(logs_ / "client_output_1_of_2.log");
  std::string line;
  bool found = false;
  for (int i = 0; i < 100 && std::getline(log, line); ++i) {
    found = found || line.find(
                         "batch_id=t-c1-transactions-1 items=7 success=false "
                         "rpc_error=RESOURCE_EXHAUSTED(8)") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

TEST_F(SimulatorTest, DurationBoundsARun) {
  RunOptions o = Tiny(1);
  o.mode = PaceMode::kPaced;
  o.pause_min_seconds = 0.2;
  o.pause_max_seconds = 0.2;
  o.duration = std::chrono::milliseconds(300);
  absl::StatusOr<RunResult> r = RunLoadTest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(r->batches_sent, 1);
  EXPECT_LE(r->batches_sent, 3);
  EXPECT_EQ(r->delivery.lost, 0);
}

// A spread start sends each client's first batch after one of its pauses; together sends
// it at once. A duration shorter than the pause tells them apart without timing anything.
TEST_F(SimulatorTest, ASpreadStartWaitsAPauseBeforeTheFirstBatch) {
  for (const bool spread : {true, false}) {
    SCOPED_TRACE(spread);
    RunOptions o = Tiny(2);
    o.mode = PaceMode::kPaced;
    o.pause_min_seconds = 0.5;
    o.pause_max_seconds = 0.5;
    o.duration = std::chrono::milliseconds(100);
    o.spread_start = spread;
    absl::StatusOr<RunResult> r = RunLoadTest(o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->batches_sent, spread ? 0 : 2);
    EXPECT_EQ(r->start, spread ? "spread" : "together");
  }
}

TEST_F(SimulatorTest, UnreachableServerIsCountedNotFatal) {
  RunOptions o = Tiny(1);
  server_->Shutdown();
  o.deadline = std::chrono::milliseconds(300);
  absl::StatusOr<RunResult> r = RunLoadTest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rpc_errors, kBatchesPerClient);
  EXPECT_EQ(r->errors_by_code.at(grpc::StatusCode::UNAVAILABLE), kBatchesPerClient);
  EXPECT_EQ(r->retries, 8 * kBatchesPerClient);
  EXPECT_FALSE(r->delivery.committed_known);
  EXPECT_NE(FormatRunSummary(*r).find("lost: unknown"), std::string::npos);
}

// A refused batch is resent, the same bytes under the same batch id, until it is accepted; it
// counts once, as answered, and its resends are counted apart.
TEST_F(SimulatorTest, RefusedBatchesAreResentUnchangedUntilAccepted) {
  service_.refuse_first = 3;
  // No more scores than clients, so that no CPF is scored twice (single calls are told apart
  // by their item).
  constexpr int64_t kBatches = 2 + 4 + 2;
  constexpr int64_t kEvents = 2 * 5 + 4 * 7 + 2 * 4;
  for (RpcKind rpc : {RpcKind::kSingle, RpcKind::kBatch, RpcKind::kStream}) {
    SCOPED_TRACE(static_cast<int>(rpc));
    RunOptions o = Tiny(2);
    o.shape.score_batches = 2;
    o.rpc = rpc;
    o.run_id = "t" + std::to_string(static_cast<int>(rpc));
    absl::StatusOr<RunResult> r = RunLoadTest(o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->rpc_errors, 0);
    EXPECT_EQ(r->batches_answered, 2 * kBatches);
    EXPECT_EQ(r->delivery.acked, r->delivery.sent);
    EXPECT_EQ(r->delivery.lost, 0);
    const int64_t calls = rpc == RpcKind::kSingle ? 2 * kEvents : 2 * kBatches;
    EXPECT_EQ(r->retries, 3 * calls);
    EXPECT_EQ(r->retries_by_code.at(grpc::StatusCode::RESOURCE_EXHAUSTED), 2 * calls);
    EXPECT_EQ(r->retries_by_code.at(grpc::StatusCode::UNAVAILABLE), calls);
    EXPECT_NE(FormatRunSummary(*r).find("retries: " + std::to_string(3 * calls) +
                                        " (RESOURCE_EXHAUSTED " + std::to_string(2 * calls) +
                                        ", UNAVAILABLE " + std::to_string(calls) + ")"),
              std::string::npos)
        << FormatRunSummary(*r);
  }
  for (const auto& [key, attempts] : service_.Attempts()) {
    SCOPED_TRACE(key);
    ASSERT_EQ(attempts.size(), 4u);
    for (const std::string& a : attempts) EXPECT_EQ(a, attempts.front());
  }
  std::ifstream log(logs_ / "client_output_0_of_2.log");
  std::string line;
  ASSERT_TRUE(std::getline(log, line));
  EXPECT_NE(line.find(" retries=3 Round-trip="), std::string::npos) << line;
}

TEST_F(SimulatorTest, RetriesZeroMeansNone) {
  service_.refuse_first = 1;
  RunOptions o = Tiny(1);
  o.backoff.retries = 0;
  absl::StatusOr<RunResult> r = RunLoadTest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->retries, 0);
  EXPECT_EQ(r->rpc_errors, kBatchesPerClient);
  EXPECT_EQ(r->errors_by_code.at(grpc::StatusCode::RESOURCE_EXHAUSTED), kBatchesPerClient);
}

// An interrupt (Ctrl-C) stops a long run within moments: nothing new starts, pauses and
// backoff waits are dropped, and the result says so.
TEST_F(SimulatorTest, InterruptStopsTheRun) {
  RunOptions o = Tiny(3);
  o.mode = PaceMode::kPaced;
  o.pause_min_seconds = 0.3;
  o.pause_max_seconds = 0.3;
  std::atomic<bool> interrupt{false};
  o.interrupt = &interrupt;
  std::thread ctrl_c([&interrupt] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    interrupt = true;
  });
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<RunResult> r = RunLoadTest(o);
  ctrl_c.join();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(r->interrupted);
  EXPECT_LT(r->batches_sent, 3 * kBatchesPerClient);
  EXPECT_GE(r->batches_sent, 3);
  EXPECT_EQ(r->delivery.lost, 0);
  EXPECT_NE(FormatRunSummary(*r).find("(interrupted)"), std::string::npos);
}

TEST(RunOptionsTest, BadOptionsAreNamed) {
  struct Case {
    const char* want;
    void (*edit)(RunOptions&);
  };
  for (const Case& c :
       {Case{"--clients", [](RunOptions& o) { o.clients = 0; }},
        Case{"--scale", [](RunOptions& o) { o.scale = 0; }},
        Case{"--pause", [](RunOptions& o) { o.pause_max_seconds = 0.01; }},
        Case{"--rps", [](RunOptions& o) { o.rps = -1; }},
        Case{"--tx-batch-size", [](RunOptions& o) { o.shape.tx_batch_size = 0; }},
        Case{"--pause-min 0.3 is above --pause-max 0.2",
             [](RunOptions& o) {
               o.pause_min_seconds = 0.3;
               o.pause_max_seconds = 0.2;
             }},
        Case{"--retries", [](RunOptions& o) { o.backoff.retries = -1; }},
        Case{"--backoff-initial 100ms is above --backoff-max 50ms",
             [](RunOptions& o) { o.backoff.max = o.backoff.initial / 2; }},
        Case{"--tls-cert and --tls-key", [](RunOptions& o) { o.tls_cert = "c.pem"; }}}) {
    SCOPED_TRACE(c.want);
    RunOptions o;
    c.edit(o);
    absl::Status s = ValidateRunOptions(o);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(c.want), std::string_view::npos) << s.message();
  }
}

TEST(RunSummaryTest, ShowsAcknowledgedEventsPerSecondByType) {
  RunResult r;
  r.run_id = "r1";
  r.clients = 2;
  r.wall_seconds = 2.0;
  r.batches_answered = 10;
  r.by_type[static_cast<size_t>(BatchType::kTransactions)].acked = 1000;
  r.by_type[static_cast<size_t>(BatchType::kScores)].acked = 50;
  r.delivery.acked = 1050;
  const std::string text = FormatRunSummary(r);
  EXPECT_NE(text.find("throughput: 5.0 batches/s, 525.0 events/s"), std::string::npos) << text;
  const size_t tx = text.find("  transactions");
  ASSERT_NE(tx, std::string::npos) << text;
  const std::string tx_line = text.substr(tx, text.find('\n', tx) - tx);
  EXPECT_NE(tx_line.find("500.0 acked/s"), std::string::npos) << tx_line;
}

}  // namespace
}  // namespace gym::loadtest
