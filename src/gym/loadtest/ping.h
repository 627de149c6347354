// `gym loadtest ping`: the transport's own round trip, to set beside a batch's. Each simulated
// client (its own connection, as in `run`) sends gRPC health checks, one at a time, with the
// same pauses as the seed's workload. A health check does no parsing, validation or commit, so
// its round trip is what gRPC, the network stack and the machine cost before the server does
// any work; `run`'s round trip minus this one is the server's share.
//
//   PingOptions options;
//   options.target = "127.0.0.1:50051";
//   options.clients = 20;
//   absl::StatusOr<PingResult> result = RunPing(options);
//   std::cout << FormatPingSummary(*result);
#ifndef GYM_LOADTEST_PING_H_
#define GYM_LOADTEST_PING_H_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "gym/loadtest/latency_stats.h"

namespace gym::loadtest {

struct PingOptions {
  std::string target = "127.0.0.1:50051";
  int clients = 1;
  int count = 100;  // health checks per client
  double pause_min_seconds = 0.1;
  double pause_max_seconds = 0.5;
  bool spread_start = true;  // each client's first check waits one pause too (as `run`'s)
  std::chrono::nanoseconds deadline = std::chrono::seconds(5);
  std::string service;  // "" asks for the server as a whole
  uint64_t seed = 42;   // of the pauses
  std::filesystem::path tls_ca;
  std::filesystem::path tls_cert;  // with tls_key: a client certificate (mutual TLS)
  std::filesystem::path tls_key;
  std::filesystem::path auth_token_file;
};

struct PingResult {
  int64_t sent = 0;
  int64_t serving = 0;      // answered SERVING
  int64_t not_serving = 0;  // answered, with another status (e.g. NOT_SERVING while draining)
  int64_t rpc_errors = 0;
  std::map<int, int64_t> errors_by_code;
  LatencySummary latency;  // of every answered check, SERVING or not
  double wall_seconds = 0;
};

// INVALID_ARGUMENT for bad options (naming the flag); an unreadable --tls-ca or
// --auth-token-file fails before any call. RPC errors are counted, never fatal.
absl::Status ValidatePingOptions(const PingOptions& options);
absl::StatusOr<PingResult> RunPing(const PingOptions& options);

std::string FormatPingSummary(const PingResult& result);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_PING_H_
