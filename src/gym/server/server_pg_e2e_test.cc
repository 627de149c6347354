// End to end on PostgreSQL: the real `gym serve` with --db postgresql://..., against a cluster
// this test binary starts (gym::testing::PgCluster). One replica answers and counts as on
// SQLite; two replicas given the same batches store each event once; a database that goes
// away makes calls UNAVAILABLE, never an acknowledgement, and the replica recovers by itself.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/testing/ingest_requests.h"
#include "gym/testing/loopback.h"
#include "gym/testing/pg_test.h"
#include "gym/testing/run_gym.h"
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

class ServerPgE2E : public gym::testing::PgTest {
 protected:
  // A replica of `gym serve` on the test's database.
  std::unique_ptr<ServerProcess> Replica(std::vector<std::string> extra = {}) {
    return PgTest::Replica(dir_.path(), std::move(extra));
  }
  static std::unique_ptr<rpc::EventIngestionService::Stub> Stub(const ServerProcess& server) {
    return rpc::EventIngestionService::NewStub(
        grpc::CreateChannel(server.target(), grpc::InsecureChannelCredentials()));
  }
  // `gym loadtest run` in closed loop, 4 clients, across both replicas (one target), with
  // `workload` (batch counts, retries); logs under the test's folder.
  gym::testing::CommandResult LoadAcross(const ServerProcess& a, const ServerProcess& b,
                                         const std::vector<std::string>& workload) {
    std::vector<std::string> args = {"--log-level", "warn", "loadtest", "run", "--target",
                                     absl::StrCat(a.target(), ",", b.target()), "--mode",
                                     "closed", "--clients", "4", "--logs", dir_.File("logs")};
    args.insert(args.end(), workload.begin(), workload.end());
    return gym::testing::RunGym(args, "", std::chrono::seconds(240));
  }
  // Waits (bounded: 30 s) until the load has stored its first transactions; the client
  // builds its batches first, slowly on a busy machine.
  void WaitForLoadToBegin() {
    for (int i = 0; i < 1200 && Query("SELECT count(*) FROM transactions") == "0"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }

  TempDir dir_;
};

TEST_F(ServerPgE2E, ABatchIsCommittedThenItsRetryCountedAsDuplicates) {
  auto server = Replica();
  ASSERT_NE(server, nullptr);
  auto stub = Stub(*server);
  for (int attempt = 0; attempt < 2; ++attempt) {
    rpc::BatchIngestionResponse response;
    const grpc::Status s =
        stub->IngestTransactions(CallContext().get(), TransactionBatch("b1", 5), &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(response.success()) << response.message();
    EXPECT_EQ(response.items_processed_successfully(), attempt == 0 ? 5 : 0);
    EXPECT_EQ(response.items_duplicate(), attempt == 0 ? 0 : 5);
  }
  rpc::StatsResponse stats;
  ASSERT_TRUE(stub->GetStats(CallContext().get(), rpc::StatsRequest(), &stats).ok());
  EXPECT_EQ(stats.transactions(), 5);
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT event_id) FROM transactions"), "5|5");
  stub.reset();
  EXPECT_EQ(*server->Stop(), 0);
}

TEST_F(ServerPgE2E, TwoReplicasGivenTheSameBatchesAtOnceStoreEachEventOnce) {
  auto a = Replica();
  auto b = Replica();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kBatches = 30;
  constexpr int kItems = 100;
  std::atomic<int64_t> committed{0}, duplicates{0}, failed{0};
  auto send = [&](const ServerProcess& server, bool reverse) {
    auto stub = Stub(server);
    for (int i = 0; i < kBatches; ++i) {
      const int n = reverse ? kBatches - 1 - i : i;
      rpc::BatchIngestionResponse response;
      const grpc::Status s = stub->IngestTransactions(
          CallContext().get(), TransactionBatch(absl::StrCat("batch-", n), kItems), &response);
      if (!s.ok()) {
        ++failed;
        ADD_FAILURE() << s.error_message();
        continue;
      }
      committed += response.items_processed_successfully();
      duplicates += response.items_duplicate();
    }
  };
  std::thread ta([&] { send(*a, false); });
  std::thread tb([&] { send(*b, true); });
  ta.join();
  tb.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(committed.load(), kBatches * kItems);
  EXPECT_EQ(duplicates.load(), kBatches * kItems);
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT event_id) FROM transactions"),
            absl::StrCat(kBatches * kItems, "|", kBatches * kItems));
  EXPECT_EQ(*a->Stop(), 0);
  EXPECT_EQ(*b->Stop(), 0);
}

