// The gym subcommands. Each lives in its own <name>_command.cc and is registered in
// RegisterCommands (commands.cc), the one place that lists them all.
#ifndef GYM_CLI_COMMANDS_H_
#define GYM_CLI_COMMANDS_H_

#include "CLI/CLI.hpp"

namespace gym {

// Registers every subcommand on `app`. A subcommand's callback sets the process exit code
// through the returned reference when it finishes.
void RegisterCommands(CLI::App& app, int& exit_code);

}  // namespace gym

#endif  // GYM_CLI_COMMANDS_H_
