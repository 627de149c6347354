// The batch path of gym serve (see ingestion_engine.h).
#include "gym/server/ingestion_engine.h"

#include <chrono>
#include <utility>
#include <vector>

#include "fmt/core.h"
#include "gym/datagen/builtin_parts.h"
#include "gym/pipeline/builtin_pipelines.h"
#include "gym/server/batch_triage.h"
#include "gym/server/ids.h"
#include "gym/server/ingest_pipelines.h"
#include "gym/server/log_safe.h"
#include "spdlog/spdlog.h"

namespace gym {

using gym_framework_rpc::BatchIngestionResponse;

struct IngestionEngine::Reply {
  EventType type;
  std::string batch_id;
  int64_t items = 0;
  int64_t rejected = 0;    // by validation
  int64_t duplicates = 0;  // inside the batch
  std::chrono::steady_clock::time_point start;
  BatchIngestionResponse* response = nullptr;
  Done done;
};

IngestionEngine::IngestionEngine(EngineOptions options)
    : options_(std::move(options)), metrics_(*options_.metrics) {}

IngestionEngine::~IngestionEngine() { Drain(); }

absl::StatusOr<std::unique_ptr<IngestionEngine>> IngestionEngine::Open(EngineOptions options) {
  std::unique_ptr<IngestionEngine> engine(new IngestionEngine(std::move(options)));
  if (absl::Status s = engine->Build(); !s.ok()) return s;
  return engine;
}

namespace {

// The serve pipeline of `options` (or the built-in one), checked for what gym serve needs.
absl::StatusOr<std::shared_ptr<const PipelineSpec>> ServePipeline(const EngineOptions& options,
                                                                 const PartRegistry& parts) {
  std::shared_ptr<const PipelineSpec> spec = options.pipeline;
  std::vector<std::string> errors;
  if (spec == nullptr) {
    PipelineLoad load = LoadBuiltinPipeline("serve", parts);
    errors = AllErrors(load, parts);
    if (errors.empty()) spec = std::make_shared<const PipelineSpec>(std::move(*load.spec));
  } else {
    errors = CheckPipeline(*spec, parts);
  }
  if (errors.empty()) errors = CheckServePipeline(*spec);
  if (!errors.empty()) {
    std::string message;
    for (const std::string& e : errors) message += (message.empty() ? "" : "\n") + e;
    return absl::InvalidArgumentError(message);
  }
  return spec;
}

}  // namespace

absl::Status IngestionEngine::Build() {
  // An idle server commits a batch on the thread that received it (no hand-off); under load
  // batches queue behind the commit in progress and share the next one.
  auto writer = GroupCommitWriter::Open(options_.db_path,
                                        WriterOptions{.synchronous_full = options_.sync_full,
                                                      .busy_timeout = options_.busy_timeout,
                                                      .commit_on_caller_when_idle = true});
  if (!writer.ok()) return writer.status();
  writer_ = *std::move(writer);
  writer_->SetCommitObserver(
      [this](size_t frames, size_t, std::chrono::nanoseconds) { metrics_.CommitGroup(frames); });
  static const PartRegistry* const kBuiltinParts = new PartRegistry(BuiltinParts());
  const PartRegistry& parts = options_.parts != nullptr ? *options_.parts : *kBuiltinParts;
  absl::StatusOr<std::shared_ptr<const PipelineSpec>> spec = ServePipeline(options_, parts);
  if (!spec.ok()) return spec.status();
  // The event limit is the real bound; a batch holds at least one event, so this never
  // refuses first.
  const auto max_messages = static_cast<size_t>(std::max<int64_t>(1, options_.max_inflight_events));
  auto pipelines =
      BuildIngestPipelines(**spec, parts, writer_, options_.model, metrics_, max_messages);
  if (!pipelines.ok()) return pipelines.status();
  pipelines_ = std::move(*pipelines);
  return CreateTables();
}

// The event tables were created by their stores from their declared schemas when the
// pipelines were assembled (SqliteSink::Open), so the first batches of a burst do not pay for
// DDL inside a client's round trip and `gym inspect` shows the schema of a server that has
// seen nothing; rejected_events, whose rows the server makes, is created here.
absl::Status IngestionEngine::CreateTables() {
  const std::string ingested_at = FormatIsoUtc(std::chrono::system_clock::now());
  const BatchContext ctx{"", ingested_at, {}};
  auto rejected = std::make_shared<absl::Status>();
  // Its rows are deleted when a refused event is stored later: SQLite's UNIQUE index, as
  // the sinks' rejected tables have (sqlite_sink.cc).
  writer_->Write(TableOptions{.table = std::string(kRejectedTable),
                              .unique_key = "event_id",
                              .unique_index = TableOptions::UniqueIndex::kSqlite},
                 RejectedToFrame(EventType::kClients, {}, ctx),
                 [rejected](const absl::Status& s, const WriteResult&) { *rejected = s; });
  writer_->Flush();
  return *rejected;
}

void IngestionEngine::Ingest(const gym_framework_rpc::IngestClientsRequest& request,
                             SystemTime deadline, BatchIngestionResponse* response, Done done) {
  Process(EventType::kClients, request.clients(), request.batch_id(),
          request.emission_timestamp_iso(), deadline, response, std::move(done), ClientsToFrame);
}

void IngestionEngine::Ingest(const gym_framework_rpc::IngestTransactionsRequest& request,
                             SystemTime deadline, BatchIngestionResponse* response, Done done) {
  Process(EventType::kTransactions, request.transactions(), request.batch_id(),
          request.emission_timestamp_iso(), deadline, response, std::move(done),
          TransactionsToFrame);
}

void IngestionEngine::Ingest(const gym_framework_rpc::IngestScoresRequest& request,
                             SystemTime deadline, BatchIngestionResponse* response, Done done) {
  Process(EventType::kScores, request.scores(), request.batch_id(),
          request.emission_timestamp_iso(), deadline, response, std::move(done), ScoresToFrame);
}

template <typename Item, typename Convert>
void IngestionEngine::Process(EventType type, const Items<Item>& items,
                              std::string_view client_batch_id, std::string_view emission,
                              SystemTime deadline, BatchIngestionResponse* response, Done done,
                              Convert convert) {
  const auto start = std::chrono::steady_clock::now();
  const SystemTime received = std::chrono::system_clock::now();
  const auto n = static_cast<size_t>(items.size());
  if (draining_.load(std::memory_order_acquire)) {
    done(absl::UnavailableError("server is shutting down; retry on another instance"));
    return;
  }
  if (n > options_.max_batch) {
    done(absl::InvalidArgumentError(fmt::format("{} batch has {} items, more than --max-batch {}",
                                                EventTypeName(type), n, options_.max_batch)));
    return;
  }
  if (client_batch_id.size() > kMaxBatchIdBytes) {
    done(absl::InvalidArgumentError(fmt::format("batch_id: {} bytes, longer than the limit of {}",
                                                client_batch_id.size(), kMaxBatchIdBytes)));
    return;
  }
  metrics_.Received(type, static_cast<int64_t>(n));
  received_.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed);
  std::string batch_id = ResolveBatchId(client_batch_id);
  ObserveEmission(emission, received, batch_id);

