// ServerProcess: runs the real `gym serve` binary for end-to-end tests and load tests.
//
// Starts $GYM_BINARY with the given arguments, waits for the line `listening on <addr>` on its
// stdout (so the tests use an ephemeral port chosen by the server), and always stops it:
// Stop() sends SIGTERM and waits for the exit code; the destructor kills what is still running.
//
//   auto server = ServerProcess::Start({"serve", "--listen", "127.0.0.1:0", "--db", db});
//   auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
//   ...
//   EXPECT_EQ(*(*server)->Stop(), 0);
#ifndef GYM_TESTING_SERVER_PROCESS_H_
#define GYM_TESTING_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gym::testing {

class ServerProcess final {
 public:
  // Runs `binary` (empty: $GYM_BINARY) with `args`. FAILED_PRECONDITION when no binary is
  // known; UNAVAILABLE when it exits or stays silent past `startup_timeout` (it is killed).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      std::vector<std::string> args,
      std::chrono::milliseconds startup_timeout = std::chrono::seconds(60),
      std::string binary = {});

  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // "127.0.0.1:<port>", as the server printed it.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends `signal` to the server; false when it has already been reaped.
  bool Signal(int signal);
  // Waits for the exit. The exit code, or 128 + signal number when killed by a signal;
  // DEADLINE_EXCEEDED when still running after `timeout`.
  absl::StatusOr<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, then Wait(timeout).
  absl::StatusOr<int> Stop(std::chrono::milliseconds timeout = std::chrono::seconds(60));

 private:
  ServerProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  absl::Status AwaitListening(std::chrono::milliseconds timeout);

  pid_t pid_;
  int stdout_fd_;
  std::optional<int> exit_code_;
  std::string address_;
  int port_ = 0;
};

// Arguments for `gym serve` on an ephemeral loopback port with the database and a quickly
// trained model in `dir`, warnings-only logging, then `extra`.
std::vector<std::string> ServeArgs(const std::string& dir, std::vector<std::string> extra = {});

// A fresh directory under $TMPDIR (or /tmp), removed with its content on destruction.
class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace gym::testing

#endif  // GYM_TESTING_SERVER_PROCESS_H_
