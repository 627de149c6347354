// End to end: `gym loadtest sweep --spawn-server` with a tiny closed-loop workload, then the
// directories, CSV, JSON, PNG and report it leaves, and that every event sent was committed.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "gym/loadtest/log_stats.h"
#include "gym/testing/loopback.h"
#include "gym/testing/run_gym.h"
#include "nlohmann/json.hpp"

namespace gym::loadtest {
namespace {
namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int CountLogs(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".log";
  return n;
}

TEST(LoadtestE2eTest, SweepWithSpawnedServer) {
  const char* binary = std::getenv("GYM_BINARY");
  ASSERT_NE(binary, nullptr) << "GYM_BINARY is not set";
  const fs::path out =
      fs::temp_directory_path() / ("gym_loadtest_e2e_" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string command =
      std::string(binary) + " loadtest sweep --spawn-server --clients 1,2 --out " + out.string() +
      " --client-batches 2 --client-batch-size 10 --tx-batches 2 --tx-batch-size 20"
      " --score-batches 2 --score-batch-size 10 --mode closed --deadline 20s > " +
      (out.string() + ".stdout") + " 2> " + (out.string() + ".stderr");
  const int rc = std::system(command.c_str());
  const std::string stdout_text = ReadAll(out.string() + ".stdout");
  const std::string stderr_text = ReadAll(out.string() + ".stderr");
  ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << command << "\nstdout:\n"
                                                     << stdout_text << "\nstderr:\n"
                                                     << stderr_text;
  EXPECT_NE(stdout_text.find("lost: 0"), std::string::npos) << stdout_text;
  EXPECT_NE(stderr_text.find("sweep [2/2] 2 clients done"), std::string::npos) << stderr_text;

  // Logs moved per count, one file per simulated client; no run left its temporary dir.
  EXPECT_EQ(CountLogs(out / "logs_1_clients"), 1);
  EXPECT_EQ(CountLogs(out / "logs_2_clients"), 2);
  EXPECT_FALSE(fs::exists(out / "load_test_logs"));
  // Per simulated client: 2 client + 4 transaction + 2 score batches, none failed.
  absl::StatusOr<LogStats> stats = ComputeLogStats(out / "logs_2_clients");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->latency.samples, 16);
  EXPECT_EQ(stats->errors, 0);

  const std::string csv = ReadAll(out / "results.csv");
  EXPECT_EQ(csv.rfind("clients,files,samples,errors,", 0), 0u) << csv;
  EXPECT_NE(csv.find("\n1,1,8,0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n2,2,16,0,"), std::string::npos) << csv;

  const nlohmann::json results = nlohmann::json::parse(ReadAll(out / "results.json"));
  ASSERT_EQ(results["runs"].size(), 2u);
  const int64_t per_client_events = 2 * 10 + 4 * 20 + 2 * 10;
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    const nlohmann::json& run = results["runs"][i];
    const int64_t clients = static_cast<int64_t>(i) + 1;
    EXPECT_EQ(run["clients"].get<int64_t>(), clients);
    EXPECT_EQ(run["events_sent"].get<int64_t>(), clients * per_client_events);
    EXPECT_EQ(run["events_committed"].get<int64_t>(), run["events_sent"].get<int64_t>());
    EXPECT_EQ(run["events_lost"].get<int64_t>(), 0);
    EXPECT_GT(run["server_peak_rss_kib"].get<int64_t>(), 0);
    EXPECT_GT(run["mean_ms"].get<double>(), 0);
  }

  const std::string png = ReadAll(out / "load_test_performance_graph.png");
  EXPECT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

  const std::string report = ReadAll(out / "report.md");
  EXPECT_NE(report.find("(load_test_performance_graph.png)"), std::string::npos) << report;
  EXPECT_NE(report.find("| 2 |"), std::string::npos) << report;
  EXPECT_NE(report.find("Events lost over the sweep: 0"), std::string::npos) << report;

