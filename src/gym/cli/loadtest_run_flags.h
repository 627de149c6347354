// The flags `gym loadtest run` and `gym loadtest sweep` share: workload shape, pacing, RPC
// kind, retries, event ids, prefill, TLS; and their checks (loadtest_command.cc uses them).
#ifndef GYM_CLI_LOADTEST_RUN_FLAGS_H_
#define GYM_CLI_LOADTEST_RUN_FLAGS_H_

#include <cstdint>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "gym/cli/loadtest_common.h"
#include "gym/loadtest/simulator.h"

namespace gym {

// Beyond it a client count is a typing mistake, not a load test.
inline constexpr int64_t kMaxLoadtestClients = 100'000;

// The text of the options that need parsing after CLI11 is done.
struct RunFlags {
  loadtest::RunOptions options;
  std::string mode = "paced";
  std::string rpc = "batch";
  std::string deadline = "60s";
  std::string duration;
  std::string backoff_initial = "100ms";
  std::string backoff_max = "1s";
  int64_t prebuild_mib = 256;
  std::string logs = "load_test_logs";
  std::string token_file;
  TlsFlags tls;
  int64_t id_base = -1;
  std::string event_ids = "derived";
  std::string prefill_order = "sorted";
  std::string start = "spread";
};

// Adds the shared options to `sub`; --target and --logs only when `with_target_and_logs`.
void AddRunOptions(CLI::App* sub, RunFlags& f, bool with_target_and_logs);

// Options that CLI11 checked one by one, then checked together: an error is a usage error.
absl::Status FinalizeRunFlags(RunFlags& f);

}  // namespace gym

#endif  // GYM_CLI_LOADTEST_RUN_FLAGS_H_
