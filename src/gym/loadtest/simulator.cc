// The client simulator's driver: prepare, connect, send in the chosen mode, check delivery.
#include "gym/loadtest/simulator.h"

#include <algorithm>
#include <memory>

#include "absl/time/time.h"
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

PrefillOptions PrefillFor(const RunOptions& o, const std::string& run_id,
                          const std::string& authorization) {
  PrefillOptions p;
  p.target = o.target;
  p.authorization = authorization;
  p.rows = o.prefill_rows;
  p.event_ids = o.event_ids;
  p.sorted_uuids = o.prefill_sorted;
  p.seed = o.seed;
  p.run_id = run_id;
  p.streams = o.prefill_streams;
  p.batch_size = o.prefill_batch;
  p.deadline = o.deadline;
  p.progress = o.progress;
  p.interrupt = o.interrupt;
  return p;
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
  if (o.pause_min_seconds < 0) return absl::InvalidArgumentError("--pause-min must be >= 0");
  if (o.pause_max_seconds < o.pause_min_seconds) {
    return absl::InvalidArgumentError(fmt::format("--pause-min {} is above --pause-max {}",
                                                  o.pause_min_seconds, o.pause_max_seconds));
  }
  if (o.rps < 0) return absl::InvalidArgumentError("--rps must be >= 0");
  if (o.deadline <= std::chrono::nanoseconds::zero()) {
    return absl::InvalidArgumentError("--deadline must be > 0");
  }
  if (o.duration && *o.duration <= std::chrono::nanoseconds::zero()) {
    return absl::InvalidArgumentError("--duration must be > 0");
  }
  if (o.backoff.retries < 0) return absl::InvalidArgumentError("--retries must be >= 0");
  if (o.backoff.initial <= std::chrono::nanoseconds::zero()) {
    return absl::InvalidArgumentError("--backoff-initial must be > 0");
  }
  if (o.backoff.max < o.backoff.initial) {
    return absl::InvalidArgumentError(
        fmt::format("--backoff-initial {} is above --backoff-max {}",
                    absl::FormatDuration(absl::FromChrono(o.backoff.initial)),
                    absl::FormatDuration(absl::FromChrono(o.backoff.max))));
  }
  if (o.prefill_rows < 0) return absl::InvalidArgumentError("--prefill must be >= 0");
  if (o.prefill_streams < 1) return absl::InvalidArgumentError("--prefill-streams must be >= 1");
  if (o.prefill_batch < 1) return absl::InvalidArgumentError("--prefill-batch must be >= 1");
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together: give both or neither");
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
      internal::ClientCredentialsFor({o.tls_ca, o.tls_cert, o.tls_key}, o.auth_token_file);
  if (!creds.ok()) return creds.status();
  if (absl::Status s = PrepareLogsDir(o.logs_dir); !s.ok()) return s;

  RunResult result;
  result.clients = o.clients;
  // Batch ids (and so the server's event ids) derive from the run id: two runs must differ.
  const int64_t now_ms = UnixMillis();
  result.run_id = o.run_id.empty() ? fmt::format("r{}", now_ms) : o.run_id;
  const WorkloadShape shape = o.shape.Scaled(o.scale);
  result.ids = IdLayout::For(shape, o.id_base.value_or(now_ms));
  result.event_ids = o.event_ids;
  if (o.mode == PaceMode::kPaced && o.rps <= 0) result.start = o.spread_start ? "spread" : "together";

  // One connection per simulated client, plus the last for GetStats (the prefill's count and
  // the delivery check).
  std::vector<std::shared_ptr<grpc::Channel>> channels =
      internal::ConnectOwnChannels(o.target, o.clients + 1, creds->channel, o.deadline);
  const std::shared_ptr<grpc::Channel> stats_channel = channels.back();
  channels.pop_back();
  // GetStats counts every table: count(*) over millions of prefilled rows takes a while.
  const auto stats_timeout = std::chrono::seconds(30);
  if (o.prefill_rows > 0) {
    const RowCounter count_rows = [&]() -> absl::StatusOr<int64_t> {
      if (!o.db_path.empty()) return CountTransactionsInDb(o.db_path);
      absl::StatusOr<CommittedCounts> counts =
          FetchCommittedCounts(stats_channel, creds->authorization, stats_timeout);
      if (!counts.ok()) return counts.status();
      return counts->rows[1];
    };
    absl::StatusOr<PrefillResult> prefill =
        Prefill(PrefillFor(o, result.run_id, creds->authorization), creds->channel, count_rows);
    if (!prefill.ok()) return prefill.status();
    result.prefill = *prefill;
    if (o.progress) std::fprintf(stderr, "prefill: %s\n", FormatPrefill(*prefill).c_str());
    if (prefill->interrupted) {
      result.interrupted = true;
      result.delivery.unknown_reason = "interrupted during the prefill";
      result.transactions_at_start.source = result.delivery.unknown_reason;
      result.transactions_at_end = {.rows = prefill->rows_after, .source = "the prefill's count"};
      return result;
    }
  }

  if (o.progress) {
    std::fprintf(stderr, "run %s: %lld batches for %d clients\n", result.run_id.c_str(),
                 static_cast<long long>(shape.BatchesPerSimulatedClient() * o.clients), o.clients);
  }
  const MockGenerator generator(o.seed, Today());
  SessionConfig config;
  config.rpc = o.rpc;
  config.deadline = o.deadline;
  config.authorization = creds->authorization;
  config.backoff = o.backoff;
  config.jitter_seed = o.seed;
  config.prebuild_bytes = o.prebuild_bytes / std::max(1, o.clients);

  // The timer of pauses and backoff waits; declared before the sessions, which use it.
  Pacer timer;
  RunControl control(o, timer);
  const uint64_t id_key = NewEventIdKey();
  std::vector<std::unique_ptr<ClientSession>> sessions;
  for (int i = 0; i < o.clients; ++i) {
    const fs::path log_path = o.logs_dir / fmt::format("client_output_{}_of_{}.log", i, o.clients);
    std::FILE* log = std::fopen(log_path.c_str(), "w");
    if (log == nullptr) {
      return absl::InternalError(fmt::format("{}: cannot create", log_path.string()));
    }
    ClientRequests requests(generator, shape, result.ids, i, result.run_id, o.rpc,
                            EventIdSource::ForClient(o.event_ids, id_key, result.run_id, i));
    result.batches_planned += static_cast<int64_t>(requests.size());
    sessions.push_back(std::make_unique<ClientSession>(
        i, channels[static_cast<size_t>(i)], std::move(requests), config, timer, log,
        [&control](ClientSession& s) { control.OnBatchDone(s); }));
    result.batches_prebuilt += static_cast<int64_t>(sessions.back()->prebuilt());
  }
  absl::StatusOr<CommittedCounts> before =
      FetchCommittedCounts(stats_channel, config.authorization, stats_timeout);
  result.transactions_at_start = MeasureTransactions(o.db_path, before);

  control.Run(sessions);
  result.wall_seconds = control.wall_seconds();
  result.interrupted = control.interrupted();

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
    result.retries += totals.retries;
    for (auto [code, n] : totals.retries_by_code) result.retries_by_code[code] += n;
    round_trips.insert(round_trips.end(), totals.round_trips.begin(), totals.round_trips.end());
  }
  sessions.clear();  // closes the log files
  result.latency = Summarize(round_trips);
  absl::StatusOr<CommittedCounts> after =
      FetchCommittedCounts(stats_channel, config.authorization, stats_timeout);
  result.transactions_at_end = MeasureTransactions(o.db_path, after);
  result.delivery = CheckDelivery(result.by_type, before, after);
  return result;
}

}  // namespace gym::loadtest
