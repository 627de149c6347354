// GymMain: gym's command line, one subcommand per job (serve, loadtest, gen, train, run,
// validate, test, inspect, report).
#include <cstdio>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/synchronization/mutex.h"
#include "gym/cli/commands.h"
#include "gym/cli/logging.h"

#ifndef GYM_VERSION
#define GYM_VERSION "unknown"
#endif

namespace gym {

int GymMain(int argc, char** argv, const PartRegistry& parts) {
  // Debian builds Abseil without NDEBUG, so every absl::Mutex lock (gRPC takes many per call)
  // would also update a global lock-order graph: 1-2% of the server's CPU under load.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{
      "gym: a streaming ETL framework for bank events (clients, transactions, credit scores)\n"
      "with a gRPC ingestion server that answers only after the data is committed."};
  app.set_version_flag("--version", std::string("gym ") + GYM_VERSION);
  std::string log_level = "info";
  bool log_json = false;
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->capture_default_str();
  app.add_flag("--log-json", log_json, "log one JSON object per line instead of plain text");
  app.require_subcommand(1);
  app.fallthrough();

  CommandRegistry registry(parts);
  RegisterCommands(app, registry);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message and has a code of its own per kind of mistake (105, 106, ...);
    // every usage error exits 2, so scripts can tell it from a job that ran and failed (1).
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (absl::Status st = ConfigureLogging(log_level, log_json); !st.ok()) {
    std::fprintf(stderr, "gym: %s\n", std::string(st.message()).c_str());
    return 2;
  }
  return registry.RunParsed();
}

}  // namespace gym
