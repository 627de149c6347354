// End-to-end tests of what `gym run` keeps and loses: a file's identity is its content, --once
// adds no generated rows unless asked, a rejected row is stored only as its rejection record,
// a failed database step leaves no result file, and --timer-runs 0 means none.
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/query_db.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym {
namespace {

namespace fs = std::filesystem;
using ::gym::testing::CommandResult;
using ::gym::testing::ExecSql;
using ::gym::testing::QueryInt;
using ::gym::testing::QueryStrings;
using ::gym::testing::RunGym;
using ::gym::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int kNew = 120;

// Result files a reader would take: visible *.csv in `dir`.
std::vector<std::string> ResultCsvs(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.front() != '.' && name.ends_with(".csv")) names.push_back(name);
  }
  return names;
}

class RunOutputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* seed : {"3", "4"}) {  // two data sets: same names, other bytes
      CommandResult gen =
          RunGym({"gen", "all", "--out", dir_.File(std::string("gen") + seed), "--clients", "50",
                  "--transactions", "200", "--new-transactions", std::to_string(kNew), "--labeled",
                  "1000", "--seed", seed, "--today", "2026-11-26"});
      ASSERT_EQ(gen.exit_code, 0) << gen.err;
    }
    fs::create_directories(dir_.File("in"));
    fs::copy_file(dir_.File("gen3/labeled_transactions.csv"),
                  dir_.File("in/labeled_transactions.csv"));
  }
  // `gym run --once` over the folder "in", into out.db and results/.
  CommandResult RunOnce(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run",       "--once",
                                     "--data",    dir_.File("in"),
                                     "--out-db",  db(),
                                     "--out-csv", dir_.File("results"),
                                     "--model",   dir_.File("model.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunGym(args);
  }
  void Drop(const std::string& from, const std::string& name) {
    fs::copy_file(dir_.File(from), dir_.File("in/" + name), fs::copy_options::overwrite_existing);
  }
  std::string db() const { return dir_.File("out.db"); }
  TempDir dir_;
};

// Identity is the content: new bytes under an old name are new data; the same bytes under
// another name are a retry and store nothing twice.
TEST_F(RunOutputsTest, AFileIsItsContentNotItsName) {
  Drop("gen3/new_transactions.txt", "new.txt");
  CommandResult first = RunOnce();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), kNew);

  Drop("gen4/new_transactions.txt", "new.txt");  // dropped again, other content
  CommandResult second = RunOnce();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), 2 * kNew);

  Drop("gen3/new_transactions.txt", "renamed.txt");  // the first content, under a new name
  CommandResult third = RunOnce();
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), 2 * kNew);
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(DISTINCT batch_id) FROM transactions"), 2);
}

TEST_F(RunOutputsTest, OnceAddsTimerRowsOnlyWhenAsked) {
  Drop("gen3/new_transactions.txt", "new.txt");
  CommandResult plain = RunOnce();
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), kNew);
  CommandResult asked = RunOnce({"--timer", "--timer-runs", "2", "--timer-rows", "30"});
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), kNew + 2 * 30);
}

// Row 2 has no such date (risk rejects it), row 3 no id (category cannot categorize it).
// Each branch alone would have stored the row the other one rejected.
TEST_F(RunOutputsTest, ARejectedRowIsStoredOnlyAsItsRejection) {
  std::ofstream(dir_.File("in/mixed.txt")) << "id,cliente_id,data,valor,moeda\n"
                                              "1,5,2026-11-23,10.5,BRL\n"
                                              "2,5,2026-02-30,20,BRL\n"
                                              ",5,2026-11-24,30,USD\n"
                                              "4,6,2026-11-25,40,EUR\n";
  CommandResult run = RunOnce();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(QueryStrings(db(), "SELECT id FROM transactions ORDER BY id"), ElementsAre("1", "4"));
  const std::vector<std::string> csvs = ResultCsvs(dir_.File("results"));
  ASSERT_EQ(csvs.size(), 1u);
  std::ifstream csv(dir_.File("results/" + csvs[0]));
  std::string header, line;
  std::getline(csv, header);
  std::vector<std::string> csv_ids;
  while (std::getline(csv, line)) csv_ids.push_back(line.substr(0, line.find(',')));
  EXPECT_THAT(csv_ids, ElementsAre("1", "4"));
  EXPECT_THAT(QueryStrings(db(), "SELECT reason FROM rejected_events ORDER BY item_index"),
              ElementsAre(HasSubstr("risk: data '2026-02-30'"),
                          HasSubstr("category: categoria is missing and id is null")));
  EXPECT_THAT(QueryStrings(db(), "SELECT payload FROM rejected_events ORDER BY item_index"),
              ElementsAre(HasSubstr("\"data\":\"2026-02-30\""), HasSubstr("\"valor\":30")));
  // Run again: the rejections are recorded once, like any row.
  ASSERT_EQ(RunOnce().exit_code, 0);
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM rejected_events"), 2);
}

// The transactions table refuses every insert; the risk CSV of the same file must not appear
// as if the run had worked.
TEST_F(RunOutputsTest, AFailedDatabaseStepSaysSoAndLeavesNoResultFile) {
  Drop("gen3/new_transactions.txt", "new.txt");
  ASSERT_TRUE(ExecSql(db(),
                      "CREATE TABLE transactions (event_id TEXT);"
                      "CREATE TRIGGER refuse BEFORE INSERT ON transactions "
                      "BEGIN SELECT RAISE(ABORT, 'the disk is full, say'); END;"));
  CommandResult run = RunOnce();
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_THAT(run.err, HasSubstr("FAILED"));
  EXPECT_THAT(run.err, HasSubstr("the disk is full, say"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("done in")));
  EXPECT_THAT(ResultCsvs(dir_.File("results")), IsEmpty());
}

// The per-node summary counts what a source read (one file request in, its rows out).
TEST_F(RunOutputsTest, SummaryCountsTheRowsASourceRead) {
  Drop("gen3/new_transactions.txt", "new.txt");
  CommandResult run = RunOnce();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("rows out"));
  const std::regex new_txt("\\nnew_txt +1 +1 +" + std::to_string(kNew) + " +0 +[0-9.]+\\n");
  EXPECT_TRUE(std::regex_search(run.out, new_txt)) << run.out;
  const std::regex save_db("\\nsave_db +1 +" + std::to_string(kNew) + " +- +0 +[0-9.]+\\n");
  EXPECT_TRUE(std::regex_search(run.out, save_db)) << run.out;
}

// Zero timer runs is none: the watch ends on its idle timeout instead of being kept busy
// forever by an unlimited timer.
TEST_F(RunOutputsTest, WatchWithZeroTimerRunsEndsWhenIdle) {
  CommandResult run =
      RunGym({"run", "--watch", dir_.File("in"), "--out-db", db(), "--out-csv",
              dir_.File("results"), "--model", dir_.File("model.json"), "--timer-runs", "0",
              "--timer-interval", "0.05", "--idle-timeout", "1"},
             {}, std::chrono::seconds(60));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LE(QueryInt(db(), "SELECT COUNT(*) FROM transactions"), 0);  // no table, or empty
}

}  // namespace
}  // namespace gym
