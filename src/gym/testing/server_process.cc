// Running the real server binary in tests (see server_process.h).
#include "gym/testing/server_process.h"

#include <cstdlib>
#include <filesystem>

#include "absl/status/status.h"

namespace gym::testing {

absl::StatusOr<std::unique_ptr<ServerProcess>> StartServer(
    std::vector<std::string> args, std::chrono::milliseconds startup_timeout) {
  const char* binary = std::getenv("GYM_BINARY");
  if (binary == nullptr || *binary == '\0') {
    return absl::FailedPreconditionError("GYM_BINARY is not set: cannot start the server");
  }
  return ServerProcess::Launch(ServerProcess::LaunchOptions{
      .binary = binary, .args = std::move(args), .ready_timeout = startup_timeout});
}

std::vector<std::string> ServeArgs(const std::string& dir, std::vector<std::string> extra) {
  return ServeArgsOn(dir, dir + "/gym.db", std::move(extra));
}

std::vector<std::string> ServeArgsOn(const std::string& dir, const std::string& db,
                                     std::vector<std::string> extra) {
  std::vector<std::string> args = {"--log-level", "warn",        "serve",
                                   "--listen",    "127.0.0.1:0", "--db",
                                   db,            "--model",     dir + "/risk_model.json",
                                   "--train-rows", "2000"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/gym-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool MakeSelfSignedCertificate(const TempDir& dir, TestCertificate* out) {
  out->cert = dir.File("cert.pem");
  out->key = dir.File("key.pem");
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      out->key + " -out " + out->cert + " 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

}  // namespace gym::testing
