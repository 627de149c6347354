// End to end: `gym loadtest run|sweep --spawn-server` with client event ids and --prefill. The
// summary, results.json and report.md name the id mode and the transactions table's size at
// the start and at the end, and those sizes, the ids and the row counts are checked against
// the database the spawned server wrote: nothing lost, nothing stored twice.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "gym/testing/query_db.h"
#include "gym/testing/run_gym.h"
#include "nlohmann/json.hpp"

namespace gym::loadtest {
namespace {
namespace fs = std::filesystem;
using testing::QueryInt;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path FreshDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// Per simulated client: 2 client batches of 10, 2 transaction batches of 20 after each, 2
// score batches of 10; closed loop, so it ends in well under a second.
const std::vector<std::string> kSmallWorkload = {
    "--client-batches", "2",      "--client-batch-size", "10", "--tx-batches",       "2",
    "--tx-batch-size",  "20",     "--score-batches",     "2",  "--score-batch-size", "10",
    "--mode",           "closed", "--deadline",          "20s"};
constexpr int64_t kTransactionsPerClient = 2 * 2 * 20;
constexpr int64_t kEventsPerClient = 2 * 10 + kTransactionsPerClient + 2 * 10;

// Every table: each row has its own event id, and the run's rows (those of its batch ids) are
// the events it sent; returns the run's transactions.
int64_t ExpectStoredOnce(const std::string& db, const std::string& run_like, int64_t events_sent) {
  int64_t run_rows = 0;
  int64_t run_transactions = 0;
  for (const std::string table : {"clients", "transactions", "scores"}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM " + table),
              QueryInt(db, "SELECT count(DISTINCT event_id) FROM " + table));
    const int64_t n =
        QueryInt(db, "SELECT count(*) FROM " + table + " WHERE batch_id LIKE '" + run_like + "'");
    run_rows += n;
    if (table == "transactions") run_transactions = n;
  }
  EXPECT_EQ(run_rows, events_sent);
  return run_transactions;
}

TEST(EventIdsE2eTest, RunWithUuidsAndPrefillReportsTheTableAndStoresEachEventOnce) {
  const fs::path logs = FreshDir("gym_event_ids_run");
  // clang-format off
  std::vector<std::string> args = {
      "--log-level", "warn", "loadtest", "run", "--spawn-server", "--clients", "2",
      "--logs", logs.string(), "--event-ids", "uuid", "--prefill", "5000",
      "--prefill-batch", "1000"};
  // clang-format on
  args.insert(args.end(), kSmallWorkload.begin(), kSmallWorkload.end());
  const testing::CommandResult r = testing::RunGym(args, {}, std::chrono::minutes(3));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("event ids: uuid\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prefill: 5000 rows added"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lost: 0"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("prefill: 0 rows stored, adding 5000"), std::string::npos) << r.err;

  std::smatch m;
  const std::regex sizes(R"(transactions table at start: (\d+) rows, at end: (\d+) rows)");
  ASSERT_TRUE(std::regex_search(r.out, m, sizes)) << r.out;
  const int64_t start = std::stoll(m[1]);
  const int64_t end = std::stoll(m[2]);
  const std::string db = (logs / "run.db").string();
  EXPECT_EQ(start, 5000);
  EXPECT_EQ(end, QueryInt(db, "SELECT count(*) FROM transactions"));

  std::smatch run_id;
  ASSERT_TRUE(std::regex_search(r.out, run_id, std::regex(R"(^run (\S+):)"))) << r.out;
  const int64_t run_transactions =
      ExpectStoredOnce(db, run_id[1].str() + "-c%", 2 * kEventsPerClient);
  EXPECT_EQ(run_transactions, 2 * kTransactionsPerClient);
  EXPECT_EQ(end - start, run_transactions);
  // The prefill's rows and the run's carry the clients' UUIDs, not ids the server derived.
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM transactions WHERE event_id LIKE '%:%'"), 0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT count(*) FROM transactions WHERE event_id GLOB "
                     "'[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-"
                     "[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-4[0-9a-f][0-9a-f][0-9a-f]-[89ab]*'"),
            end);
  fs::remove_all(logs);
}

TEST(EventIdsE2eTest, SweepRecordsModeAndTableSizesInJsonAndReport) {
  const fs::path out = FreshDir("gym_event_ids_sweep");
  // clang-format off
  std::vector<std::string> args = {
      "--log-level", "warn", "loadtest", "sweep", "--spawn-server", "--clients", "1,2",
      "--out", out.string(), "--event-ids", "sequential", "--prefill", "3000"};
  // clang-format on
  args.insert(args.end(), kSmallWorkload.begin(), kSmallWorkload.end());
  const testing::CommandResult r = testing::RunGym(args, {}, std::chrono::minutes(3));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("event ids: sequential\n"), std::string::npos) << r.out;

  const std::string db = (out / "sweep.db").string();
  const nlohmann::json json = nlohmann::json::parse(ReadAll(out / "results.json"));
  EXPECT_EQ(json["event_ids"], "sequential");
  EXPECT_EQ(json["transactions_at_start"].get<int64_t>(), 3000);
  EXPECT_EQ(json["transactions_at_end"].get<int64_t>(),
            QueryInt(db, "SELECT count(*) FROM transactions"));
  EXPECT_EQ(json["prefill"]["rows_added"].get<int64_t>(), 3000);
  ASSERT_EQ(json["runs"].size(), 2u);
  // Each step starts where the one before ended, and grows by what it sent.
  EXPECT_EQ(json["runs"][0]["transactions_at_start"], json["transactions_at_start"]);
  EXPECT_EQ(json["runs"][1]["transactions_at_start"], json["runs"][0]["transactions_at_end"]);
  EXPECT_EQ(json["runs"][1]["transactions_at_end"], json["transactions_at_end"]);
  EXPECT_EQ(json["transactions_at_end"].get<int64_t>() - 3000, 3 * kTransactionsPerClient);
  ExpectStoredOnce(db, "s%-c%", 3 * kEventsPerClient);  // not the prefill's batches
  EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM transactions WHERE event_id LIKE '%:%'"), 0);

  const std::string report = ReadAll(out / "report.md");
  EXPECT_NE(report.find("Event ids: `sequential`"), std::string::npos) << report;
  EXPECT_NE(report.find("at start: 3000 rows, at end: " +
                        std::to_string(json["transactions_at_end"].get<int64_t>()) + " rows"),
            std::string::npos)
      << report;
  fs::remove_all(out);
}

}  // namespace
}  // namespace gym::loadtest
