#include "gym/cli/commands.h"

namespace gym {

// One declaration and one call per subcommand; each is defined in <name>_command.cc.

void RegisterCommands(CLI::App& app, CommandRegistry& registry) {
  (void)app;
  (void)registry;
}

}  // namespace gym
