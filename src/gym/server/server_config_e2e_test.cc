// End to end: `gym serve --config FILE` runs a pipeline file written by a user, with no
// rebuild, and refuses one that cannot keep its promises (no store, a store of another table).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/sources/sqlite_source.h"
#include "gym/testing/ingest_requests.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym {
namespace {

namespace fs = std::filesystem;
namespace rpc = gym_framework_rpc;
using gym::testing::RunGym;
using gym::testing::ServeArgs;
using gym::testing::StartServer;
using gym::testing::TempDir;
using ::testing::HasSubstr;

// Transactions are categorized, not scored, and each batch also goes to a CSV file: a
// pipeline gym does not ship.
std::string UserPipeline(const std::string& exports) {
  return R"([pipeline]
name = "categorize-and-export"

[sources.clients]
type = "records"
[sinks.store_clients]
type = "sqlite"
inputs = ["clients"]
table = "clients"

[sources.transactions]
type = "records"
[nodes.category]
type = "category"
inputs = ["transactions"]
[sinks.store_transactions]
type = "sqlite"
inputs = ["category"]
table = "transactions"
[sinks.export]
type = "csv"
inputs = ["category"]
folder = ")" + exports + R"("
prefix = "tx"

[sources.scores]
type = "records"
[sinks.store_scores]
type = "sqlite"
inputs = ["scores"]
table = "scores"
)";
}

// `n` valid transactions and one bad item.
rpc::IngestTransactionsRequest Batch(const std::string& batch_id, int n) {
  rpc::IngestTransactionsRequest r = gym::testing::TransactionBatch(batch_id, n);
  // One bad item: rejected, and committed with the batch by the user's store.
  auto* bad = r.add_transactions();
  bad->set_id(99);
  bad->set_data("2026-02-30");
  bad->set_moeda("BRL");
  return r;
}

TEST(ServerConfigE2E, AUserPipelineFileRunsWithNoRebuild) {
  TempDir dir;
  const std::string file = dir.File("serve.toml");
  std::ofstream(file) << UserPipeline(dir.File("exports"));
  auto server = StartServer(ServeArgs(dir.path(), {"--config", file}));
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = rpc::EventIngestionService::NewStub(
      grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
  rpc::BatchIngestionResponse response;
  ASSERT_TRUE(
      stub->IngestTransactions(gym::testing::CallContext().get(), Batch("user-1", 5), &response)
          .ok());
  EXPECT_TRUE(response.success()) << response.message();
  EXPECT_EQ(response.items_received(), 6);
  EXPECT_EQ(response.items_processed_successfully(), 5);
  EXPECT_EQ(response.items_rejected(), 1);
  stub.reset();
  EXPECT_EQ(*(*server)->Stop(), 0);

  const std::string db = dir.File("gym.db");
  auto stored = ReadSqliteQuery(db, "SELECT count(*) AS n FROM transactions");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->column("n").Int64At(0), 5);
  auto rejected = ReadSqliteQuery(db, "SELECT count(*) AS n FROM rejected_events");
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->column("n").Int64At(0), 1);
  // Categorized by the user's pipeline, and not scored: it has no risk node.
  auto columns = ReadSqliteQuery(db, "SELECT name FROM pragma_table_info('transactions')");
  ASSERT_TRUE(columns.ok()) << columns.status();
  const std::vector<std::string>& names = columns->column("name").strings();
  EXPECT_NE(std::find(names.begin(), names.end(), "categoria"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "suspeita"), names.end());
  // The export branch wrote the batch (and the empty batch that creates the tables).
  size_t exported_rows = 0;
  for (const auto& entry : fs::directory_iterator(dir.File("exports"))) {
    std::ifstream in(entry.path());
    std::string line;
    size_t lines = 0;
    while (std::getline(in, line)) ++lines;
    if (lines > 0) exported_rows += lines - 1;  // minus the header
  }
  EXPECT_EQ(exported_rows, 5u);
}

TEST(ServerConfigE2E, AFileThatCannotKeepTheServersPromisesIsRefused) {
  TempDir dir;
  const std::string file = dir.File("serve.toml");
  std::string text = UserPipeline(dir.File("exports"));
  // No scores pipeline at all.
  text = text.substr(0, text.find("[sources.scores]"));
  std::ofstream(file) << text;
  auto r = RunGym({"serve", "--config", file, "--db", dir.File("gym.db"), "--listen",
                   "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("gym serve submits scores batches to a source named 'scores'"));
  EXPECT_FALSE(fs::exists(dir.File("gym.db")));  // refused before anything was opened

  std::ofstream(file) << UserPipeline(dir.File("exports"));
  r = RunGym({"serve", "--config", file, "--set", "store_transactions.table=tx", "--db",
              dir.File("gym.db"), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("sink 'store_transactions' stores transactions batches: it needs "
                               "table = \"transactions\""));
}

TEST(ServerConfigE2E, PrintsTheDagOfTheFileInUse) {
  TempDir dir;
  const std::string file = dir.File("serve.toml");
  std::ofstream(file) << UserPipeline(dir.File("exports"));
  auto r = RunGym({"serve", "--print-dag", "--config", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("export <- category"));
  EXPECT_THAT(r.out, HasSubstr("store_transactions <- category  [sink]"));
  r = RunGym({"serve", "--print-dag"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("pipelines/serve.toml (built in): serve"));
  EXPECT_THAT(r.out, HasSubstr("store_transactions <- risk  [sink]"));
}

}  // namespace
}  // namespace gym