TEST_F(ServerPgE2E, WhileTheDatabaseIsDownCallsAreUnavailableThenTheReplicaRecovers) {
  auto server = Replica();
  ASSERT_NE(server, nullptr);
  auto stub = Stub(*server);
  rpc::BatchIngestionResponse response;
  ASSERT_TRUE(
      stub->IngestTransactions(CallContext().get(), TransactionBatch("before", 3), &response).ok());
  ASSERT_TRUE(cluster().StopImmediately().ok());
  const grpc::Status down =
      stub->IngestTransactions(CallContext().get(), TransactionBatch("during", 3), &response);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  ASSERT_TRUE(cluster().StartAgain().ok());
  // The client's retry, on the same replica, which was not restarted.
  const grpc::Status up =
      stub->IngestTransactions(CallContext().get(), TransactionBatch("during", 3), &response);
  ASSERT_TRUE(up.ok()) << up.error_message();
  EXPECT_EQ(response.items_processed_successfully(), 3);
  EXPECT_EQ(Query("SELECT count(*) FROM transactions"), "6");
  stub.reset();
  EXPECT_EQ(*server->Stop(), 0);
}

// `gym loadtest` given both replicas as one target spreads its calls over them (round_robin);
// the delivery check counts in the shared database.
TEST_F(ServerPgE2E, ALoadTestAcrossTwoReplicasLosesNothingAndUsesBoth) {
  const int metrics_a = gym::testing::FreeLoopbackPort();
  const int metrics_b = gym::testing::FreeLoopbackPort();
  auto a = Replica({"--metrics-listen", absl::StrCat("127.0.0.1:", metrics_a)});
  auto b = Replica({"--metrics-listen", absl::StrCat("127.0.0.1:", metrics_b)});
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const gym::testing::CommandResult r =
      LoadAcross(*a, *b, {"--client-batches", "2", "--tx-batches", "10", "--score-batches", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("lost: 0"), std::string::npos) << r.out;
  // 4 clients x (2 client batches of 100, each followed by 10 transaction batches of 200,
  // then 2 score batches of 100) events.
  EXPECT_EQ(Query("SELECT (SELECT count(*) FROM clients) + (SELECT count(*) FROM transactions) "
                  "+ (SELECT count(*) FROM scores)"),
            "17600");
  for (int port : {metrics_a, metrics_b}) {
    const std::string metrics = gym::testing::HttpGet(port, "/metrics");
    EXPECT_EQ(metrics.find("gym_events_committed_total{type=\"transactions\"} 0\n"),
              std::string::npos)
        << "a replica committed no transactions:\n"
        << metrics;
  }
  EXPECT_EQ(*a->Stop(), 0);
  EXPECT_EQ(*b->Stop(), 0);
}

// A replica killed (-9) under load: the clients' calls to it fail UNAVAILABLE and are sent
// again to the other, with the same event ids. Nothing acknowledged is lost, nothing is
// stored twice.
TEST_F(ServerPgE2E, AReplicaKilledUnderLoadLosesNothingTheOtherTakesOver) {
  auto a = Replica();
  auto b = Replica();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  gym::testing::CommandResult r;
  std::thread load([&] {
    r = LoadAcross(*a, *b,
                   {"--client-batches", "20", "--tx-batches", "10", "--score-batches", "20"});
  });
  WaitForLoadToBegin();  // then replica a dies
  const int64_t stored_at_kill = std::stoll(Query("SELECT count(*) FROM transactions"));
  kill(a->pid(), SIGKILL);
  load.join();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("lost: 0"), std::string::npos) << r.out;
  // The kill came mid-run, so replica b stored the rest. (Whether a call was in flight on a
  // at that instant, and so failed and was sent again by the load test, is timing: a call
  // not yet written goes to b by round robin with no error. The old check of a "retries:"
  // line failed now and then for that reason.)
  EXPECT_LT(stored_at_kill, 160000);
  // 4 clients x (20 x 100 + 20 x 10 x 200 + 20 x 100) events, each stored once.
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT event_id) FROM transactions"), "160000|160000");
  EXPECT_EQ(Query("SELECT (SELECT count(*) FROM clients) + (SELECT count(*) FROM scores)"),
            "16000");
  EXPECT_EQ(*b->Stop(), 0);
}

