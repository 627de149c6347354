// RunGym: runs the real gym binary ($GYM_BINARY) to completion and captures its output, for
// end-to-end tests of the batch subcommands (gen, run, inspect, train, report).
//
//   CommandResult r = RunGym({"run", "--once", "--data", dir});
//   EXPECT_EQ(r.exit_code, 0) << r.err;
#ifndef GYM_TESTING_RUN_GYM_H_
#define GYM_TESTING_RUN_GYM_H_

#include <chrono>
#include <string>
#include <vector>

namespace gym::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs $GYM_BINARY with `args` (no shell: arguments are passed as they are), in `cwd` when
// given. Blocks until it exits or, when `kill_after` is positive, until that much time has
// passed: then it is killed (exit_code 128 + SIGKILL), so a test of "it ends" fails instead of
// hanging.
CommandResult RunGym(const std::vector<std::string>& args, const std::string& cwd = {},
                     std::chrono::milliseconds kill_after = std::chrono::milliseconds(0));

// A Ctrl-C at a chosen moment: once the child's stderr contains `text`, wait `delay`, then send
// it SIGINT (or `signal`: SIGKILL for a crash at that moment).
struct InterruptWhen {
  std::string text;
  std::chrono::milliseconds delay{0};
  int signal = 2;  // SIGINT
};

// RunGym with a SIGINT sent as `interrupt` says. REQUIRES: kill_after > 0 (a child that never
// prints `text`, or ignores SIGINT, must not hang the test).
CommandResult RunGymInterrupted(const std::vector<std::string>& args,
                                const InterruptWhen& interrupt,
                                std::chrono::milliseconds kill_after);

}  // namespace gym::testing

#endif  // GYM_TESTING_RUN_GYM_H_
