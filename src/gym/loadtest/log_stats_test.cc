// `gym loadtest stats` over hand-made log files with known statistics.
#include "gym/loadtest/log_stats.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace gym::loadtest {
namespace {
namespace fs = std::filesystem;

class LogStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gym_log_stats_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "nested");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const fs::path& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }

  fs::path dir_;
};

TEST_F(LogStatsTest, KnownSamplesAcrossFiles) {
  // Round-trips 1, 2, 3, 4, 10 ms over two files (one nested), one failed RPC, one line
  // without a round-trip, and a .txt file that is not a log.
  Write("client_output_0_of_2.log",
        "type=clients batch_id=a items=1 success=true acked=1 server_duration=0s "
        "Round-trip=0.004s\n"
        "type=clients batch_id=b items=1 success=true acked=1 server_duration=0s "
        "Round-trip=0.010s\n"
        "a line the seed's processor ignores\n");
  Write("nested/client_output_1_of_2.log",
        "Round-trip=0.001s\nRound-trip=0.003s\nRound-trip=0.002s\n"
        "type=scores batch_id=c items=1 success=false rpc_error=UNAVAILABLE(14) message=\"x\" "
        "elapsed=0.5s\n");
  Write("notes.txt", "Round-trip=9.0s\n");

  absl::StatusOr<LogStats> stats = ComputeLogStats(dir_);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->files, 2);
  EXPECT_EQ(stats->errors, 1);
  const LatencySummary& l = stats->latency;
  EXPECT_EQ(l.samples, 5);
  EXPECT_NEAR(l.mean, 0.004, 1e-12);
  EXPECT_NEAR(l.median, 0.003, 1e-12);
  EXPECT_NEAR(l.stddev, 0.0035355339059327378, 1e-12);  // sqrt(50 / 4) ms
  EXPECT_NEAR(l.min, 0.001, 1e-12);
  EXPECT_NEAR(l.max, 0.010, 1e-12);
  EXPECT_NEAR(l.p90, 0.0076, 1e-12);
  EXPECT_NEAR(l.p95, 0.0088, 1e-12);
  EXPECT_NEAR(l.p99, 0.00976, 1e-12);
  EXPECT_NEAR(l.p999, 0.009976, 1e-12);

  const nlohmann::json j = LogStatsToJson(*stats);
  EXPECT_EQ(j["files"], 2);
  EXPECT_EQ(j["samples"], 5);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_NEAR(j["mean_ms"].get<double>(), 4.0, 1e-9);
  EXPECT_NEAR(j["p99_ms"].get<double>(), 9.76, 1e-9);

  const std::string table = FormatLogStatsTable(*stats);
  EXPECT_NE(table.find("4.000 ms"), std::string::npos) << table;
  EXPECT_NE(table.find("p99.9"), std::string::npos) << table;
}

TEST_F(LogStatsTest, LinesThatAreNeitherAreCountedAsUnparsed) {
  Write("a.log", "type=x batch_id=1 Round-trip=0.002s\nnot a log line\n\n  \ngarbage=1\n");
  absl::StatusOr<LogStats> stats = ComputeLogStats(dir_);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->latency.samples, 1);
  EXPECT_EQ(stats->unparsed, 2);  // blank lines are not counted
  EXPECT_EQ(LogStatsToJson(*stats)["unparsed"], 2);
  EXPECT_NE(FormatLogStatsTable(*stats).find("unparsed lines"), std::string::npos);
}

TEST_F(LogStatsTest, EmptyDirectoryHasNoSamples) {
  absl::StatusOr<LogStats> stats = ComputeLogStats(dir_);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->files, 0);
  EXPECT_EQ(stats->latency.samples, 0);
}

TEST_F(LogStatsTest, MissingDirectoryIsNotFound) {
  absl::StatusOr<LogStats> stats = ComputeLogStats(dir_ / "absent");
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(stats.status().message().find("absent"), std::string_view::npos);
}

}  // namespace
}  // namespace gym::loadtest