  fs::remove_all(out);
  fs::remove(out.string() + ".stdout");
  fs::remove(out.string() + ".stderr");
}

// Ctrl-C in the middle of a sweep: the clients stop at once, the finished step's results and
// the interrupted step's logs are written and named, and the exit status is 130.
TEST(LoadtestE2eTest, CtrlCDuringSweepKeepsWhatFinishedAndExits130) {
  const fs::path out =
      fs::temp_directory_path() / ("gym_loadtest_ctrlc_" + std::to_string(::getpid()));
  fs::remove_all(out);
  // Open loop at 40 batches/s: the 1-client step sends 8 batches (0.2 s), the 10-client step
  // 80 (2 s), and is interrupted half a second in.
  const auto started = std::chrono::steady_clock::now();
  testing::CommandResult r = testing::RunGymInterrupted(
      {"--log-level",
       "warn",
       "loadtest",
       "sweep",
       "--spawn-server",
       "--clients",
       "1,10",
       "--out",
       out.string(),
       "--client-batches",
       "2",
       "--client-batch-size",
       "10",
       "--tx-batches",
       "2",
       "--tx-batch-size",
       "20",
       "--score-batches",
       "2",
       "--score-batch-size",
       "10",
       "--rps",
       "40",
       "--deadline",
       "20s"},
      {"sweep [2/2] 10 clients ...", std::chrono::milliseconds(500)}, std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 130) << r.out << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_NE(r.err.find("interrupted during 10 clients; results of the 1 finished steps are in " +
                       out.string()),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("logs of the interrupted step are in " +
                       (out / "logs_10_clients_interrupted").string()),
            std::string::npos)
      << r.err;
  EXPECT_EQ(CountLogs(out / "logs_1_clients"), 1);
  EXPECT_EQ(CountLogs(out / "logs_10_clients_interrupted"), 10);
  EXPECT_FALSE(fs::exists(out / "logs_10_clients"));
  // The interrupted step sent some batches, not all of them.
  absl::StatusOr<LogStats> partial = ComputeLogStats(out / "logs_10_clients_interrupted");
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_GT(partial->latency.samples + partial->errors, 0);
  EXPECT_LT(partial->latency.samples, 80);

  const nlohmann::json results = nlohmann::json::parse(ReadAll(out / "results.json"));
  ASSERT_EQ(results["runs"].size(), 1u);
  EXPECT_EQ(results["runs"][0]["clients"], 1);
  EXPECT_EQ(results["runs"][0]["events_lost"], 0);
  EXPECT_EQ(results["interrupted_at"], 10);
  const std::string csv = ReadAll(out / "results.csv");
  EXPECT_NE(csv.find("\n1,1,8,0,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("\n10,"), std::string::npos) << csv;
  const std::string report = ReadAll(out / "report.md");
  EXPECT_NE(report.find("**Interrupted** during the step of 10 clients"), std::string::npos)
      << report;
  EXPECT_NE(report.find("logs_10_clients_interrupted"), std::string::npos) << report;
  fs::remove_all(out);
}

// A sweep whose every batch fails draws no graph, and says why.
TEST(LoadtestE2eTest, SweepWithoutAnswersDrawsNoGraph) {
  const fs::path out =
      fs::temp_directory_path() / ("gym_loadtest_nograph_" + std::to_string(::getpid()));
  fs::remove_all(out);
  const int port = testing::FreeLoopbackPort();
  ASSERT_NE(port, 0);
  testing::CommandResult r = testing::RunGym({"--log-level",
                                              "warn",
                                              "loadtest",
                                              "sweep",
                                              "--target",
                                              "127.0.0.1:" + std::to_string(port),
                                              "--clients",
                                              "1",
                                              "--out",
                                              out.string(),
                                              "--client-batches",
                                              "1",
                                              "--tx-batches",
                                              "0",
                                              "--score-batches",
                                              "0",
                                              "--mode",
                                              "closed",
                                              "--retries",
                                              "0",
                                              "--deadline",
                                              "2s"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_FALSE(fs::exists(out / "load_test_performance_graph.png"));
  EXPECT_NE(r.err.find("no graph: no batch was answered in any step"), std::string::npos) << r.err;
  const std::string report = ReadAll(out / "report.md");
  EXPECT_NE(report.find("(no graph: no batch was answered in any step: nothing to draw)"),
            std::string::npos)
      << report;
  fs::remove_all(out);
}

// RPC errors are counted, never fatal, but a run that got no answer at all fails, so a script
// or CI job can trust the exit status.
TEST(LoadtestE2eTest, RunWithNoAnswerAtAllExitsOne) {
  const fs::path logs =
      fs::temp_directory_path() / ("gym_loadtest_noanswer_" + std::to_string(::getpid()));
  const int port = testing::FreeLoopbackPort();
  ASSERT_NE(port, 0);
  testing::CommandResult r = testing::RunGym({"--log-level",
                                              "warn",
                                              "loadtest",
                                              "run",
                                              "--target",
                                              "127.0.0.1:" + std::to_string(port),
                                              "--clients",
                                              "1",
                                              "--client-batches",
                                              "1",
                                              "--tx-batches",
                                              "1",
                                              "--score-batches",
                                              "1",
                                              "--pause-min",
                                              "0",
                                              "--pause-max",
                                              "0",
                                              "--deadline",
                                              "2s",
                                              "--backoff-initial",
                                              "1ms",
                                              "--backoff-max",
                                              "2ms",
                                              "--logs",
                                              logs.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("no batch was answered"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("errors UNAVAILABLE(14): 3"), std::string::npos) << r.out;
  // Each batch was resent as often as --retries allows (8 by default) before it failed.
  EXPECT_NE(r.out.find("retries: 24 (UNAVAILABLE 24)"), std::string::npos) << r.out;
  fs::remove_all(logs);
}

// A target gRPC would misread (the port wraps around) is a usage error, exit 2, naming the flag.
TEST(LoadtestE2eTest, OutOfRangePortIsAUsageError) {
  testing::CommandResult r =
      testing::RunGym({"loadtest", "run", "--target", "127.0.0.1:99999", "--clients", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--target: '127.0.0.1:99999': port 99999 is outside 1-65535"),
            std::string::npos)
      << r.err;
}

// `stats` over nothing fails instead of printing a table of zeros.
TEST(LoadtestE2eTest, StatsOverNoLogsExitsOne) {
  const fs::path dir =
      fs::temp_directory_path() / ("gym_loadtest_nostats_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  testing::CommandResult empty = testing::RunGym({"loadtest", "stats", dir.string()});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("no *.log files"), std::string::npos) << empty.err;
  std::ofstream(dir / "client_output_0_of_1.log") << "not a log line\n";
  testing::CommandResult garbage = testing::RunGym({"loadtest", "stats", dir.string()});
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_NE(garbage.err.find("1 lines not understood"), std::string::npos) << garbage.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gym::loadtest
