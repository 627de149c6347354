// Start, watch and stop a child `gym serve` (see server_process.h).
#include "gym/loadtest/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <thread>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace gym::loadtest {
namespace fs = std::filesystem;
namespace {

using SteadyClock = std::chrono::steady_clock;

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reads the child's stdout until the ready line and returns the address in it.
absl::StatusOr<std::string> AwaitListening(int fd, std::chrono::milliseconds timeout) {
  static const std::regex kReady(R"(listening on (\S+))");
  const auto limit = SteadyClock::now() + timeout;
  std::string seen;
  while (SteadyClock::now() < limit) {
    pollfd p{fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(limit - SteadyClock::now());
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 1)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      return absl::UnavailableError(
          fmt::format("gym serve exited before it was listening (stdout: '{}')", seen));
    }
    seen.append(buf, static_cast<size_t>(n));
    std::smatch m;
    if (std::regex_search(seen, m, kReady)) return m[1].str();
  }
  return absl::DeadlineExceededError(
      fmt::format("gym serve printed no 'listening on' line within {} ms (stdout: '{}')",
                  timeout.count(), seen));
}

}  // namespace

int64_t ReadPeakRssKib(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Launch(LaunchOptions options) {
  std::vector<std::string> args = {options.binary.string()};
  args.insert(args.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int log_fd = -1;
  if (!options.stderr_log.empty()) {
    log_fd = ::open(options.stderr_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      return absl::InternalError(
          fmt::format("{}: {}", options.stderr_log.string(), std::strerror(errno)));
    }
  }
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    if (log_fd >= 0) ::close(log_fd);
    return absl::InternalError(fmt::format("pipe: {}", std::strerror(errno)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    if (log_fd >= 0) ::close(log_fd);
    ::close(out[0]);
    ::close(out[1]);
    return absl::InternalError(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The server dies with its parent.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out[1], STDOUT_FILENO);
    if (log_fd >= 0) ::dup2(log_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  if (log_fd >= 0) ::close(log_fd);
  auto server = std::unique_ptr<ServerProcess>(new ServerProcess(pid));
  absl::StatusOr<std::string> target = AwaitListening(out[0], options.ready_timeout);
  if (!target.ok()) {
    ::close(out[0]);
    server->Signal(SIGKILL);
    (void)server->Wait(std::chrono::seconds(10));
    std::string where = options.stderr_log.empty()
                            ? std::string()
                            : fmt::format(" (see {})", options.stderr_log.string());
    return absl::Status(target.status().code(),
                        fmt::format("{}: {}{}", options.binary.string(),
                                    std::string(target.status().message()), where));
  }
  server->target_ = *target;
  server->port_ = std::atoi(target->substr(target->rfind(':') + 1).c_str());
  // The rest of the child's stdout is drained, so it never blocks on a full pipe.
  std::thread([fd = out[0]] {
    char buf[512];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
    ::close(fd);
  }).detach();
  return server;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const fs::path& binary, const fs::path& db, const fs::path& log,
    const std::vector<std::string>& extra_args, std::chrono::seconds ready_timeout) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(db.string() + suffix, ec);
  }
  LaunchOptions options{.binary = binary,
                        .args = {"serve", "--listen", "127.0.0.1:0", "--db", db.string()},
                        .stderr_log = log,
                        .ready_timeout = ready_timeout};
  options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
  return Launch(std::move(options));
}

ServerProcess::~ServerProcess() {
  if (!exit_code_) {
    Signal(SIGKILL);
    (void)Wait(std::chrono::seconds(10));
  }
}

int64_t ServerProcess::PeakRssKib() const { return ReadPeakRssKib(pid_); }

bool ServerProcess::Signal(int signal) {
  if (exit_code_) return false;
  return ::kill(pid_, signal) == 0;
}

absl::StatusOr<int> ServerProcess::Wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return *exit_code_;
  const auto limit = SteadyClock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = DecodeWaitStatus(status);
      return *exit_code_;
    }
    if (r < 0) return absl::InternalError(fmt::format("waitpid: {}", std::strerror(errno)));
    if (SteadyClock::now() >= limit) {
      return absl::DeadlineExceededError(
          fmt::format("gym serve (pid {}) still running after {} ms", pid_, timeout.count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

absl::StatusOr<int> ServerProcess::Stop(std::chrono::milliseconds timeout) {
  Signal(SIGTERM);
  absl::StatusOr<int> code = Wait(timeout);
  if (absl::IsDeadlineExceeded(code.status())) {
    Signal(SIGKILL);
    (void)Wait(std::chrono::seconds(10));
    return absl::DeadlineExceededError(fmt::format(
        "gym serve did not exit within {} ms of SIGTERM; killed", timeout.count()));
  }
  return code;
}

}  // namespace gym::loadtest
