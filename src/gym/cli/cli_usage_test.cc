// End to end: every bad flag value of gym run, gen, inspect, report, train and loadtest is a
// usage error
// (exit 2) whose message names the flag, in words a person reads (no 1.797693e+308, no
// 18446744073709551615 for -1).
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "gym/testing/run_gym.h"
#include "gym/testing/server_process.h"

namespace gym {
namespace {

using ::gym::testing::CommandResult;
using ::gym::testing::RunGym;
using ::gym::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

struct UsageCase {
  std::vector<std::string> args;
  std::string says;
};

void RunCases(const std::vector<UsageCase>& cases);

TEST(CliUsage, BadFlagValuesExit2NamingTheFlag) {
  TempDir dir;
  const std::string d = dir.path();
  const std::vector<UsageCase> cases = {
      {{"run", "--once", "--data", d, "--chunks", "0"}, "--chunks: must be a whole number from 1"},
      {{"run", "--once", "--data", d, "--chunks", "100"}, "from 1 to 64, got '100'"},
      {{"run", "--once", "--data", d, "--seed", "-1"}, "--seed: must be a whole number"},
      {{"run", "--once", "--data", d, "--seed", "010x"}, "--seed"},
      {{"run", "--watch", d, "--timer-runs", "-1"}, "--timer-runs: must be a whole number"},
      {{"run", "--watch", d, "--timer-runs", "forever"}, "or 'unlimited', got 'forever'"},
      {{"run", "--watch", d, "--idle-timeout", "0"}, "--idle-timeout: must be a number of seconds"},
      {{"run", "--watch", d, "--timer-interval", "-2"}, "--timer-interval"},
      {{"run", "--watch", d, "--timer-rows", "-5"}, "--timer-rows"},
      {{"run", "--once", "--data", d, "--timer-runs", "3"}, "need --timer under --once"},
      {{"run", "--once", "--data", d, "--timer", "--timer-runs", "unlimited"}, "needs --watch"},
      {{"run", "--watch", d, "--data", d}, "--data is the input of --once"},
      {{"gen", "drops", "--dir", d, "--delay", "10-4"}, "--delay '10-4': MIN 10 is above MAX 4"},
      {{"gen", "drops", "--dir", d, "--files", "-1"}, "--files: must be a whole number from 0"},
      {{"gen", "drops", "--dir", d, "--clients", "0"}, "--clients: must be a whole number from 1"},
      {{"gen", "drops", "--dir", d, "--today", "2026-02-30"}, "--today '2026-02-30'"},
      {{"gen", "all", "--out", d, "--clients", "-3"}, "--clients: must be a whole number from 0"},
      {{"gen", "all", "--out", d, "--seed", "-1"}, "--seed: must be a whole number"},
      {{"inspect", d + "/x.csv", "--rows", "-1"}, "--rows: must be a whole number from 0"},
      {{"inspect", d + "/x.csv", "--format", "xml"}, "--format"},
      {{"report", "--db", d + "/x.db", "--format", "xml"}, "--format"},
      {{"train", "--data", d + "/x.csv", "--max-depth", "0"}, "--max-depth: must be a whole"},
      {{"train", "--data", d + "/x.csv", "--seed", "-7"}, "--seed: must be a whole number"},
  };
  RunCases(cases);
}

// gym loadtest checks every flag before it connects anywhere.
TEST(CliUsage, BadLoadtestFlagValuesExit2NamingTheFlag) {
  TempDir dir;
  const std::string pem = dir.File("client.pem");
  std::ofstream(pem) << "not checked before the run\n";
  const std::vector<std::string> run = {"loadtest", "run", "--target", "127.0.0.1:1"};
  auto with = [](std::vector<std::string> base, std::vector<std::string> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  const std::vector<UsageCase> cases = {
      {with(run, {"--clients", "0"}), "--clients: must be a whole number from 1 to 100000"},
      {with(run, {"--clients", "-3"}), "--clients: must be a whole number from 1"},
      {with(run, {"--pause-min", "0.5", "--pause-max", "0.2"}),
       "--pause-min 0.5 is above --pause-max 0.2"},
      {with(run, {"--pause-min", "-1"}), "--pause-min: must be a number of seconds >= 0"},
      {with(run, {"--deadline", "2"}),
       "--deadline: must be a duration with a unit (e.g. 500ms, 60s, 2m)"},
      {with(run, {"--duration", "0s"}), "--duration: must be a duration with a unit"},
      {with(run, {"--scale", "0"}), "--scale: must be a number > 0"},
      {with(run, {"--tx-batch-size", "0"}), "--tx-batch-size: must be a whole number from 1"},
      {with(run, {"--score-batches", "-1"}), "--score-batches: must be a whole number from 0"},
      {with(run, {"--rps", "-5"}), "--rps: must be a number >= 0"},
      {with(run, {"--seed", "-1"}), "--seed: must be a whole number from 0"},
      {with(run, {"--retries", "-1"}), "--retries: must be a whole number from 0"},
      {with(run, {"--backoff-initial", "2s", "--backoff-max", "1s"}),
       "--backoff-initial 2s is above --backoff-max 1s"},
      {with(run, {"--backoff-max", "5"}), "--backoff-max: must be a duration with a unit"},
      {with(run, {"--mode", "fast"}), "--mode"},
      {with(run, {"--tls-ca", dir.File("missing.pem")}), "--tls-ca"},
      {with(run, {"--tls-cert", pem}), "--tls-cert requires --tls-key"},
      {with(run, {"--tls-key", pem}), "--tls-key requires --tls-cert"},
      {{"loadtest", "sweep", "--clients", "1,x,3"},
       "--clients: item 2 of 3 must be a whole number from 1 to 100000, got 'x'"},
      {{"loadtest", "sweep", "--clients", "1,,3"}, "item 2 of 3 must be a whole number"},
      {{"loadtest", "sweep", "--clients", "5,0"}, "item 2 of 2 must be a whole number"},
      {{"loadtest", "sweep", "--deadline", "10"}, "--deadline: must be a duration with a unit"},
      {{"loadtest", "ping", "--count", "0"}, "--count: must be a whole number from 1"},
      {{"loadtest", "ping", "--clients", "x"}, "--clients: must be a whole number from 1"},
      {{"loadtest", "ping", "--deadline", "5"}, "--deadline: must be a duration with a unit"},
      {{"loadtest", "ping", "--pause-min", "1", "--pause-max", "0.5"},
       "--pause-min 1 is above --pause-max 0.5"},
  };
  RunCases(cases);
}

void RunCases(const std::vector<UsageCase>& cases) {
  for (const auto& c : cases) {
    std::string line;
    for (const std::string& a : c.args) line += a + " ";
    SCOPED_TRACE(line);
    CommandResult run = RunGym(c.args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_THAT(run.err, HasSubstr(c.says));
    EXPECT_THAT(run.err, Not(HasSubstr("0.000000")));
    EXPECT_THAT(run.err, Not(HasSubstr("e+308")));
  }
}

// --timer-runs documents what 0 and "unlimited" mean.
TEST(CliUsage, RunHelpSpellsOutTimerRuns) {
  CommandResult help = RunGym({"run", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_THAT(help.out, HasSubstr("0 = none"));
  EXPECT_THAT(help.out, HasSubstr("'unlimited'"));
}

}  // namespace
}  // namespace gym
