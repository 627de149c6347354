// End to end: every bad flag value of gym run, gen, inspect, report and train is a usage error
// (exit 2) whose message names the flag, in words a person reads (no 1.797693e+308, no
// 18446744073709551615 for -1).
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

TEST(CliUsage, BadFlagValuesExit2NamingTheFlag) {
  TempDir dir;
  const std::string d = dir.path();
  const struct {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
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
