// `gym loadtest ping` against the real `gym serve`: every health check is counted and timed,
// a refused or unreachable check is an error in the tally, never an abort.
#include <string>

#include "gtest/gtest.h"
#include "gym/loadtest/ping.h"
#include "gym/testing/loopback.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym::loadtest {
namespace {

using testing::ServeArgs;
using testing::StartServer;
using testing::TempDir;

constexpr int kUnavailable = 14;  // grpc::StatusCode::UNAVAILABLE
constexpr int kNotFound = 5;      // grpc::StatusCode::NOT_FOUND
constexpr int kDeadlineExceeded = 4;

PingOptions BackToBack(const std::string& target, int clients, int count) {
  PingOptions o;
  o.target = target;
  o.clients = clients;
  o.count = count;
  o.pause_min_seconds = 0;
  o.pause_max_seconds = 0;
  return o;
}

TEST(PingE2eTest, EveryCheckAnsweredServingAndTimed) {
  TempDir dir;
  auto server = StartServer(ServeArgs(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();

  PingOptions o = BackToBack((*server)->target(), 2, 5);
  absl::StatusOr<PingResult> r = RunPing(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->sent, 10);
  EXPECT_EQ(r->serving, 10);
  EXPECT_EQ(r->not_serving, 0);
  EXPECT_EQ(r->rpc_errors, 0);
  EXPECT_EQ(r->latency.samples, 10);
  EXPECT_GT(r->latency.min, 0);
  EXPECT_LE(r->latency.min, r->latency.max);

  // The ingestion service's own health entry answers too; an unknown one is NOT_FOUND.
  o.service = "gym_framework_rpc.EventIngestionService";
  r = RunPing(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->serving, 10);
  o.service = "no.such.Service";
  r = RunPing(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rpc_errors, 10);
  EXPECT_EQ(r->errors_by_code[kNotFound], 10);
  EXPECT_EQ(r->latency.samples, 0);

  EXPECT_EQ(*(*server)->Stop(), 0);
}

TEST(PingE2eTest, PausesComeFromTheOptions) {
  TempDir dir;
  auto server = StartServer(ServeArgs(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  PingOptions o = BackToBack((*server)->target(), 1, 3);
  o.pause_min_seconds = 0.05;
  o.pause_max_seconds = 0.05;
  absl::StatusOr<PingResult> r = RunPing(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->serving, 3);
  EXPECT_GE(r->wall_seconds, 0.1);  // two pauses of 50 ms between three checks
  EXPECT_EQ(*(*server)->Stop(), 0);
}

TEST(PingE2eTest, NothingListeningIsCountedAndTheCommandFails) {
  const int port = testing::FreeLoopbackPort();
  ASSERT_NE(port, 0);
  const std::string target = "127.0.0.1:" + std::to_string(port);
  PingOptions o = BackToBack(target, 1, 2);
  o.deadline = std::chrono::seconds(2);
  absl::StatusOr<PingResult> r = RunPing(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->sent, 2);
  EXPECT_EQ(r->rpc_errors, 2);
  EXPECT_EQ(r->errors_by_code[kUnavailable] + r->errors_by_code[kDeadlineExceeded], 2);

  testing::CommandResult cli =
      testing::RunGym({"loadtest", "ping", "--target", target, "--count", "2", "--pause-min", "0",
                       "--pause-max", "0", "--deadline", "2s"});
  EXPECT_EQ(cli.exit_code, 1) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("2 RPC errors"), std::string::npos) << cli.out;
}

TEST(PingOptionsTest, BadOptionsNameTheirFlag) {
  PingOptions o;
  o.count = 0;
  EXPECT_NE(ValidatePingOptions(o).message().find("--count"), std::string::npos);
  o = PingOptions();
  o.pause_min_seconds = 0.5;
  o.pause_max_seconds = 0.1;
  EXPECT_NE(ValidatePingOptions(o).message().find("--pause-min"), std::string::npos);
  o = PingOptions();
  o.clients = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(RunPing(o).status()));
}

}  // namespace
}  // namespace gym::loadtest
