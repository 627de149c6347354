// End-to-end tests of `gym run`: the real binary over a small generated data set.
#include <filesystem>
#include <sstream>
#include <fstream>
#include <string>

#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/sources/csv_source.h"
#include "gym/testing/query_db.h"
#include "gym/testing/run_gym.h"
#include "nlohmann/json.hpp"
#include "gym/testing/server_process.h"

namespace gym {
namespace {

namespace fs = std::filesystem;
using ::gym::testing::CommandResult;
using ::gym::testing::QueryInt;
using ::gym::testing::RunGym;
using ::gym::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kClients = 200;
constexpr int kNew = 300;
constexpr int kTimerRuns = 2;
constexpr int kTimerRows = 50;

class RunCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CommandResult gen =
        RunGym({"gen", "all", "--out", dir_.File("data"), "--clients", std::to_string(kClients),
                "--transactions", "1000", "--new-transactions", std::to_string(kNew), "--labeled",
                "2000", "--seed", "3", "--today", "2026-11-26"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  TempDir dir_;
};

TEST_F(RunCommandTest, OnceStoresEveryRowAndPrintsMetrics) {
  CommandResult run = RunGym(
      {"run", "--once", "--data", dir_.File("data"), "--out-db", dir_.File("out.db"), "--out-csv",
       dir_.File("results"), "--model", dir_.File("model.json"), "--timer", "--timer-runs",
       std::to_string(kTimerRuns), "--timer-rows", std::to_string(kTimerRows)});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const std::string db = dir_.File("out.db");
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM clients"), kClients);
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM scores"), kClients);
  // New transactions and timer transactions, categorized and scored, as gym serve stores them.
  const int64_t all = kNew + kTimerRuns * kTimerRows;
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM transactions"), all);
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM transactions WHERE categoria IS NULL"), 0);
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM transactions WHERE suspeita IS NULL"), 0);
  // Addresses were normalized: upper case, abbreviated street words, no stray spaces.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM clients WHERE endereco <> UPPER(endereco) "
                     "OR endereco LIKE 'RUA %' OR endereco LIKE ' %' OR endereco LIKE '% '"),
            0);
  EXPECT_TRUE(fs::exists(dir_.File("model.json")));  // trained from labeled data and saved
  // The risk branch wrote one timestamped CSV per message: the new-transactions file and each
  // timer run, holding the flags that were stored.
  std::vector<std::string> csv_files;
  for (const auto& e : fs::directory_iterator(dir_.File("results"))) {
    if (e.is_regular_file()) csv_files.push_back(e.path().string());
  }
  ASSERT_EQ(csv_files.size(), 1u + kTimerRuns);
  const int64_t suspicious = QueryInt(db, "SELECT SUM(suspeita) FROM transactions");
  int64_t csv_rows = 0;
  int64_t csv_suspicious = 0;
  for (const std::string& file : csv_files) {
    absl::StatusOr<Frame> risk = ReadCsvFile(file);
    ASSERT_TRUE(risk.ok()) << risk.status();
    csv_rows += static_cast<int64_t>(risk->num_rows());
    for (int64_t flag : risk->column("suspeita").ints()) csv_suspicious += flag;
  }
  EXPECT_EQ(csv_rows, all);
  EXPECT_EQ(csv_suspicious, suspicious);
  // The suspicious-share metric agrees with the flags stored.
  const size_t table = run.out.find("== suspicious transactions ==");
  ASSERT_NE(table, std::string::npos) << run.out;
  std::istringstream rows(run.out.substr(table));
  std::string title, header, values;
  std::getline(rows, title);
  std::getline(rows, header);
  std::getline(rows, values);
  std::istringstream cells(values);
  int64_t total = -1, flagged = -1;
  std::string percent;
  cells >> total >> flagged >> percent;
  EXPECT_EQ(total, all);
  EXPECT_EQ(flagged, suspicious);
  EXPECT_EQ(percent, fmt::format("{:.2f}", 100.0 * static_cast<double>(suspicious) /
                                               static_cast<double>(all)));
  EXPECT_THAT(run.out, HasSubstr("Per-node summary"));
  EXPECT_THAT(run.out, HasSubstr("transactions: " + std::to_string(all) + " rows"));
  // The category counts printed add up to every categorized transaction.
  EXPECT_THAT(run.out, HasSubstr("category"));