  // Refused before triage: under overload the refused calls are most calls, and validating
  // and naming their items would take CPU from the ones admitted.
  if (!ReserveInflight(static_cast<int64_t>(n))) {
    done(Busy());
    return;
  }
  Triage triage = TriageBatch(items, batch_id, LimitsAt(received));
  if (std::chrono::system_clock::now() > deadline) {
    ReleaseInflight(static_cast<int64_t>(n));
    done(
        absl::DeadlineExceededError(fmt::format("batch {}: client deadline passed before it was "
                                                "submitted",
                                                LogSafe(batch_id))));
    return;
  }
  for (const std::string& field : triage.reject_fields) metrics_.Rejected(type, field);

  const std::string ingested_at = FormatIsoUtc(received);
  const BatchContext ctx{batch_id, ingested_at, triage.event_ids};
  auto context = std::make_shared<MessageContext>();
  context->batch_id = batch_id;
  if (!triage.rejected.empty()) context->rejected = RejectedToFrame(type, triage.rejected, ctx);
  context->expected_rows = static_cast<int64_t>(triage.accepted.size());
  // A batch whose items were all rejected goes through its pipeline too, with no rows: its
  // store commits the rejected items, as for any other batch.
  Frame rows = convert(items, triage.accepted, ctx);

  response->set_batch_id(batch_id);
  response->set_items_received(static_cast<int32_t>(n));
  for (RejectedRow& r : triage.rejected) {
    auto* out = response->add_rejected();
    out->set_index(static_cast<int32_t>(r.index));
    out->set_event_id(triage.event_ids[r.index]);
    out->set_reason(std::move(r.reason));
  }
  for (std::string& id : triage.event_ids) response->add_event_ids(std::move(id));

