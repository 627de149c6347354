// The sweep's reading of its data, and its CSV and JSON files.
#include "gym/loadtest/sweep_outputs.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "gym/loadtest/plot.h"

namespace gym::loadtest {
namespace {
namespace fs = std::filesystem;

SweepRow Row(int clients, double mean_ms, double events_per_second) {
  SweepRow r;
  r.clients = clients;
  r.stats.files = clients;
  r.stats.latency.samples = 10;
  r.stats.latency.mean = mean_ms / 1e3;
  r.stats.latency.p99 = 2 * mean_ms / 1e3;
  r.events_per_second = events_per_second;
  r.batches_per_second = events_per_second / 100;
  r.events_sent = r.events_acked = r.events_committed = 1000;
  r.events_lost = 0;
  return r;
}

TEST(SweepOutputsTest, KneeIsWhereLatencyOutgrowsLoad) {
  struct Case {
    std::vector<SweepRow> rows;
    std::optional<size_t> want;
  };
  const std::vector<Case> cases = {
      {{Row(1, 1, 100), Row(2, 1.5, 200), Row(5, 5, 300)}, 2},  // x3.33 for x2.5
      {{Row(1, 1, 100), Row(2, 3, 150)}, 1},                    // x3 for x2
      {{Row(1, 1, 100), Row(2, 2, 200), Row(4, 4, 400)}, std::nullopt},
      {{Row(1, 1, 100)}, std::nullopt},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(FindKnee(cases[i].rows), cases[i].want);
  }
}

TEST(SweepOutputsTest, ReadingNamesKneeThroughputAndLoss) {
  SweepResult result;
  result.rows = {Row(1, 1, 100), Row(2, 1.5, 200), Row(5, 5, 300)};
  result.server_peak_rss_kib = 40 * 1024;
  const std::string text = ReadResults(result);
  EXPECT_NE(text.find("between 2 and 5 clients"), std::string::npos) << text;
  EXPECT_NE(text.find("300.0 events/s"), std::string::npos) << text;
  EXPECT_NE(text.find("Events lost over the sweep: 0"), std::string::npos) << text;
  EXPECT_NE(text.find("40.0 MiB"), std::string::npos) << text;
}

TEST(SweepOutputsTest, SeedFigures) {
  EXPECT_EQ(SeedMeanSeconds(1), 6.0);
  EXPECT_EQ(SeedMeanSeconds(10), 16.5);
  EXPECT_EQ(SeedMeanSeconds(20), 31.0);
  EXPECT_FALSE(SeedMeanSeconds(3).has_value());
}

TEST(SweepOutputsTest, CsvHasHeaderAndOneLinePerCount) {
  const fs::path path =
      fs::temp_directory_path() / ("gym_sweep_outputs_test_" + std::to_string(::getpid()) + ".csv");
  ASSERT_TRUE(WriteResultsCsv(path, {Row(1, 1, 100), Row(2, 1.5, 200)}).ok());
  std::ifstream in(path);
  std::string header, first, second, extra;
  std::getline(in, header);
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_FALSE(std::getline(in, extra));
  fs::remove(path);
  EXPECT_EQ(header.rfind("clients,files,samples,errors,mean_ms,", 0), 0u) << header;
  EXPECT_EQ(first.rfind("1,1,10,0,1.000000,", 0), 0u) << first;
  EXPECT_EQ(second.rfind("2,2,10,0,1.500000,", 0), 0u) << second;
}

TEST(SweepOutputsTest, JsonCarriesEveryRun) {
  SweepResult result;
  result.rows = {Row(1, 1, 100), Row(2, 1.5, 200)};
  result.target = "127.0.0.1:1";
  const nlohmann::json j = SweepToJson(result);
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["runs"][1]["clients"], 2);
  EXPECT_NEAR(j["runs"][1]["mean_ms"].get<double>(), 1.5, 1e-9);
  EXPECT_EQ(j["runs"][0]["events_lost"], 0);
  EXPECT_EQ(j["target"], "127.0.0.1:1");
}

TEST(SweepOutputsTest, GnuplotScriptHasBothPanels) {
  std::vector<SweepRow> rows = {Row(1, 1, 100), Row(5, 2, 300)};
  for (SweepRow& r : rows) r.stats.latency.samples = 500;
  const std::string script = GnuplotScript("/tmp/d.dat", "/tmp/it's.png", rows, "scale 1");
  EXPECT_NE(script.find("set terminal pngcairo"), std::string::npos);
  EXPECT_NE(script.find("set output '/tmp/it''s.png'"), std::string::npos) << script;
  EXPECT_NE(script.find("multiplot layout 2,1"), std::string::npos);
  EXPECT_NE(script.find("title 'p99'"), std::string::npos) << script;
  EXPECT_NE(script.find("axes x1y2"), std::string::npos);
}

// The graph says what it measured: workload, samples per point, and a p99 on too few samples.
TEST(SweepOutputsTest, GnuplotScriptCarriesWorkloadAndSamples) {
  std::vector<SweepRow> rows = {Row(1, 1, 100), Row(5, 2, 300)};
  rows[0].stats.latency.samples = 8;
  rows[1].stats.latency.samples = 400;
  const std::string script = GnuplotScript("/tmp/d.dat", "/tmp/g.png", rows,
                                           "scale 0.1 (14 batches per client), "
                                           "closed loop (no pauses), --rpc batch");
  EXPECT_NE(script.find("workload: scale 0.1 (14 batches per client), closed loop (no pauses), "
                        "--rpc batch' noenhanced"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("set xtics (\"1\\nn=8\" 1, \"5\\nn=400\" 5)"), std::string::npos) << script;
  EXPECT_NE(script.find("'p99 (under 100 samples at 1 clients: rough)'"), std::string::npos)
      << script;
}

TEST(SweepOutputsTest, NoGraphWhenNoBatchWasAnswered) {
  SweepResult result;
  result.rows = {Row(1, 1, 100), Row(2, 1, 100)};
  for (SweepRow& r : result.rows) r.stats.latency = {};
  const fs::path png =
      fs::temp_directory_path() / ("gym_sweep_nograph_" + std::to_string(::getpid()) + ".png");
  absl::Status s = DrawSweepGraph(png, result);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("no batch was answered"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(png));
  // A step without answers is left out of a graph that has other points.
  result.rows[1].stats.latency.samples = 3;
  ASSERT_EQ(DrawableRows(result.rows).size(), 1u);
  EXPECT_EQ(DrawableRows(result.rows)[0].clients, 2);
}

TEST(SweepOutputsTest, SeedWorkloadIsTheSeedsShapePacedBatch) {
  RunOptions o;
  EXPECT_TRUE(IsSeedWorkload(o));
  for (auto edit : std::vector<void (*)(RunOptions&)>{
           [](RunOptions& x) { x.scale = 0.1; }, [](RunOptions& x) { x.mode = PaceMode::kClosed; },
           [](RunOptions& x) { x.rps = 100; }, [](RunOptions& x) { x.pause_max_seconds = 0.2; },
           [](RunOptions& x) { x.rpc = RpcKind::kStream; },
           [](RunOptions& x) { x.shape.tx_batch_size = 50; }}) {
    RunOptions changed;
    edit(changed);
    EXPECT_FALSE(IsSeedWorkload(changed));
  }
}

// The seed's figures appear only beside a sweep of the seed's workload, and a p99 on fewer
// than 100 samples is flagged.
TEST(SweepOutputsTest, ReportComparesWithTheSeedOnlyAtItsWorkload) {
  const fs::path path =
      fs::temp_directory_path() / ("gym_sweep_report_" + std::to_string(::getpid()) + ".md");
  auto read = [&path] {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  SweepResult result;
  result.rows = {Row(1, 1, 100), Row(20, 2, 300)};
  result.rows[1].stats.latency.samples = 5000;
  result.workload = "closed";
  result.seed_workload = false;
  ASSERT_TRUE(WriteReport(path, result).ok());
  std::string report = read();
  EXPECT_EQ(report.find("seed mean"), std::string::npos) << report;
  EXPECT_EQ(report.find("times less"), std::string::npos) << report;
  EXPECT_NE(report.find("The seed's figures are not shown"), std::string::npos) << report;
  EXPECT_NE(report.find("| 1 | 10 | 1.000 | 0.000 | 0.000 | 2.000 * |"), std::string::npos)
      << report;
  EXPECT_NE(report.find("at 1 clients the p99 rests on fewer than 100"), std::string::npos)
      << report;

  result.seed_workload = true;
  ASSERT_TRUE(WriteReport(path, result).ok());
  report = read();
  EXPECT_NE(report.find("seed mean (s)"), std::string::npos) << report;
  EXPECT_NE(report.find("~31"), std::string::npos) << report;
  EXPECT_NE(report.find("times less"), std::string::npos) << report;
  fs::remove(path);
}

// The id mode and the table sizes reach results.json (null when unknown) and report.md.
TEST(SweepOutputsTest, JsonAndReportCarryIdModeAndTableSizes) {
  SweepResult result;
  result.rows = {Row(1, 1, 100)};
  result.event_ids = EventIdMode::kUuid;
  result.transactions_at_start = {.rows = 1000, .source = "database d.db"};
  result.transactions_at_end = {.rows = 1400, .source = "database d.db"};
  result.rows[0].transactions_at_start = result.transactions_at_start;
  result.rows[0].transactions_at_end = result.transactions_at_end;
  PrefillResult prefill;
  prefill.rows_added = 1000;
  prefill.rows_after = 1000;
  prefill.seconds = 2;
  result.prefill = prefill;
  nlohmann::json json = SweepToJson(result);
  EXPECT_EQ(json["event_ids"], "uuid");
  EXPECT_EQ(json["transactions_at_start"], 1000);
  EXPECT_EQ(json["transactions_at_end"], 1400);
  EXPECT_EQ(json["runs"][0]["transactions_at_end"], 1400);
  EXPECT_EQ(json["prefill"]["rows_per_second"], 500.0);
  EXPECT_EQ(DescribeDatabase(result),
            "Event ids: `uuid` (--event-ids). Prefill: 1000 rows added in 2.0 s (500 rows/s), the "
            "table holds 1000. Size of the transactions table at start: 1000 rows, at end: 1400 "
            "rows (database d.db).\n\n");

  result.event_ids = EventIdMode::kDerived;
  result.prefill.reset();
  result.transactions_at_end = {.rows = std::nullopt, .source = "GetStats: connection refused"};
  json = SweepToJson(result);
  EXPECT_EQ(json["event_ids"], "derived");
  EXPECT_TRUE(json["transactions_at_end"].is_null());
  EXPECT_TRUE(json["prefill"].is_null());
  EXPECT_EQ(json["transactions_count_source"], "GetStats: connection refused");
  EXPECT_NE(DescribeDatabase(result).find("at end: unknown (GetStats: connection refused)"),
            std::string::npos)
      << DescribeDatabase(result);
}

}  // namespace
}  // namespace gym::loadtest
