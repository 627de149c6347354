// The load test's own server (see spawned_server.h).
#include "gym/loadtest/spawned_server.h"

#include <algorithm>
#include <cstdio>

#include "fmt/format.h"

namespace gym::loadtest {

absl::StatusOr<SpawnedServer> SpawnLoadtestServer(const std::filesystem::path& binary,
                                                  const std::filesystem::path& dir,
                                                  const std::string& db_name,
                                                  std::vector<std::string> server_args) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(fmt::format("{}: {}", dir.string(), ec.message()));
  const bool has_model =
      std::any_of(server_args.begin(), server_args.end(),
                  [](const std::string& a) { return a == "--model" || a.starts_with("--model="); });
  if (!has_model) {
    server_args.insert(server_args.begin(), {"--model", (dir / "risk_model.json").string()});
  }
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

}  // namespace gym::loadtest
