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

// Several `gym serve` replicas on one shared database (`db`: a PostgreSQL connection string,
// used as it is: nothing is deleted), started one after another so that the first trains and
// saves the risk model the others load; stderr of replica i in dir/server_<i>.log. `target`
// is the gRPC address list of them all ("ipv4:127.0.0.1:P1,127.0.0.1:P2,...").
struct SpawnedReplicas {
  std::vector<std::unique_ptr<ServerProcess>> processes;
  std::string target;
};
absl::StatusOr<SpawnedReplicas> SpawnLoadtestReplicas(const std::filesystem::path& binary,
                                                      const std::filesystem::path& dir,
                                                      const std::string& db, int replicas,
                                                      std::vector<std::string> server_args);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_SPAWNED_SERVER_H_
