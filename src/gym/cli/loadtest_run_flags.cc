// The shared flags of `gym loadtest run|sweep` (see loadtest_run_flags.h).
#include "gym/cli/loadtest_run_flags.h"

#include "gym/cli/flag_checks.h"
#include "gym/cli/host_port.h"

namespace gym {
namespace {

using loadtest::PaceMode;
using loadtest::RpcKind;
using loadtest::RunOptions;

// Bounds of the flags: beyond them a value is a typing mistake, not a load test.
constexpr int64_t kMaxBatchCount = 1'000'000;
constexpr int64_t kMaxBatchSize = 1'000'000;
constexpr double kMaxPauseSeconds = 3600;

}  // namespace

void AddRunOptions(CLI::App* sub, RunFlags& f, bool with_target_and_logs) {
  RunOptions& o = f.options;
  if (with_target_and_logs) {
    sub->add_option("--target", o.target, "server address host:port")
        ->capture_default_str()
        ->transform(TargetAddress());
    sub->add_option("--logs", f.logs, "directory for client_output_<i>_of_<N>.log")
        ->capture_default_str();
  }
  const struct {
    const char* flag;
    int& value;
    int64_t min;
    int64_t max;
    const char* help;
  } shape[] = {
      {"--client-batches", o.shape.client_batches, 0, kMaxBatchCount, "client batches per client"},
      {"--client-batch-size", o.shape.client_batch_size, 1, kMaxBatchSize, "clients per batch"},
      {"--tx-batches", o.shape.tx_batches_per_client_batch, 0, kMaxBatchCount,
       "transaction batches after each client batch"},
      {"--tx-batch-size", o.shape.tx_batch_size, 1, kMaxBatchSize, "transactions per batch"},
      {"--score-batches", o.shape.score_batches, 0, kMaxBatchCount, "score batches per client"},
      {"--score-batch-size", o.shape.score_batch_size, 1, kMaxBatchSize, "scores per batch"},
  };
  for (const auto& s : shape) {
    sub->add_option(s.flag, s.value, s.help)
        ->capture_default_str()
        ->transform(flag::WholeNumber(s.min, s.max));
  }
  sub->add_option("--scale", o.scale, "multiplies every batch count (not the sizes)")
      ->capture_default_str()
      ->transform(flag::Number(/*allow_zero=*/false, 1e6));
  sub->add_option("--pause-min", o.pause_min_seconds, "paced mode: shortest pause, seconds")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/true, kMaxPauseSeconds));
  sub->add_option("--pause-max", o.pause_max_seconds, "paced mode: longest pause, seconds")
      ->capture_default_str()
      ->transform(flag::Seconds(/*allow_zero=*/true, kMaxPauseSeconds));
  sub->add_option("--start", f.start,
                  "paced mode: spread (each client's first batch also waits one of its pauses, "
                  "as if it had been running: clients of a real system do not start in the "
                  "same microsecond) or together (every first batch at once, to measure that "
                  "burst)")
      ->check(CLI::IsMember({"spread", "together"}))
      ->capture_default_str();
  sub->add_option("--mode", f.mode, "paced (the seed's pauses) or closed (back to back)")
      ->check(CLI::IsMember({"paced", "closed"}))
      ->capture_default_str();
  sub->add_option("--rps", o.rps, "open loop: batches per second, all clients together")
      ->transform(flag::Number(/*allow_zero=*/true, 1e7));
  sub->add_option("--duration", f.duration, "stop starting batches after this long (e.g. 30s)")
      ->transform(flag::Duration());
  sub->add_option("--rpc", f.rpc, "batch, single (one call per event) or stream")
      ->check(CLI::IsMember({"batch", "single", "stream"}))
      ->capture_default_str();
  sub->add_option("--deadline", f.deadline, "per-call deadline")
      ->capture_default_str()
      ->transform(flag::Duration());
  sub->add_option("--retries", o.backoff.retries,
                  "resends of a batch refused with RESOURCE_EXHAUSTED or UNAVAILABLE (0 = none)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, 1000));
  sub->add_option("--backoff-initial", f.backoff_initial,
                  "cap of the first backoff wait; each retry doubles it, waits are drawn "
                  "uniformly below the cap")
      ->capture_default_str()
      ->transform(flag::Duration());
  sub->add_option("--backoff-max", f.backoff_max, "largest cap of a backoff wait")
      ->capture_default_str()
      ->transform(flag::Duration());
  sub->add_option("--prebuild-mib", f.prebuild_mib,
                  "build batches before the clock starts, up to this many MiB for all clients "
                  "together; later ones are built as their turn comes (0: only each client's "
                  "first)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(0, 1 << 20));
  sub->add_option("--seed", o.seed, "mock data seed")
      ->capture_default_str()
      ->transform(flag::Seed());
  sub->add_option("--event-ids", f.event_ids,
                  "event ids the clients send: derived (none: the server derives "
                  "<batch_id>:<index>, so a batch's keys are neighbours), uuid (a "
                  "random UUID v4 per event, as most producers send) or sequential "
                  "(<run>-c<client>-<12-digit counter>, growing in sending order)")
      ->check(CLI::IsMember({"derived", "uuid", "sequential"}))
      ->capture_default_str();
  sub->add_option(
         "--prefill", o.prefill_rows,
         "before the clock, bring the server's transactions table to this many rows "
         "(only the missing ones; 0: none). Rows go through the server, the real write "
         "path: IngestTransactions batches of --prefill-batch over --prefill-streams "
         "connections, with the --event-ids mode (10M rows in about 20 s on 2 cores; a direct "
         "SQLite insert would skip the server and work only with --spawn-server). "
         "Progress on stderr")
      ->transform(flag::WholeNumber(0, int64_t{1} << 40));
  sub->add_option("--prefill-order", f.prefill_order,
                  "with --event-ids uuid: sorted sends the prefill's random UUIDs in ascending "
                  "order, random as production would. gym's key index costs both the same; a "
                  "server that keeps event_id in a SQLite UNIQUE index (gym before 2026-12, or "
                  "an older database) grows many times faster sorted")
      ->check(CLI::IsMember({"sorted", "random"}))
      ->capture_default_str();
  sub->add_option("--prefill-streams", o.prefill_streams, "concurrent connections of --prefill")
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, 256));
  sub->add_option("--prefill-batch", o.prefill_batch,
                  "transactions per batch of --prefill (at most the server's --max-batch)")
      ->capture_default_str()
      ->transform(flag::WholeNumber(1, kMaxBatchSize));
  sub->add_option("--id-base", f.id_base, "first id minus 1 (default: from the clock)")
      ->transform(flag::WholeNumber(0, int64_t{1} << 62));
  sub->add_option("--auth-token-file", f.token_file, "send 'authorization: Bearer <token>'")
      ->check(CLI::ExistingFile);
  AddTlsOptions(sub, f.tls);
}

