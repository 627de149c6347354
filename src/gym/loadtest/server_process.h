// ServerProcess: `gym serve` started by `gym loadtest sweep --spawn-server` on a free loopback
// port, so one command does everything. The child is the same binary (/proc/self/exe); its
// stderr goes to a log file; it is stopped with SIGTERM (it drains and exits 0).
//
//   absl::StatusOr<std::unique_ptr<ServerProcess>> server =
//       ServerProcess::Start("/proc/self/exe", "out/sweep.db", "out/server.log");
//   RunOn((*server)->target());                 // "127.0.0.1:<port>"
//   int64_t peak_kib = (*server)->PeakRssKib();  // VmHWM
//   absl::Status st = (*server)->Stop();
#ifndef GYM_LOADTEST_SERVER_PROCESS_H_
#define GYM_LOADTEST_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gym::loadtest {

class ServerProcess final {
 public:
  // Deletes `db` (and its -wal/-shm files) first so the server starts fresh, then runs
  // `binary serve --listen 127.0.0.1:0 --db <db> <extra_args...>` and waits (up to
  // `ready_timeout`) for its "listening on 127.0.0.1:<port>" line.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::filesystem::path& binary, const std::filesystem::path& db,
      const std::filesystem::path& log, const std::vector<std::string>& extra_args = {},
      std::chrono::seconds ready_timeout = std::chrono::seconds(30));
  // Kills the child if Stop was not called.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& target() const { return target_; }
  pid_t pid() const { return pid_; }
  // The child's peak resident set (VmHWM in /proc/<pid>/status), in KiB; -1 if unreadable.
  int64_t PeakRssKib() const;
  // SIGTERM, then waits up to `timeout` (SIGKILL after it). An error when the server did not
  // exit 0 on its own.
  absl::Status Stop(std::chrono::seconds timeout = std::chrono::seconds(30));

 private:
  ServerProcess(pid_t pid, std::string target) : pid_(pid), target_(std::move(target)) {}

  pid_t pid_;
  std::string target_;
  bool stopped_ = false;
};

// The VmHWM of `pid` in KiB; -1 if it cannot be read.
int64_t ReadPeakRssKib(pid_t pid);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_SERVER_PROCESS_H_
