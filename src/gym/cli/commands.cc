#include "gym/cli/commands.h"

namespace gym {

// One declaration and one call per subcommand; each is defined in <name>_command.cc.
void RegisterLoadtestCommand(CLI::App& app, CommandRegistry& registry);
void RegisterGenCommand(CLI::App& app, CommandRegistry& registry);
void RegisterInspectCommand(CLI::App& app, CommandRegistry& registry);
void RegisterTrainCommand(CLI::App& app, CommandRegistry& registry);
void RegisterServeCommand(CLI::App& app, CommandRegistry& registry);
void RegisterReportCommand(CLI::App& app, CommandRegistry& registry);
void RegisterRunCommand(CLI::App& app, CommandRegistry& registry);
void RegisterValidateCommand(CLI::App& app, CommandRegistry& registry);
void RegisterTestCommand(CLI::App& app, CommandRegistry& registry);

void RegisterCommands(CLI::App& app, CommandRegistry& registry) {
  RegisterLoadtestCommand(app, registry);
  RegisterGenCommand(app, registry);
  RegisterInspectCommand(app, registry);
  RegisterTrainCommand(app, registry);
  RegisterServeCommand(app, registry);
  RegisterReportCommand(app, registry);
  RegisterRunCommand(app, registry);
  RegisterValidateCommand(app, registry);
  RegisterTestCommand(app, registry);
  (void)app;
  (void)registry;
}

}  // namespace gym
