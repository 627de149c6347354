// The load test's own server (see spawned_server.h).
#include "gym/loadtest/spawned_server.h"

#include <algorithm>
#include <cstdio>

#include "fmt/format.h"

namespace gym::loadtest {

namespace {

// The server's arguments with a --model in `dir` unless they name one.
std::vector<std::string> WithModel(std::vector<std::string> args, const std::filesystem::path& dir) {
  const bool has_model = std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a == "--model" || a.starts_with("--model=");
  });
  if (!has_model) args.insert(args.begin(), {"--model", (dir / "risk_model.json").string()});
  return args;
}

}  // namespace

absl::StatusOr<SpawnedServer> SpawnLoadtestServer(const std::filesystem::path& binary,
                                                  const std::filesystem::path& dir,
                                                  const std::string& db_name,
                                                  std::vector<std::string> server_args) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(fmt::format("{}: {}", dir.string(), ec.message()));
  server_args = WithModel(std::move(server_args), dir);
  SpawnedServer server;
  server.db = dir / db_name;
  absl::StatusOr<std::unique_ptr<ServerProcess>> started =
      ServerProcess::Start(binary, server.db, dir / "server.log", server_args);
  if (!started.ok()) return started.status();
  server.process = std::move(*started);
  std::fprintf(stderr, "gym serve pid %d on %s, database %s\n",
               static_cast<int>(server.process->pid()), server.process->target().c_str(),
               server.db.c_str());
  return server;
}

absl::StatusOr<SpawnedReplicas> SpawnLoadtestReplicas(const std::filesystem::path& binary,
                                                      const std::filesystem::path& dir,
                                                      const std::string& db, int replicas,
                                                      std::vector<std::string> server_args) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(fmt::format("{}: {}", dir.string(), ec.message()));
  server_args = WithModel(std::move(server_args), dir);
  SpawnedReplicas spawned;
  std::string addresses;
  for (int i = 0; i < replicas; ++i) {
    ServerProcess::LaunchOptions options{
        .binary = binary,
        .args = {"serve", "--listen", "127.0.0.1:0", "--db", db},
        .stderr_log = dir / fmt::format("server_{}.log", i)};
    options.args.insert(options.args.end(), server_args.begin(), server_args.end());
    absl::StatusOr<std::unique_ptr<ServerProcess>> started = ServerProcess::Launch(options);
    if (!started.ok()) {
      return absl::Status(started.status().code(),
                          fmt::format("replica {}: {}", i + 1, std::string(started.status().message())));
    }
    std::fprintf(stderr, "gym serve replica %d of %d: pid %d on %s\n", i + 1, replicas,
                 static_cast<int>((*started)->pid()), (*started)->target().c_str());
    addresses += (addresses.empty() ? "" : ",") + (*started)->target();
    spawned.processes.push_back(*std::move(started));
  }
  spawned.target = "ipv4:" + addresses;
  return spawned;
}

}  // namespace gym::loadtest