  auto reply = std::make_shared<Reply>(Reply{type, std::move(batch_id), static_cast<int64_t>(n),
                                             static_cast<int64_t>(triage.rejected.size()),
                                             triage.duplicates, start, response, std::move(done)});
  Submit(type, std::move(rows), std::move(context), std::move(reply));
}

void IngestionEngine::Submit(EventType type, Frame rows, std::shared_ptr<MessageContext> context,
                             std::shared_ptr<Reply> reply) {
  absl::StatusOr<CompletionToken> token = pipelines_[static_cast<size_t>(type)]->Submit(
      EntryNode(type), std::move(rows), context, Admission::kRefuse);
  if (!token.ok()) {
    absl::Status status = token.status();
    if (absl::IsFailedPrecondition(status)) {
      status = absl::UnavailableError("server is shutting down; retry on another instance");
    }
    Answer(*reply, status, Stored{});
    return;
  }
  token->OnDone([this, context, reply](absl::Status status) {
    const StoreReport& report = *context->report;
    Stored stored;
    if (status.ok()) {
      if (!report.stored.load(std::memory_order_acquire)) {
        status = absl::InternalError("the pipeline dropped the batch before its store");
      }
      stored.inserted = report.inserted.load(std::memory_order_relaxed);
      stored.duplicates = report.duplicates.load(std::memory_order_relaxed);
      stored.rejected_already_stored = report.rejected_known.load(std::memory_order_relaxed);
    }
    Answer(*reply, status, stored);
  });
}

namespace {

// Every failure after admission means nothing of the batch was stored; the code tells the
// client whether sending it again can help, whichever node failed (a handler's own status, a
// store's commit):
// - INVALID_ARGUMENT, OUT_OF_RANGE: the batch cannot be used as it is (a handler found a column
//   missing or a value it cannot take); a retry would fail the same way. Kept.
// - FAILED_PRECONDITION: the server is not in a state to take it (a resource a handler needs
//   is missing); retry only once that is fixed. Kept.
// - INTERNAL: a bug in gym itself, which a retry would only repeat. Kept.
// - Anything else (a locked or full database, a resource that failed for now, and codes that
//   would mislead a client, such as NOT_FOUND for a file the server reads): UNAVAILABLE,
//   which a client's retry policy retries; the same event ids make that safe.
absl::Status NotCommitted(const absl::Status& cause) {
  const std::string message = fmt::format("batch not committed: {}", std::string(cause.message()));
  switch (cause.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kInternal:
      return absl::Status(cause.code(), message);
    default:
      return absl::UnavailableError(message + "; retry with the same event ids");
  }
}

}  // namespace

void IngestionEngine::Answer(const Reply& reply, const absl::Status& status, const Stored& stored) {
  BatchIngestionResponse& response = *reply.response;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - reply.start).count();
  ReleaseInflight(reply.items);
  metrics_.BatchDuration(seconds);
  response.set_processing_duration_seconds(static_cast<float>(seconds));
  if (!status.ok()) {
    const absl::Status answer = NotCommitted(status);
    response.set_success(false);
    response.set_message(std::string(answer.message()));
    spdlog::warn("batch type={} batch_id={} items={} not committed: {}", EventTypeName(reply.type),
                 LogSafe(reply.batch_id), reply.items, std::string(status.message()));
    reply.done(answer);
    return;
  }
  const int64_t duplicates = reply.duplicates + stored.duplicates + stored.rejected_already_stored;
  const int64_t rejected = reply.rejected - stored.rejected_already_stored;
  response.set_success(true);
  response.set_items_processed_successfully(static_cast<int32_t>(stored.inserted));
  response.set_items_duplicate(static_cast<int32_t>(duplicates));
  response.set_items_rejected(static_cast<int32_t>(rejected));
  response.set_message(fmt::format("committed {} of {} items, duplicate {}, rejected {}",
                                   stored.inserted, reply.items, duplicates, rejected));
  metrics_.Committed(reply.type, stored.inserted);
  metrics_.Duplicate(reply.type, duplicates);
  committed_.fetch_add(stored.inserted, std::memory_order_relaxed);
  spdlog::info(
      "batch type={} batch_id={} items={} committed={} duplicate={} rejected={} "
      "duration={:.3f}ms",
      EventTypeName(reply.type), LogSafe(reply.batch_id), reply.items, stored.inserted, duplicates,
      rejected, seconds * 1e3);
  reply.done(absl::OkStatus());
}

