// The `gym serve` that `gym loadtest run|sweep --spawn-server` start on a free loopback port:
// a fresh database and the risk model in the output directory (unless an extra argument names
// a --model), so a load test never writes outside it.
//
//   absl::StatusOr<SpawnedServer> s = SpawnLoadtestServer("/proc/self/exe", "out", "sweep.db", {});
//   options.target = s->process->target();
//   options.db_path = s->db;
#ifndef GYM_LOADTEST_SPAWNED_SERVER_H_
#define GYM_LOADTEST_SPAWNED_SERVER_H_

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gym/loadtest/server_process.h"

namespace gym::loadtest {

struct SpawnedServer {
  std::unique_ptr<ServerProcess> process;
  std::filesystem::path db;  // dir / db_name
};

// Deletes dir/db_name (ServerProcess::Start), starts the server with its stderr in
// dir/server.log, and says where on stderr.
absl::StatusOr<SpawnedServer> SpawnLoadtestServer(const std::filesystem::path& binary,
                                                  const std::filesystem::path& dir,
                                                  const std::string& db_name,
                                                  std::vector<std::string> server_args);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_SPAWNED_SERVER_H_