  // Running the same files again stores nothing twice (event ids derive from their content).
  CommandResult again =
      RunGym({"run", "--once", "--data", dir_.File("data"), "--out-db", db, "--out-csv",
              dir_.File("results"), "--model", dir_.File("model.json")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM clients"), kClients);
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM transactions"), all);

  // `gym report` reads what `gym run` wrote with the same metric parts: the tables of the new
  // transactions' metrics it prints are the ones gym run printed (the first run stored them).
  CommandResult report = RunGym({"report", "--db", db});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  for (const char* title : {"== suspicious transactions ==", "== total value per currency ==",
                            "== transactions per category =="}) {
    auto block = [title](const std::string& out) {
      const size_t start = out.find(title);
      return start == std::string::npos ? std::string()
                                        : out.substr(start, out.find("\n\n", start) - start);
    };
    EXPECT_FALSE(block(report.out).empty()) << title << "\n" << report.out;
    EXPECT_EQ(block(report.out), block(run.out)) << title;
  }
  CommandResult report_json = RunGym({"report", "--db", db, "--format", "json"});
  ASSERT_EQ(report_json.exit_code, 0) << report_json.err;
  EXPECT_THAT(report_json.out, Not(HasSubstr("\"not_reported\"")));
}

TEST_F(RunCommandTest, FormatJsonPrintsTheSummaryAsOneObject) {
  CommandResult run =
      RunGym({"run", "--once", "--data", dir_.File("data"), "--out-db", dir_.File("out.db"),
              "--out-csv", dir_.File("results"), "--model", dir_.File("model.json"), "--format",
              "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // stdout is the JSON object alone: logs go to stderr.
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["pipeline"], "run");
  EXPECT_EQ(doc["ok"], true);
  EXPECT_EQ(doc["failures"], 0);
  EXPECT_EQ(doc["stored"]["transactions"], kNew);
  EXPECT_EQ(doc["stored"]["clients"], kClients);
  EXPECT_EQ(doc["metrics"]["suspicious_pct"]["rows"][0]["transacoes"], kNew);
  EXPECT_EQ(QueryInt(dir_.File("out.db"), "SELECT SUM(suspeita) FROM transactions"),
            doc["metrics"]["suspicious_pct"]["rows"][0]["suspeitas"].get<int64_t>());
  bool saw_source = false, saw_sink = false;
  for (const auto& node : doc["nodes"]) {
    if (node["node"] == "new_txt") {
      saw_source = true;
      EXPECT_EQ(node["rows_out"], kNew);
    }
    if (node["node"] == "save_db") {
      saw_sink = true;
      EXPECT_TRUE(node["rows_out"].is_null());  // a sink produces no rows
    }
  }
  EXPECT_TRUE(saw_source && saw_sink) << run.out;

  // Each metric keeps its totals in metric_<node>, under this run's id, replaced per message:
  // one row of the suspicious share, equal to what the summary says.
  const std::string run_id = doc["run_id"].get<std::string>();
  const std::string db = dir_.File("out.db");
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM metric_suspicious_pct WHERE run_id = '" + run_id +
                             "'"),
            1);
  EXPECT_EQ(QueryInt(db, "SELECT suspeitas FROM metric_suspicious_pct"),
            doc["metrics"]["suspicious_pct"]["rows"][0]["suspeitas"].get<int64_t>());
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM metric_count_per_category"),
            static_cast<int64_t>(doc["metrics"]["count_per_category"]["rows"].size()));
  // A second run adds its own rows beside the first run's.
  CommandResult again =
      RunGym({"run", "--once", "--data", dir_.File("data"), "--out-db", db, "--out-csv",
              dir_.File("results"), "--model", dir_.File("model.json"), "--format", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(DISTINCT run_id) FROM metric_suspicious_pct"), 2);

  CommandResult dot = RunGym({"run", "--once", "--data", dir_.File("data"), "--format", "dot"});
  EXPECT_EQ(dot.exit_code, 2);
  EXPECT_THAT(dot.err, HasSubstr("--format dot draws the DAG"));
}

TEST_F(RunCommandTest, WatchPicksUpADroppedFileExactlyOnce) {
  fs::create_directories(dir_.File("watch"));
  fs::copy_file(dir_.File("data/new_transactions.txt"), dir_.File("watch/drop_0001.txt"));
  fs::copy_file(dir_.File("data/labeled_transactions.csv"),
                dir_.File("watch/labeled_transactions.csv"));
  CommandResult run = RunGym({"run", "--watch", dir_.File("watch"), "--out-db", dir_.File("out.db"),
                              "--out-csv", dir_.File("results"), "--model", dir_.File("model.json"),
                              "--timer-runs", "0", "--idle-timeout", "1.5"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(QueryInt(dir_.File("out.db"), "SELECT COUNT(*) FROM transactions"), kNew);
  EXPECT_THAT(run.out, HasSubstr("Per-node summary"));
}

TEST(RunCommand, PrintsTheDagAsTextAndDot) {
  CommandResult run = RunGym({"run", "--print-dag"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("check_tx <- new_txt"));
  EXPECT_THAT(run.out, HasSubstr("category <- check_tx, timer_tx"));
  EXPECT_THAT(run.out, HasSubstr("risk <- category  [chunks=2]"));
  EXPECT_THAT(run.out, HasSubstr("save_db <- risk  [sink]"));
  EXPECT_THAT(run.out, Not(HasSubstr("digraph")));
  CommandResult dot = RunGym({"run", "--print-dag", "--format", "dot"});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_THAT(dot.out, HasSubstr("\"risk\" -> \"save_csv\";"));
}

TEST(RunCommand, PrintsTheDagOfTheFileInUseWithOverrides) {
  TempDir dir;
  const std::string file = dir.File("mine.toml");
  std::ofstream(file) << R"([pipeline]
name = "mine"
[sources.txt]
type = "file"
match = ["*.txt"]
[nodes.risk]
type = "risk"
inputs = ["txt"]
[sinks.db]
type = "sqlite"
inputs = ["risk"]
table = "scored"
)";
  // An operator may place a node too: chunks and concurrency are overridable.
  CommandResult run =
      RunGym({"run", "--print-dag", "--config", file, "--set", "risk.chunks=3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("risk <- txt  [chunks=3]"));
  run = RunGym({"run", "--print-dag", "--config", file, "--set", "risk.chunks=0"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("--set risk.chunks=0: chunks must be an integer of at least 1"));
  run = RunGym({"run", "--print-dag", "--config", file, "--set", "risk.chunk=3"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("'risk' (risk) has no option 'chunk' (it takes no options); "
                                 "did you mean 'chunks'?"));
  // A value that fails the part's own check names the assignment, not a line of the file.
  CommandResult days =
      RunGym({"run", "--print-dag", "--set", "active_clients.days=-5"});
  EXPECT_EQ(days.exit_code, 1);
  EXPECT_THAT(days.err, HasSubstr("--set active_clients.days=-5: nodes.active_clients: days:"));
  run = RunGym({"run", "--print-dag", "--config", file, "--chunks", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("mine.toml: mine\n"));
  EXPECT_THAT(run.out, HasSubstr("risk <- txt\n"));  // --chunks only changes chunked nodes
  EXPECT_THAT(run.out, HasSubstr("db <- risk  [sink]"));
}

TEST(RunCommand, AnInvalidConfigIsRefusedWithEveryError) {
  TempDir dir;
  const std::string file = dir.File("bad.toml");
  std::ofstream(file) << "[sources.txt]\ntype = \"file\"\nmatch = [\"*.txt\"]\n"
                         "[nodes.drop]\ntype = \"valor_dropper\"\ninputs = [\"txt\"]\n"
                         "[sinks.db]\ntype = \"sqlite\"\ninputs = [\"nowhere\"]\n";
  CommandResult run = RunGym({"run", "--once", "--data", dir.path(), "--config", file});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(file + ":5: nodes.drop: unknown handler type 'valor_dropper'"));
  EXPECT_THAT(run.err, HasSubstr(file + ":7: sinks.db: 'sqlite' needs option 'table'"));
  EXPECT_THAT(run.err, HasSubstr(file + ":9: 'db' reads from 'nowhere', which is not declared"));
}

TEST(RunCommand, MissingModeIsAUsageError) {
  CommandResult run = RunGym({"run"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--once --data DIR or --watch DIR"));
}

TEST(RunCommand, EmptyDataFolderFailsWithTheReason) {
  TempDir empty;
  CommandResult run = RunGym({"run", "--once", "--data", empty.path(), "--model",
                              empty.File("m.json"), "--out-db", empty.File("o.db")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("no input in"));
  EXPECT_THAT(run.err, HasSubstr("takes *.csv *.db *.txt"));
}

}  // namespace
}  // namespace gym
