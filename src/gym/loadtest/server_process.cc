// Start, watch and stop a child `gym serve` (see server_process.h).
#include "gym/loadtest/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <thread>

#include "fmt/format.h"

namespace gym::loadtest {
namespace fs = std::filesystem;
namespace {

using SteadyClock = std::chrono::steady_clock;

// Reads the child's stdout until the ready line; the rest of its stdout is drained by a
// detached thread so the child never blocks on a full pipe.
absl::StatusOr<std::string> AwaitListening(int fd, std::chrono::seconds timeout) {
  static const std::regex kReady(R"(listening on (127\.0\.0\.1:\d+))");
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
    if (n <= 0) return absl::UnavailableError("gym serve exited before it was listening");
    seen.append(buf, static_cast<size_t>(n));
    std::smatch m;
    if (std::regex_search(seen, m, kReady)) return m[1].str();
  }
  return absl::DeadlineExceededError(
      fmt::format("gym serve printed no 'listening on' line within {} s", timeout.count()));
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

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const fs::path& binary, const fs::path& db, const fs::path& log,
    const std::vector<std::string>& extra_args, std::chrono::seconds ready_timeout) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(db.string() + suffix, ec);
  }
  std::vector<std::string> args = {binary.string(), "serve", "--listen",
                                   "127.0.0.1:0",   "--db",  db.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return absl::InternalError(fmt::format("{}: {}", log.string(), std::strerror(errno)));
  }
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(log_fd);
    return absl::InternalError(fmt::format("pipe: {}", std::strerror(errno)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    return absl::InternalError(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The server dies with the sweep.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(log_fd);
  auto server = std::unique_ptr<ServerProcess>(new ServerProcess(pid, ""));
  absl::StatusOr<std::string> target = AwaitListening(out[0], ready_timeout);
  if (!target.ok()) {
    ::close(out[0]);
    return absl::Status(
        target.status().code(),
        fmt::format("{} (see {})", std::string(target.status().message()), log.string()));
  }
  server->target_ = *target;
  std::thread([fd = out[0]] {
    char buf[512];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
    ::close(fd);
  }).detach();
  return server;
}

ServerProcess::~ServerProcess() {
  if (!stopped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

int64_t ServerProcess::PeakRssKib() const { return ReadPeakRssKib(pid_); }

absl::Status ServerProcess::Stop(std::chrono::seconds timeout) {
  if (stopped_) return absl::OkStatus();
  stopped_ = true;
  ::kill(pid_, SIGTERM);
  const auto limit = SteadyClock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0) return absl::InternalError(fmt::format("waitpid: {}", std::strerror(errno)));
    if (SteadyClock::now() >= limit) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      return absl::DeadlineExceededError(
          fmt::format("gym serve did not exit within {} s of SIGTERM; killed", timeout.count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(WIFEXITED(status)
                                 ? fmt::format("gym serve exited with code {}", WEXITSTATUS(status))
                                 : fmt::format("gym serve died of signal {}", WTERMSIG(status)));
}

}  // namespace gym::loadtest
