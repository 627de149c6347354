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
  const std::string script =
      GnuplotScript("/tmp/d.dat", "/tmp/it's.png", {Row(1, 1, 100), Row(5, 2, 300)});
  EXPECT_NE(script.find("set terminal pngcairo"), std::string::npos);
  EXPECT_NE(script.find("set output '/tmp/it''s.png'"), std::string::npos) << script;
  EXPECT_NE(script.find("multiplot layout 2,1"), std::string::npos);
  EXPECT_NE(script.find("set xtics (1, 5)"), std::string::npos) << script;
  EXPECT_NE(script.find("'p99'"), std::string::npos);
  EXPECT_NE(script.find("axes x1y2"), std::string::npos);
}

}  // namespace
}  // namespace gym::loadtest