// PostgreSQL restarted at once (pg_ctl -m immediate, as a crash) under load: calls during the
// outage fail UNAVAILABLE and are sent again; the replicas reconnect by themselves. Nothing
// acknowledged is lost, nothing is stored twice.
TEST_F(ServerPgE2E, APostgresCrashAndRestartUnderLoadLosesNothing) {
  auto a = Replica();
  auto b = Replica();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  gym::testing::CommandResult r;
  std::thread load([&] {
    r = LoadAcross(*a, *b,
                   {"--client-batches", "20", "--tx-batches", "10", "--score-batches", "20",
                    "--retries", "12"});
  });
  WaitForLoadToBegin();
  ASSERT_TRUE(cluster().StopImmediately().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(cluster().StartAgain().ok());
  load.join();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("lost: 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("UNAVAILABLE"), std::string::npos) << r.out;  // the outage was seen
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT event_id) FROM transactions"), "160000|160000");
  EXPECT_EQ(*a->Stop(), 0);
  EXPECT_EQ(*b->Stop(), 0);
}

// `gym run --once --out-db postgresql://...`: the file pipeline's tables on PostgreSQL, each
// row once however often the same files are run.
TEST_F(ServerPgE2E, TheFilePipelineStoresItsTablesOnceOverTwoRuns) {
  using gym::testing::RunGym;
  const gym::testing::CommandResult gen = RunGym(
      {"gen", "all", "--out", dir_.File("data"), "--clients", "300", "--transactions", "2000"}, "",
      std::chrono::seconds(120));
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::string after[2];
  for (int run = 0; run < 2; ++run) {
    const gym::testing::CommandResult r =
        RunGym({"run", "--once", "--data", dir_.File("data"), "--out-db", uri(), "--out-csv",
                dir_.File("results")},
               dir_.path(), std::chrono::seconds(120));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    after[run] = Query(
        "SELECT count(*), count(DISTINCT event_id), (SELECT count(*) FROM clients) "
        "FROM transactions");
  }
  EXPECT_EQ(after[0], after[1]);  // the second run of the same files added nothing
  EXPECT_EQ(after[0].substr(after[0].rfind('|')), "|300");
  const std::string counts = after[0].substr(0, after[0].rfind('|'));
  EXPECT_EQ(counts.substr(0, counts.find('|')), counts.substr(counts.find('|') + 1));
  EXPECT_NE(Query("SELECT count(*) FROM metric_count_per_category"), "0");
  // gym report reads it as it reads a SQLite file.
  const gym::testing::CommandResult report =
      RunGym({"report", "--db", uri(), "--format", "json"}, "", std::chrono::seconds(120));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const nlohmann::json doc = nlohmann::json::parse(report.out);
  EXPECT_EQ(std::to_string(doc["rows"]["transactions"].get<int64_t>()),
            counts.substr(0, counts.find('|')));
  EXPECT_EQ(doc["rows"]["clients"].get<int64_t>(), 300);
  EXPECT_TRUE(doc.contains("per_category")) << report.out;
  EXPECT_FALSE(doc.contains("not_reported")) << report.out;
  // gym inspect lists its tables, and shows one (the connection string, then :table).
  const gym::testing::CommandResult tables =
      RunGym({"inspect", uri(), "--format", "json"}, "", std::chrono::seconds(60));
  ASSERT_EQ(tables.exit_code, 0) << tables.err;
  EXPECT_NE(tables.out.find("\"transactions\""), std::string::npos) << tables.out;
  const gym::testing::CommandResult clients =
      RunGym({"inspect", uri() + ":clients", "--rows", "2", "--format", "json"}, "",
             std::chrono::seconds(60));
  ASSERT_EQ(clients.exit_code, 0) << clients.err;
  EXPECT_EQ(nlohmann::json::parse(clients.out)["rows"].get<int64_t>(), 300) << clients.out;
}

}  // namespace
}  // namespace gym
