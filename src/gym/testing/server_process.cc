// Running the real server binary in tests (see server_process.h).
#include "gym/testing/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <thread>

#include "absl/status/status.h"

extern char** environ;

namespace gym::testing {
namespace {

constexpr std::string_view kListening = "listening on ";

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    std::vector<std::string> args, std::chrono::milliseconds startup_timeout,
    std::string binary) {
  if (binary.empty()) {
    const char* env = std::getenv("GYM_BINARY");
    if (env == nullptr || *env == '\0') {
      return absl::FailedPreconditionError("GYM_BINARY is not set: cannot start the server");
    }
    binary = env;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> argv;
  argv.push_back(binary.data());
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return absl::UnavailableError("cannot run " + binary);
  }
  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, fds[0]));
  if (absl::Status s = server->AwaitListening(startup_timeout); !s.ok()) return s;
  return server;
}

absl::Status ServerProcess::AwaitListening(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string seen;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{stdout_fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(1, left.count()))) <= 0) continue;
    char buf[512];
    const ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n <= 0) break;  // the server closed stdout: it has exited
    seen.append(buf, static_cast<size_t>(n));
    const size_t at = seen.find(kListening);
    const size_t eol = at == std::string::npos ? at : seen.find('\n', at);
    if (eol != std::string::npos) {
      address_ = seen.substr(at + kListening.size(), eol - at - kListening.size());
      port_ = std::atoi(address_.substr(address_.rfind(':') + 1).c_str());
      return absl::OkStatus();
    }
  }
  Signal(SIGKILL);
  (void)Wait(std::chrono::seconds(10));
  return absl::UnavailableError("server did not print 'listening on' (stdout so far: '" + seen +
                                "'; exit code " +
                                (exit_code_ ? std::to_string(*exit_code_) : "none") + ")");
}

ServerProcess::~ServerProcess() {
  if (!exit_code_) {
    Signal(SIGKILL);
    (void)Wait(std::chrono::seconds(10));
  }
  close(stdout_fd_);
}

bool ServerProcess::Signal(int signal) {
  if (exit_code_) return false;
  return kill(pid_, signal) == 0;
}

absl::StatusOr<int> ServerProcess::Wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return *exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = DecodeWaitStatus(status);
      return *exit_code_;
    }
    if (r < 0) return absl::InternalError("waitpid failed for the server");
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError("server still running after the timeout");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

absl::StatusOr<int> ServerProcess::Stop(std::chrono::milliseconds timeout) {
  Signal(SIGTERM);
  return Wait(timeout);
}

std::vector<std::string> ServeArgs(const std::string& dir, std::vector<std::string> extra) {
  std::vector<std::string> args = {"--log-level", "warn",         "serve",
                                   "--listen",    "127.0.0.1:0",  "--db",
                                   dir + "/gym.db", "--model",    dir + "/risk_model.json",
                                   "--train-rows", "2000"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                        "/gym-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace gym::testing
