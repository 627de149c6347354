// ServerProcess: a child `gym serve` on a free loopback port, found from its
// "listening on 127.0.0.1:<port>" line. `gym loadtest sweep --spawn-server` uses it so one
// command does everything, and the end-to-end tests use it to run the real binary. The child
// dies with its parent (PR_SET_PDEATHSIG); the destructor kills what is still running.
//
//   absl::StatusOr<std::unique_ptr<ServerProcess>> server =
//       ServerProcess::Start("/proc/self/exe", "out/sweep.db", "out/server.log");
//   RunOn((*server)->target());                 // "127.0.0.1:<port>"
//   int64_t peak_kib = (*server)->PeakRssKib();  // VmHWM
//   absl::StatusOr<int> exit_code = (*server)->Stop();  // SIGTERM: it drains and exits 0
//
// Deliberately free of the generated protocol code, so tests built on either proto (ours or
// the seed's) can link it.
#ifndef GYM_LOADTEST_SERVER_PROCESS_H_
#define GYM_LOADTEST_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gym::loadtest {

class ServerProcess final {
 public:
  struct LaunchOptions {
    std::filesystem::path binary;  // the gym binary
    std::vector<std::string> args;  // after the binary, e.g. {"serve", "--listen", ...}
    std::filesystem::path stderr_log;  // empty: the child keeps this process's stderr
    std::chrono::milliseconds ready_timeout = std::chrono::seconds(30);
  };
  // Runs the binary and waits for its "listening on" line. UNAVAILABLE when it exits first,
  // DEADLINE_EXCEEDED when it stays silent past the timeout (it is killed either way).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Launch(LaunchOptions options);

  // The sweep's server: deletes `db` (and its -wal/-shm files) so it starts fresh, then
  // launches `binary serve --listen 127.0.0.1:0 --db <db> <extra_args...>`, stderr to `log`.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::filesystem::path& binary, const std::filesystem::path& db,
      const std::filesystem::path& log, const std::vector<std::string>& extra_args = {},
      std::chrono::seconds ready_timeout = std::chrono::seconds(30));

  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // "127.0.0.1:<port>", as the server printed it.
  const std::string& target() const { return target_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // The child's peak resident set (VmHWM in /proc/<pid>/status), in KiB; -1 if unreadable.
  int64_t PeakRssKib() const;

  // Sends `signal`; false when the child has already been reaped.
  bool Signal(int signal);
  // Waits for the exit: the exit code, or 128 + the signal number when killed by a signal.
  // DEADLINE_EXCEEDED when still running after `timeout`.
  absl::StatusOr<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, then Wait(timeout); a child still running after it is killed and the result is
  // DEADLINE_EXCEEDED.
  absl::StatusOr<int> Stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  explicit ServerProcess(pid_t pid) : pid_(pid) {}

  pid_t pid_;
  std::string target_;
  int port_ = 0;
  std::optional<int> exit_code_;
};

// The VmHWM of `pid` in KiB; -1 if it cannot be read.
int64_t ReadPeakRssKib(pid_t pid);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_SERVER_PROCESS_H_
