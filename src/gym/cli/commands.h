// The gym subcommands. Each lives in its own <name>_command.cc, defines
// `void Register<Name>Command(CLI::App& app, CommandRegistry& registry)`, and is registered
// in RegisterCommands (commands.cc), the one place that lists them all.
#ifndef GYM_CLI_COMMANDS_H_
#define GYM_CLI_COMMANDS_H_

#include <functional>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"

namespace gym {

// What to run for each subcommand once the command line has been parsed and logging is set
// up. A runner returns the process exit code.
class CommandRegistry final {
 public:
  void Add(CLI::App* subcommand, std::function<int()> run) {
    entries_.emplace_back(subcommand, std::move(run));
  }
  // Runs the runner of the subcommand that was parsed; 2 when none was.
  int RunParsed() const {
    for (const auto& [sub, run] : entries_) {
      if (sub->parsed()) return run();
    }
    return 2;
  }

 private:
  std::vector<std::pair<CLI::App*, std::function<int()>>> entries_;
};

void RegisterCommands(CLI::App& app, CommandRegistry& registry);

}  // namespace gym

#endif  // GYM_CLI_COMMANDS_H_