absl::Status FinalizeRunFlags(RunFlags& f) {
  RunOptions& o = f.options;
  o.mode = f.mode == "closed" ? PaceMode::kClosed : PaceMode::kPaced;
  o.rpc = f.rpc == "single"   ? RpcKind::kSingle
          : f.rpc == "stream" ? RpcKind::kStream
                              : RpcKind::kBatch;
  o.deadline = flag::DurationValue(f.deadline);
  if (!f.duration.empty()) o.duration = flag::DurationValue(f.duration);
  o.backoff.initial = flag::DurationValue(f.backoff_initial);
  o.backoff.max = flag::DurationValue(f.backoff_max);
  o.prebuild_bytes = f.prebuild_mib << 20;
  o.logs_dir = f.logs;
  o.auth_token_file = f.token_file;
  o.tls_ca = f.tls.ca;
  o.tls_cert = f.tls.cert;
  o.tls_key = f.tls.key;
  if (f.id_base >= 0) o.id_base = f.id_base;
  o.prefill_sorted = f.prefill_order == "sorted";
  o.spread_start = f.start == "spread";
  // Checked by CLI::IsMember.
  o.event_ids = loadtest::ParseEventIdMode(f.event_ids).value_or(loadtest::EventIdMode::kDerived);
  return loadtest::ValidateRunOptions(o);
}

}  // namespace gym
