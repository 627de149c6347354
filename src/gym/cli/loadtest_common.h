// What the `gym loadtest` subcommands share: TLS flags, Ctrl-C, and how they fail.
//   run, sweep     loadtest_command.cc
//   stats, ping    loadtest_tools_command.cc
#ifndef GYM_CLI_LOADTEST_COMMON_H_
#define GYM_CLI_LOADTEST_COMMON_H_

#include <atomic>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "gym/cli/commands.h"

namespace gym {

// The shell's convention for a process ended by SIGINT (128 + 2).
inline constexpr int kInterruptedExit = 130;

struct TlsFlags {
  std::string ca;
  std::string cert;
  std::string key;
};

// --tls-ca, --tls-cert and --tls-key (the last two only together; every file must exist).
void AddTlsOptions(CLI::App* sub, TlsFlags& tls);

// From now on SIGINT sets the returned flag instead of killing the process, once: a second
// Ctrl-C kills as usual, for a run that does not stop.
const std::atomic<bool>* CatchInterrupt();

// "gym loadtest <cmd>: <message>" on stderr; 1 (a job that ran and failed).
int LoadtestFail(const std::string& cmd, const absl::Status& status);
// The same with " (see --help)"; 2 (a usage error).
int LoadtestUsage(const std::string& cmd, const absl::Status& status);

void RegisterLoadtestStats(CLI::App& loadtest, CommandRegistry& registry);
void RegisterLoadtestPing(CLI::App& loadtest, CommandRegistry& registry);

}  // namespace gym

#endif  // GYM_CLI_LOADTEST_COMMON_H_