void IngestionEngine::ObserveEmission(std::string_view emission, SystemTime received,
                                      std::string_view batch_id) {
  if (emission.empty()) return;
  absl::StatusOr<SystemTime> emitted = ParseIsoTimestamp(emission);
  if (!emitted.ok()) {
    spdlog::warn("batch {}: emission_timestamp_iso ignored: {}", LogSafe(batch_id),
                 std::string(emitted.status().message()));
    return;
  }
  const double latency = std::chrono::duration<double>(received - *emitted).count();
  // A client clock ahead of ours gives a negative figure; it is logged but not exported.
  if (latency >= 0) metrics_.EmissionLatency(latency);
  spdlog::debug("batch {}: emission-to-receipt latency {:.6f}s", LogSafe(batch_id), latency);
}

ValidationLimits IngestionEngine::LimitsAt(SystemTime now) const {
  ValidationLimits limits{.earliest_date = options_.earliest_date,
                          .latest_date = options_.latest_date};
  if (limits.latest_date.empty()) {
    limits.latest_date = FormatIsoUtc(now + std::chrono::days(366)).substr(0, 10);
  }
  return limits;
}

absl::Status IngestionEngine::Busy() const {
  return absl::ResourceExhaustedError(
      fmt::format("server busy: {} events in flight, limit --max-inflight {}; retry with backoff",
                  inflight_events(), options_.max_inflight_events));
}

bool IngestionEngine::HasRoom(int64_t pending) const {
  const int64_t in = inflight_events();
  const int64_t need = std::max<int64_t>({1, largest_before_.load(std::memory_order_relaxed),
                                          largest_now_.load(std::memory_order_relaxed)});
  return (in == 0 && pending == 0) || in + need * (pending + 1) <= options_.max_inflight_events;
}

bool IngestionEngine::ReserveInflight(int64_t events) {
  // Approximate under races, which only makes HasRoom a little more or less cautious.
  if (largest_now_.load(std::memory_order_relaxed) < events) {
    largest_now_.store(events, std::memory_order_relaxed);
  }
  if (sizes_seen_.fetch_add(1, std::memory_order_relaxed) % kSizeWindow == kSizeWindow - 1) {
    largest_before_.store(largest_now_.exchange(0, std::memory_order_relaxed),
                          std::memory_order_relaxed);
  }
  const int64_t now = inflight_.fetch_add(events, std::memory_order_acq_rel) + events;
  if (now > options_.max_inflight_events) {
    inflight_.fetch_sub(events, std::memory_order_acq_rel);
    return false;
  }
  metrics_.Inflight(now);
  return true;
}

void IngestionEngine::ReleaseInflight(int64_t events) {
  metrics_.Inflight(inflight_.fetch_sub(events, std::memory_order_acq_rel) - events);
  if (on_room_freed_) on_room_freed_();
}

absl::StatusOr<gym_framework_rpc::StatsResponse> IngestionEngine::Stats() {
  gym_framework_rpc::StatsResponse stats;
  std::array<int64_t, 4> counts{};
  const std::array<std::string, 4> tables = {std::string(EventTypeName(EventType::kClients)),
                                             std::string(EventTypeName(EventType::kTransactions)),
                                             std::string(EventTypeName(EventType::kScores)),
                                             std::string(kRejectedTable)};
  for (size_t i = 0; i < tables.size(); ++i) {
    absl::StatusOr<int64_t> rows = writer_->CountRows(tables[i]);
    if (!rows.ok()) return rows.status();
    counts[i] = *rows;
  }
  stats.set_clients(counts[0]);
  stats.set_transactions(counts[1]);
  stats.set_scores(counts[2]);
  stats.set_rejected_events(counts[3]);
  stats.set_events_received(received_.load(std::memory_order_relaxed));
  stats.set_events_committed(committed_.load(std::memory_order_relaxed));
  return stats;
}

void IngestionEngine::Drain() {
  draining_.store(true, std::memory_order_release);
  for (auto& pipeline : pipelines_) {
    if (pipeline) pipeline->Stop();
  }
  if (writer_) writer_->Flush();
}

}  // namespace gym
