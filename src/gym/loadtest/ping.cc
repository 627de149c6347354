// Health-check round trips with the seed's pauses (see ping.h).
#include "gym/loadtest/ping.h"

#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "fmt/format.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "gym/loadtest/internal/channel_setup.h"
#include "gym/loadtest/log_line.h"

namespace gym::loadtest {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";
constexpr uint64_t kServing = 1;  // grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING

// HealthCheckRequest { string service = 1; }, encoded by hand: the loadtest library carries no
// health proto, and the message is one optional field.
grpc::ByteBuffer HealthCheckRequest(const std::string& service) {
  std::string bytes;
  if (!service.empty()) {
    bytes.push_back(0x0a);  // field 1, length-delimited
    for (size_t n = service.size();; n >>= 7) {
      bytes.push_back(static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
      if (n < 0x80) break;
    }
    bytes += service;
  }
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// HealthCheckResponse { ServingStatus status = 1; }: the status, or -1 if unreadable.
int64_t ServingStatus(const grpc::ByteBuffer& response) {
  grpc::Slice slice;
  if (!response.DumpToSingleSlice(&slice).ok()) return -1;
  const uint8_t* p = slice.begin();
  const uint8_t* end = slice.end();
  uint64_t status = 0;  // proto3: an absent field is UNKNOWN (0)
  while (p < end) {
    const uint8_t tag = *p++;
    if (tag != 0x08) return -1;  // only field 1 (varint) is expected
    status = 0;
    for (int shift = 0;; shift += 7) {
      if (p == end || shift > 63) return -1;
      const uint8_t byte = *p++;
      status |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) break;
    }
  }
  return static_cast<int64_t>(status);
}

struct Tally {
  std::mutex mu;
  PingResult result;
  std::vector<double> round_trips;
};

void PingLoop(const PingOptions& o, const std::shared_ptr<grpc::Channel>& channel,
              const std::string& authorization, int index, Tally& tally) {
  grpc::GenericStub stub(channel);
  std::mt19937_64 rng(o.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(index));
  std::uniform_real_distribution<double> pause(o.pause_min_seconds, o.pause_max_seconds);
  const grpc::ByteBuffer request = HealthCheckRequest(o.service);
  if (o.spread_start && o.pause_max_seconds > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(pause(rng)));
  }
  for (int i = 0; i < o.count; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + o.deadline);
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    std::future<grpc::Status> answer = done.get_future();
    Clock::time_point answered;
    const Clock::time_point start = Clock::now();
    // Ends when the answer arrives, as a batch's round trip does in `run`.
    stub.UnaryCall(&context, kHealthCheck, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) {
                     answered = Clock::now();
                     done.set_value(std::move(status));
                   });
    const grpc::Status status = answer.get();
    {
      std::lock_guard<std::mutex> lock(tally.mu);
      ++tally.result.sent;
      if (!status.ok()) {
        ++tally.result.rpc_errors;
        ++tally.result.errors_by_code[status.error_code()];
      } else {
        tally.round_trips.push_back(std::chrono::duration<double>(answered - start).count());
        ++(ServingStatus(response) == static_cast<int64_t>(kServing) ? tally.result.serving
                                                                     : tally.result.not_serving);
      }
    }
    if (i + 1 < o.count && o.pause_max_seconds > 0) {
      std::this_thread::sleep_for(std::chrono::duration<double>(pause(rng)));
    }
  }
}

}  // namespace

absl::Status ValidatePingOptions(const PingOptions& o) {
  if (o.target.empty()) return absl::InvalidArgumentError("--target: empty");
  if (o.clients < 1) return absl::InvalidArgumentError("--clients: want at least 1");
  if (o.count < 1) return absl::InvalidArgumentError("--count: want at least 1");
  if (o.pause_min_seconds < 0) return absl::InvalidArgumentError("--pause-min must be >= 0");
  if (o.pause_max_seconds < o.pause_min_seconds) {
    return absl::InvalidArgumentError(fmt::format("--pause-min {} is above --pause-max {}",
                                                  o.pause_min_seconds, o.pause_max_seconds));
  }
  if (o.deadline <= std::chrono::nanoseconds::zero()) {
    return absl::InvalidArgumentError("--deadline: want a positive duration");
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together: give both or neither");
  }
  return absl::OkStatus();
}

absl::StatusOr<PingResult> RunPing(const PingOptions& o) {
  if (absl::Status s = ValidatePingOptions(o); !s.ok()) return s;
  absl::StatusOr<internal::ClientCredentials> creds =
      internal::ClientCredentialsFor({o.tls_ca, o.tls_cert, o.tls_key}, o.auth_token_file);
  if (!creds.ok()) return creds.status();
  const std::vector<std::shared_ptr<grpc::Channel>> channels =
      internal::ConnectOwnChannels(o.target, o.clients, creds->channel, o.deadline);

  Tally tally;
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back(
        [&, i] { PingLoop(o, channels[static_cast<size_t>(i)], creds->authorization, i, tally); });
  }
  for (std::thread& t : threads) t.join();
  PingResult result = std::move(tally.result);
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.latency = Summarize(tally.round_trips);
  return result;
}

std::string FormatPingSummary(const PingResult& r) {
  std::string out = fmt::format(
      "ping: {} health checks in {:.3f} s: {} SERVING, {} other status, {} RPC errors\n", r.sent,
      r.wall_seconds, r.serving, r.not_serving, r.rpc_errors);
  out += "round-trip (ms): " + FormatLatencyMs(r.latency) + "\n";
  for (auto [code, n] : r.errors_by_code) {
    out += fmt::format("errors {}({}): {}\n", StatusCodeName(code), code, n);
  }
  return out;
}

}  // namespace gym::loadtest
