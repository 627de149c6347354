// EventIngestionService on the gRPC callback API (see ingestion_service.h).
#include "gym/server/ingestion_service.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "fmt/core.h"
#include "google/protobuf/arena.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "gym/server/auth.h"
#include "gym/server/ids.h"
#include "gym/server/ingest_stream_reactor.h"
#include "gym/server/status_mapping.h"
#include "gym/server/unary_call_reactor.h"
#include "gym/server/validation.h"

namespace gym {
namespace {

using gym_framework_rpc::BatchIngestionResponse;
using gym_framework_rpc::IngestionResponse;

// The batch request that carries one single-generation event.
void AddItem(gym_framework_rpc::IngestClientsRequest& r, const gym_framework_rpc::ClientData& i) {
  *r.add_clients() = i;
}
void AddItem(gym_framework_rpc::IngestTransactionsRequest& r,
             const gym_framework_rpc::TransactionData& i) {
  *r.add_transactions() = i;
}
void AddItem(gym_framework_rpc::IngestScoresRequest& r, const gym_framework_rpc::ScoreData& i) {
  *r.add_scores() = i;
}

// While a request is worked on it costs about this many bytes of memory per byte on the
// wire: the received buffer, the parsed message (its strings are copies), the rows of its
// Frame, and the reply with an event id per item. Admission counts that, not the wire size,
// so --max-inflight-bytes bounds the memory the requests take.
constexpr int64_t kMemoryPerWireByte = 4;

// The one item of a single-event batch.
gym_framework_rpc::ClientData* EventOf(gym_framework_rpc::IngestClientsRequest& r) {
  return r.mutable_clients(0);
}
gym_framework_rpc::TransactionData* EventOf(gym_framework_rpc::IngestTransactionsRequest& r) {
  return r.mutable_transactions(0);
}
gym_framework_rpc::ScoreData* EventOf(gym_framework_rpc::IngestScoresRequest& r) {
  return r.mutable_scores(0);
}

// The request's body as `out`. The buffer is copied by reference (its slices are shared).
absl::Status ParseRequest(const grpc::ByteBuffer& wire, google::protobuf::Message& out) {
  grpc::ByteBuffer shared(wire);
  grpc::ProtoBufferReader reader(&shared);
  if (!out.ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError(fmt::format(
        "the request is not a valid {} message (truncated, a bad field tag, or a string "
        "that is not UTF-8)",
        out.GetDescriptor()->full_name()));
  }
  // Request-level fields (batch_id, the item list) sent with the wrong wire type; the items'
  // own fields are checked one by one, so a bad item does not refuse its batch.
  if (std::optional<ItemError> e = WrongWireType(out)) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", e->field, e->message));
  }
  return absl::OkStatus();
}

void SerializeReply(const google::protobuf::Message& message, grpc::ByteBuffer* out) {
  bool own_buffer = false;
  // Cannot fail for a message we built: the only failure is a message over 2 GB.
  grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, out, &own_buffer)
      .IgnoreError();
}

// A unary call's reactor that tells the service when the call is over (its status sent).
class CountedReactor final : public grpc::ServerUnaryReactor {
 public:
  explicit CountedReactor(std::atomic<int64_t>& active) : active_(active) {
    active_.fetch_add(1, std::memory_order_relaxed);
  }
  void OnDone() override {
    active_.fetch_sub(1, std::memory_order_release);
    delete this;
  }

 private:
  std::atomic<int64_t>& active_;
};

}  // namespace

grpc::ServerUnaryReactor* IngestionService::NewReactor() {
  return new CountedReactor(active_calls_);
}

