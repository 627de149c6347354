// IngestionEngine: everything gym serve does with a batch, without the gRPC transport.
//
// Per batch: size check, ids, validation (bad items become rejected rows with index and
// reason), in-flight admission, proto -> Frame, submission to the type's pipeline, and the
// answer once the batch's completion token has resolved, i.e. after the COMMIT that holds
// both its rows and its rejected items:
//
// The pipelines come from a pipeline file, pipelines/serve.toml unless another is given:
//
//   clients       -> normalize -> store_clients
//   transactions  -> category  -> risk -> store_transactions
//   scores        -> store_scores
//
// Every table has event_id (unique: a retried batch stores nothing twice), batch_id and
// ingested_at. Thread-safe; the gRPC reactors call it from any thread.
//
//   engine->Ingest(request, deadline, &response, [](const absl::Status& s) { Reply(s); });
#ifndef GYM_SERVER_INGESTION_ENGINE_H_
#define GYM_SERVER_INGESTION_ENGINE_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/handlers/risk_model.h"
#include "gym/pipeline/pipeline.h"
#include "gym/proto/event_ingestion_service.pb.h"
#include "gym/server/event_type.h"
#include "gym/pipeline/message_context.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/pipeline_spec.h"
#include "gym/server/proto_frame.h"
#include "gym/server/server_metrics.h"
#include "gym/server/timestamps.h"
#include "gym/server/validation.h"
#include "gym/storage/group_commit_writer.h"

namespace gym {

struct EngineOptions {
  std::string db_path;
  std::shared_ptr<const RiskModel> model;  // REQUIRES: not null
  size_t max_batch = 10000;                // more items: INVALID_ARGUMENT
  int64_t max_inflight_events = 100000;    // events accepted and not yet answered
  ServerMetrics* metrics = nullptr;        // REQUIRES: not null, outlives the engine
  // false: an acknowledged batch survives a crash of the process (WAL, synchronous=NORMAL);
  // true: also a power loss or OS crash (an fsync per commit group, synchronous=FULL).
  bool sync_full = false;
  // Dates outside [earliest_date, latest_date] (YYYY-MM-DD) are rejected; an empty
  // latest_date means one year after the day a batch arrives.
  std::string earliest_date = "1900-01-01";
  std::string latest_date;
  // How long a commit waits for a lock held by another connection before the batch fails.
  std::chrono::milliseconds busy_timeout{5000};
  // The pipeline file to run (checked by CheckPipeline against `parts`); null: the built-in
  // pipelines/serve.toml. `parts`: what it names; null: the built-in parts. REQUIRES: `parts`
  // outlives the engine.
  std::shared_ptr<const PipelineSpec> pipeline;
  const PartRegistry* parts = nullptr;
};

class IngestionEngine final {
 public:
  using Done = std::function<void(const absl::Status&)>;

  // Opens the database (WAL, group commit) and builds the three pipelines; INVALID_ARGUMENT
  // with every error of the pipeline file when it does not suit gym serve.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<IngestionEngine>> Open(EngineOptions options);
  ~IngestionEngine();  // Drains.
  IngestionEngine(const IngestionEngine&) = delete;
  IngestionEngine& operator=(const IngestionEngine&) = delete;

  // Ingests one batch; `done` runs exactly once. OK: the batch is committed and `response`
  // counts what was stored: items_processed_successfully (new rows) + items_duplicate +
  // items_rejected = items_received. Otherwise nothing of the batch is stored and `response`
  // says why (success false): at once, INVALID_ARGUMENT (more than max_batch items, a batch id
  // over its limit), DEADLINE_EXCEEDED (`deadline` passed before submission),
  // RESOURCE_EXHAUSTED (in-flight limit) or UNAVAILABLE (draining); after submission, the
  // failing node's code when it says a retry of the same batch cannot help (INVALID_ARGUMENT,
  // OUT_OF_RANGE, FAILED_PRECONDITION, INTERNAL), else UNAVAILABLE (not committed: disk full,
  // I/O error, database locked; retry).
  // REQUIRES: `response` stays valid until `done` runs; `request` needs to live only during
  // the call.
  void Ingest(const gym_framework_rpc::IngestClientsRequest& request, SystemTime deadline,
              gym_framework_rpc::BatchIngestionResponse* response, Done done);
  void Ingest(const gym_framework_rpc::IngestTransactionsRequest& request, SystemTime deadline,
              gym_framework_rpc::BatchIngestionResponse* response, Done done);
  void Ingest(const gym_framework_rpc::IngestScoresRequest& request, SystemTime deadline,
              gym_framework_rpc::BatchIngestionResponse* response, Done done);

  // Committed row counts per table plus the received / committed counters.
  [[nodiscard]] absl::StatusOr<gym_framework_rpc::StatsResponse> Stats();

  // Refuses new batches from now on (UNAVAILABLE); batches already accepted go on.
  void BeginDrain() { draining_.store(true, std::memory_order_release); }
  // Refuses new batches (UNAVAILABLE), waits until every accepted batch has been committed
  // and answered. Idempotent.
  void Drain();

  int64_t inflight_events() const { return inflight_.load(std::memory_order_relaxed); }
  // Whether a batch as large as the recent ones fits now, beside `pending` more such batches
  // on their way in (or nothing is in flight), so that a call let in on it is not refused
  // after its parse.
  bool HasRoom(int64_t pending = 0) const;
  absl::Status Busy() const;  // the RESOURCE_EXHAUSTED of --max-inflight
  // Called (on the answering thread) each time a batch releases its events, so that a call
  // waiting for room can come in. Set before serving and cleared after; nullptr: none.
  void OnRoomFreed(std::function<void()> listener) { on_room_freed_ = std::move(listener); }

 private:
  // What a batch needs once its token resolves.
  struct Reply;
  // What the store found while committing a batch.
  struct Stored {
    int64_t inserted = 0;
    int64_t duplicates = 0;
    int64_t rejected_already_stored = 0;
  };

  explicit IngestionEngine(EngineOptions options);
  absl::Status Build();
  absl::Status CreateTables();

  template <typename Item, typename Convert>
  void Process(EventType type, const Items<Item>& items, std::string_view client_batch_id,
               std::string_view emission, SystemTime deadline,
               gym_framework_rpc::BatchIngestionResponse* response, Done done, Convert convert);
  void Submit(EventType type, Frame rows, std::shared_ptr<MessageContext> context,
              std::shared_ptr<Reply> reply);
  void Answer(const Reply& reply, const absl::Status& status, const Stored& stored);
  ValidationLimits LimitsAt(SystemTime now) const;
  void ObserveEmission(std::string_view emission, SystemTime received, std::string_view batch_id);
  bool ReserveInflight(int64_t events);
  void ReleaseInflight(int64_t events);

  EngineOptions options_;
  ServerMetrics& metrics_;
  std::shared_ptr<GroupCommitWriter> writer_;
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> inflight_{0};
  std::atomic<int64_t> received_{0};
  std::atomic<int64_t> committed_{0};
  std::function<void()> on_room_freed_;
  // The largest batch of the last one or two windows of kSizeWindow reservations (HasRoom).
  static constexpr uint32_t kSizeWindow = 256;
  std::atomic<int64_t> largest_before_{0};
  std::atomic<int64_t> largest_now_{0};
  std::atomic<uint32_t> sizes_seen_{0};
  // Last: destroyed first, while the writer its sinks use still exists.
  std::array<std::unique_ptr<Pipeline>, 3> pipelines_;
};

}  // namespace gym

#endif  // GYM_SERVER_INGESTION_ENGINE_H_
