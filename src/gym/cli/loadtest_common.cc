// TLS flags, Ctrl-C and failures of `gym loadtest` (see loadtest_common.h).
#include "gym/cli/loadtest_common.h"

#include <csignal>
#include <iostream>

namespace gym {
namespace {

std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void OnInterrupt(int) { interrupted.store(true); }

}  // namespace

void AddTlsOptions(CLI::App* sub, TlsFlags& tls) {
  sub->add_option("--tls-ca", tls.ca, "PEM root certificates of the server: use TLS")
      ->check(CLI::ExistingFile);
  CLI::Option* cert =
      sub->add_option("--tls-cert", tls.cert,
                      "PEM client certificate chain, for a server that requires one (mutual "
                      "TLS); uses TLS, with --tls-key")
          ->check(CLI::ExistingFile);
  CLI::Option* key = sub->add_option("--tls-key", tls.key, "PEM private key of --tls-cert")
                         ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
}

const std::atomic<bool>* CatchInterrupt() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  return &interrupted;
}

int LoadtestFail(const std::string& cmd, const absl::Status& status) {
  std::cerr << "gym loadtest " << cmd << ": " << status.message() << "\n";
  return 1;
}

int LoadtestUsage(const std::string& cmd, const absl::Status& status) {
  std::cerr << "gym loadtest " << cmd << ": " << status.message() << " (see --help)\n";
  return 2;
}

}  // namespace gym
