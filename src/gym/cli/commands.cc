#include "gym/cli/commands.h"

namespace gym {

// One line per subcommand: the function defined in that subcommand's file.
void RegisterCommands(CLI::App& app, int& exit_code) {
  (void)app;
  (void)exit_code;
}

}  // namespace gym