bool IngestionService::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  while (std::chrono::steady_clock::now() < deadline) {
    bool idle = active_calls_.load(std::memory_order_acquire) == 0;
    if (idle) {
      std::lock_guard<std::mutex> lock(streams_mu_);
      idle = streams_.empty();
    }
    if (idle) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

namespace {

// A call's deadline on the steady clock (the RoomLine's); none: the far future.
RoomLine::Clock::time_point SteadyDeadline(SystemTime deadline) {
  const auto left = deadline - std::chrono::system_clock::now();
  if (left > std::chrono::hours(24)) return RoomLine::Clock::time_point::max();
  return RoomLine::Clock::now() + std::chrono::duration_cast<RoomLine::Clock::duration>(left);
}

}  // namespace

grpc::Status IngestionService::Admit(grpc::CallbackServerContext* ctx) const {
  if (grpc::Status s = CheckBearer(ctx->client_metadata(), options_.auth_token); !s.ok()) {
    return s;
  }
  if (ctx->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled");
  return grpc::Status::OK;
}

void IngestionService::Finish(grpc::ServerUnaryReactor* reactor, std::string_view method,
                              const absl::Status& status) const {
  if (!status.ok()) options_.metrics->RpcError(method, absl::StatusCodeToString(status.code()));
  reactor->Finish(ToGrpcStatus(status));
}

IngestionService::IngestionService(IngestionEngine& engine, ServiceOptions options)
    : engine_(engine),
      options_(std::move(options)),
      bytes_(SplitByteLimit(options_.max_inflight_bytes).working),
      reads_(static_cast<size_t>(
                 std::max<int64_t>(2, SplitByteLimit(options_.max_inflight_bytes).receiving /
                                          std::max<int64_t>(1, options_.max_message_bytes))),
             options_.max_waiting_reads),
      room_([this](int64_t pending) { return engine_.HasRoom(pending); }, options_.admission_wait,
            options_.max_waiting_for_room),
      unary_{.gate = reads_,
             .line = room_,
             .pressure = pressure_,
             .active = active_calls_,
             .busy = [this] { return engine_.Busy(); },
             .waited = [this] { options_.metrics->AdmissionWait(); },
             .count_error = [this](std::string_view method,
                                   const absl::Status& status) { CountError(method, status); }} {
  // Each answered batch hands its room to the first call waiting for it.
  engine_.OnRoomFreed([this] { room_.RoomFreed(); });
}

IngestionService::~IngestionService() { engine_.OnRoomFreed(nullptr); }

void IngestionService::CountError(std::string_view method, const absl::Status& status) const {
  if (!status.ok()) options_.metrics->RpcError(method, absl::StatusCodeToString(status.code()));
}

grpc::ServerGenericBidiReactor* IngestionService::CreateUnaryReactor(
    grpc::GenericCallbackServerContext* ctx) {
  using Reply = UnaryCallReactor::Reply;
  using Run = UnaryCallReactor::Run;
  constexpr std::string_view kPrefix = "/gym_framework_rpc.EventIngestionService/";
  const std::string& path = ctx->method();
  const std::string_view method =
      path.rfind(kPrefix, 0) == 0 ? std::string_view(path).substr(kPrefix.size()) : "";
  const SystemTime deadline = ctx->deadline();
  Run run;
  // The method names are string literals: `name` stays valid in every callback.
  auto batch = [&]<typename Request>(std::string_view name) {
    return Run([this, name, deadline](grpc::ByteBuffer body, Reply reply) {
      Batch<Request>(name, deadline, body, std::move(reply));
    });
  };
  auto single = [&]<typename Request, typename Item>(std::string_view name) {
    return Run([this, name, deadline](grpc::ByteBuffer body, Reply reply) {
      Single<Request, Item>(name, deadline, body, std::move(reply));
    });
  };
  std::string_view name;
  if (method == "IngestClients") {
    name = "IngestClients";
    run = batch.template operator()<gym_framework_rpc::IngestClientsRequest>(name);
  } else if (method == "IngestTransactions") {
    name = "IngestTransactions";
    run = batch.template operator()<gym_framework_rpc::IngestTransactionsRequest>(name);
  } else if (method == "IngestScores") {
    name = "IngestScores";
    run = batch.template operator()<gym_framework_rpc::IngestScoresRequest>(name);
  } else if (method == "IngestClient") {
    name = "IngestClient";
    run = single.template
          operator()<gym_framework_rpc::IngestClientsRequest, gym_framework_rpc::ClientData>(name);
  } else if (method == "IngestTransaction") {
    name = "IngestTransaction";
    run = single.template operator()<gym_framework_rpc::IngestTransactionsRequest,
                                     gym_framework_rpc::TransactionData>(name);
  } else if (method == "IngestScore") {
    name = "IngestScore";
    run = single.template
          operator()<gym_framework_rpc::IngestScoresRequest, gym_framework_rpc::ScoreData>(name);
  }
  absl::Status admission;
  if (!run) {
    admission = absl::UnimplementedError(fmt::format("unknown method {}", path));
  } else {
    admission = FromGrpcStatus(Admit(ctx));
    CountError(name, admission);
  }
  // Full: the call waits for room, or is refused, before its body is read (reading and
  // parsing calls that cannot be admitted would take CPU from the batches admitted).
  return new UnaryCallReactor(unary_, admission, name, SteadyDeadline(deadline), std::move(run));
}

template <typename Request, typename Response, typename Work>
void IngestionService::Unary(std::string_view method, const grpc::ByteBuffer& wire,
                             std::function<void(const absl::Status&, grpc::ByteBuffer)> reply,
                             Work work) {
  auto fail = [&](const absl::Status& status) {
    CountError(method, status);
    reply(status, grpc::ByteBuffer());
  };
  const int64_t bytes = kMemoryPerWireByte * static_cast<int64_t>(wire.Length());
  if (!bytes_.TryReserve(bytes)) {
    pressure_.Note();
    fail(absl::ResourceExhaustedError(fmt::format(
        "server busy: {} bytes of requests in flight, limit --max-inflight-bytes {}; retry "
        "with backoff",
        bytes_.inflight(), options_.max_inflight_bytes)));
    return;
  }
  // The request is parsed into an arena: a batch's hundreds of item messages are carved
  // from a few blocks instead of allocated one by one, and freed with them at once.
  struct Call {
    Call(bool large, MemoryPressure& pressure, const google::protobuf::ArenaOptions& options)
        : return_memory(large, pressure), arena(options) {}
    ReturnMemoryWhenDone return_memory;  // first: destroyed after the arena and response
    google::protobuf::Arena arena;
    Request* request = google::protobuf::Arena::CreateMessage<Request>(&arena);
    Response response;
  };
  google::protobuf::ArenaOptions arena_options;
  // Parsed messages take about twice their wire size; the blocks after the first double.
  arena_options.start_block_size = std::clamp<size_t>(2 * wire.Length(), 4096, 1 << 20);
  arena_options.max_block_size = 8 << 20;
  auto call = std::make_shared<Call>(static_cast<int64_t>(wire.Length()) >= kLargeRequestBytes,
                                     pressure_, arena_options);
  if (absl::Status s = ParseRequest(wire, *call->request); !s.ok()) {
    bytes_.Release(bytes);
    fail(s);
    return;
  }
  work(*call->request, &call->response,
       [this, call, method, bytes, reply = std::move(reply)](const absl::Status& s) {
         bytes_.Release(bytes);
         grpc::ByteBuffer out;
         if (s.ok()) SerializeReply(call->response, &out);
         CountError(method, s);
         reply(s, std::move(out));
       });
}

template <typename Request>
void IngestionService::Batch(std::string_view method, SystemTime deadline,
                             const grpc::ByteBuffer& wire,
                             std::function<void(const absl::Status&, grpc::ByteBuffer)> reply) {
  Unary<Request, BatchIngestionResponse>(
      method, wire, std::move(reply),
      [this, deadline](const Request& request, BatchIngestionResponse* response,
                       IngestionEngine::Done done) {
        engine_.Ingest(request, deadline, response, std::move(done));
      });
}

// A single event is a batch of one whose batch id is the event id, so a retried event is
// stored once like a retried batch.
template <typename Request, typename Item>
void IngestionService::Single(std::string_view method, SystemTime deadline,
                              const grpc::ByteBuffer& wire,
                              std::function<void(const absl::Status&, grpc::ByteBuffer)> reply) {
  Unary<Item, IngestionResponse>(
      method, wire, std::move(reply),
      [this, deadline](const Item& item, IngestionResponse* response, IngestionEngine::Done done) {
        struct Batch {
          Request request;
          BatchIngestionResponse response;
        };
        auto batch = std::make_shared<Batch>();
        AddItem(batch->request, item);
        // Without a client id the event's id is a new UUID itself (not "<uuid>:0").
        const std::string id = ResolveSingleEventId(item.event_id());
        if (item.event_id().empty()) EventOf(batch->request)->set_event_id(id);
        batch->request.set_batch_id(id);
        engine_.Ingest(
            batch->request, deadline, &batch->response,
            [batch, response, done = std::move(done)](const absl::Status& s) {
              const BatchIngestionResponse& b = batch->response;
              // The id the event is stored under (a derived one when the client's was refused).
              if (b.event_ids_size() == 1) response->set_event_id(b.event_ids(0));
              if (s.ok()) {
                // A retry of a stored event succeeds: the event is there.
                response->set_success(b.items_processed_successfully() == 1 ||
                                      b.items_duplicate() == 1);
                response->set_message(b.rejected_size() > 0 ? b.rejected(0).reason() : b.message());
              }
              done(s);
            });
      });
}

grpc::ServerBidiReactor<gym_framework_rpc::StreamBatch, gym_framework_rpc::StreamAck>*
IngestionService::IngestStream(grpc::CallbackServerContext* ctx) {
  return new IngestStreamReactor(*this, engine_, ctx, Admit(ctx), options_.max_stream_pending);
}

grpc::ServerUnaryReactor* IngestionService::GetStats(grpc::CallbackServerContext* ctx,
                                                     const gym_framework_rpc::StatsRequest*,
                                                     gym_framework_rpc::StatsResponse* response) {
  grpc::ServerUnaryReactor* reactor = NewReactor();
  absl::Status status = FromGrpcStatus(Admit(ctx));
  if (status.ok()) {
    absl::StatusOr<gym_framework_rpc::StatsResponse> stats = engine_.Stats();
    if (stats.ok()) *response = std::move(*stats);
    status = stats.status();
  }
  Finish(reactor, "GetStats", status);
  return reactor;
}

void IngestionService::AddStream(IngestStreamReactor* stream) {
  bool stopped = false;
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    streams_.insert(stream);
    stopped = streams_stopped_;
  }
  if (stopped) stream->RequestStop();
}

void IngestionService::RemoveStream(IngestStreamReactor* stream) {
  std::lock_guard<std::mutex> lock(streams_mu_);
  streams_.erase(stream);
}

void IngestionService::StopStreams() {
  std::vector<IngestStreamReactor*> open;
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    streams_stopped_ = true;
    // A reference each, so a stream that ends meanwhile is not freed under us.
    for (IngestStreamReactor* stream : streams_) {
      stream->Ref();
      open.push_back(stream);
    }
  }
  for (IngestStreamReactor* stream : open) {
    stream->RequestStop();
    stream->Unref();
  }
}

}  // namespace gym
