// The client simulator's driver: prepare, connect, send in the chosen mode, check delivery.
#include "gym/loadtest/simulator.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "fmt/format.h"
#include "grpcpp/security/credentials.h"
#include "gym/loadtest/internal/channel_setup.h"
#include "gym/loadtest/internal/run_control.h"
#include "gym/loadtest/rps_schedule.h"

namespace gym::loadtest {
namespace fs = std::filesystem;
namespace {

// Removes client_output_*.log left by an earlier run, so stats never mix two runs.
absl::Status PrepareLogsDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::InternalError(fmt::format("--logs {}: {}", dir.string(), ec.message()));
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("client_output_") && name.ends_with(".log")) fs::remove(e.path(), ec);
  }
  return absl::OkStatus();
}

std::vector<std::vector<PreparedBatch>> PrepareAll(const RunOptions& o, const WorkloadShape& shape,
                                                   const IdLayout& ids, const std::string& run_id) {
  const MockGenerator generator(o.seed, Today());
  std::vector<std::vector<PreparedBatch>> all(static_cast<size_t>(o.clients));
  std::atomic<int> next{0};
  auto work = [&] {
    for (int i = next++; i < o.clients; i = next++) {
      all[static_cast<size_t>(i)] =
          PrepareClientRequests(generator, PlanClientWorkload(shape, ids, i), i, run_id, o.rpc);
    }
  };
  const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  return all;
}

int64_t UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

absl::Status ValidateRunOptions(const RunOptions& o) {
  if (o.clients < 1) return absl::InvalidArgumentError("--clients must be >= 1");
  if (!(o.scale > 0)) return absl::InvalidArgumentError("--scale must be > 0");
  if (o.pause_min_seconds < 0 || o.pause_max_seconds < o.pause_min_seconds) {
    return absl::InvalidArgumentError("--pause-min/--pause-max: need 0 <= min <= max");
  }
  if (o.rps < 0) return absl::InvalidArgumentError("--rps must be >= 0");
  if (o.deadline <= std::chrono::nanoseconds::zero()) {
    return absl::InvalidArgumentError("--deadline must be > 0");
  }
  if (o.duration && *o.duration <= std::chrono::nanoseconds::zero()) {
    return absl::InvalidArgumentError("--duration must be > 0");
  }
  return o.shape.Scaled(o.scale).Validate();
}

double RunResult::BatchesPerSecond() const {
  return wall_seconds > 0 ? static_cast<double>(batches_answered) / wall_seconds : 0;
}

double RunResult::EventsPerSecond() const {
  return wall_seconds > 0 ? static_cast<double>(delivery.acked) / wall_seconds : 0;
}

absl::StatusOr<RunResult> RunLoadTest(const RunOptions& o) {
  if (absl::Status s = ValidateRunOptions(o); !s.ok()) return s;
  absl::StatusOr<internal::ClientCredentials> creds =
      internal::ClientCredentialsFor(o.tls_ca, o.auth_token_file);
  if (!creds.ok()) return creds.status();
  if (absl::Status s = PrepareLogsDir(o.logs_dir); !s.ok()) return s;

  RunResult result;
  result.clients = o.clients;
  // Batch ids (and so the server's event ids) derive from the run id: two runs must differ.
  const int64_t now_ms = UnixMillis();
  result.run_id = o.run_id.empty() ? fmt::format("r{}", now_ms) : o.run_id;
  const WorkloadShape shape = o.shape.Scaled(o.scale);
  result.ids = IdLayout::For(shape, o.id_base.value_or(now_ms));

  if (o.progress) {
    std::fprintf(stderr, "run %s: preparing %lld batches for %d clients\n", result.run_id.c_str(),
                 static_cast<long long>(shape.BatchesPerSimulatedClient() * o.clients), o.clients);
  }
  std::vector<std::vector<PreparedBatch>> prepared =
      PrepareAll(o, shape, result.ids, result.run_id);
  SessionConfig config;
  config.rpc = o.rpc;
  config.deadline = o.deadline;
  config.authorization = creds->authorization;

  // One connection per simulated client, plus the last for the delivery check's GetStats.
  std::vector<std::shared_ptr<grpc::Channel>> channels =
      internal::ConnectOwnChannels(o.target, o.clients + 1, creds->channel, o.deadline);
  const std::shared_ptr<grpc::Channel> stats_channel = channels.back();
  channels.pop_back();

  RunControl control(o);
  std::vector<std::unique_ptr<ClientSession>> sessions;
  for (int i = 0; i < o.clients; ++i) {
    const fs::path log_path = o.logs_dir / fmt::format("client_output_{}_of_{}.log", i, o.clients);
    std::FILE* log = std::fopen(log_path.c_str(), "w");
    if (log == nullptr) {
      return absl::InternalError(fmt::format("{}: cannot create", log_path.string()));
    }
    const auto slot = static_cast<size_t>(i);
    result.batches_planned += static_cast<int64_t>(prepared[slot].size());
    sessions.push_back(
        std::make_unique<ClientSession>(i, channels[slot], std::move(prepared[slot]), config, log,
                                        [&control](ClientSession& s) { control.OnBatchDone(s); }));
  }
  const auto stats_timeout = std::chrono::seconds(10);
  absl::StatusOr<CommittedCounts> before =
      FetchCommittedCounts(stats_channel, config.authorization, stats_timeout);

  control.Run(sessions);
  result.wall_seconds = control.wall_seconds();

  std::vector<double> round_trips;
  for (auto& session : sessions) {
    session->Shutdown();
    SessionTotals totals = session->TakeTotals();
    for (size_t t = 0; t < totals.by_type.size(); ++t) {
      result.by_type[t].batches += totals.by_type[t].batches;
      result.by_type[t].sent += totals.by_type[t].sent;
      result.by_type[t].acked += totals.by_type[t].acked;
      result.by_type[t].rejected += totals.by_type[t].rejected;
      result.batches_sent += totals.by_type[t].batches;
    }
    result.batches_answered += totals.batches_answered;
    result.rpc_errors += totals.rpc_errors;
    for (auto [code, n] : totals.errors_by_code) result.errors_by_code[code] += n;
    round_trips.insert(round_trips.end(), totals.round_trips.begin(), totals.round_trips.end());
  }
  sessions.clear();  // closes the log files
  result.latency = Summarize(round_trips);
  absl::StatusOr<CommittedCounts> after =
      FetchCommittedCounts(stats_channel, config.authorization, stats_timeout);
  result.delivery = CheckDelivery(result.by_type, before, after);
  return result;
}

}  // namespace gym::loadtest
