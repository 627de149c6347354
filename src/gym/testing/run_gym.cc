#include "gym/testing/run_gym.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

namespace gym::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CommandResult Run(const std::vector<std::string>& args, const std::string& cwd,
                  std::chrono::milliseconds kill_after, const InterruptWhen* interrupt);

}  // namespace

CommandResult RunGym(const std::vector<std::string>& args, const std::string& cwd,
                     std::chrono::milliseconds kill_after) {
  return Run(args, cwd, kill_after, nullptr);
}

CommandResult RunGymInterrupted(const std::vector<std::string>& args,
                                const InterruptWhen& interrupt,
                                std::chrono::milliseconds kill_after) {
  return Run(args, {}, kill_after, &interrupt);
}

namespace {

CommandResult Run(const std::vector<std::string>& args, const std::string& cwd,
                  std::chrono::milliseconds kill_after, const InterruptWhen* interrupt) {
  const char* binary = std::getenv("GYM_BINARY");
  CommandResult result;
  if (binary == nullptr) {
    result.err = "GYM_BINARY is not set";
    return result;
  }
  // Output goes to files rather than pipes, so a chatty child can never block on a full pipe.
  char out_path[] = "/tmp/gym_run_out_XXXXXX";
  char err_path[] = "/tmp/gym_run_err_XXXXXX";
  int out_fd = mkstemp(out_path);
  int err_fd = mkstemp(err_path);
  std::vector<std::string> argv_storage = {binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    execv(binary, argv.data());
    _exit(127);
  }
  int status = 0;
  if (kill_after.count() > 0) {
    const auto deadline = std::chrono::steady_clock::now() + kill_after;
    std::optional<std::chrono::steady_clock::time_point> interrupt_at;
    bool interrupted = false;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      const auto now = std::chrono::steady_clock::now();
      if (interrupt != nullptr && !interrupt_at &&
          Slurp(err_path).find(interrupt->text) != std::string::npos) {
        interrupt_at = now + interrupt->delay;
      }
      if (interrupt_at && !interrupted && now >= *interrupt_at) {
        kill(pid, interrupt->signal);
        interrupted = true;
      }
      if (now >= deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  } else {
    waitpid(pid, &status, 0);
  }
  close(out_fd);
  close(err_fd);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = Slurp(out_path);
  result.err = Slurp(err_path);
  unlink(out_path);
  unlink(err_path);
  return result;
}

}  // namespace

}  // namespace gym::testing
