// The gym subcommands. Each lives in its own <name>_command.cc, defines
// `void Register<Name>Command(CLI::App& app, CommandRegistry& registry)`, and is registered
// in RegisterCommands (commands.cc), the one place that lists them all.
#ifndef GYM_CLI_COMMANDS_H_
#define GYM_CLI_COMMANDS_H_

#include <functional>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "gym/pipeline/part_registry.h"

namespace gym {

// What to run for each subcommand once the command line has been parsed and logging is set
// up. A runner returns the process exit code.
class CommandRegistry final {
 public:
  // `parts`: what pipeline files may name (the built-ins, plus a user program's own); it must
  // outlive the registry.
  explicit CommandRegistry(const PartRegistry& parts) : parts_(parts) {}
  const PartRegistry& parts() const { return parts_; }

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
  const PartRegistry& parts_;
  std::vector<std::pair<CLI::App*, std::function<int()>>> entries_;
};

void RegisterCommands(CLI::App& app, CommandRegistry& registry);

// The whole command line of gym with `parts` as what pipeline files may name: what the gym
// binary runs with the built-in parts, and what a user program runs with its own added
// (examples/custom_handler.cc). Returns the process exit code.
int GymMain(int argc, char** argv, const PartRegistry& parts);

}  // namespace gym

#endif  // GYM_CLI_COMMANDS_H_
