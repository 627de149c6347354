// The gRPC face of gym serve: gym_framework_rpc.EventIngestionService on the callback API.
//
// Both generations of the seed's RPCs (single events; batches) and our extensions (the
// IngestStream bidi stream, GetStats). The six unary ingestion methods are served through
// gRPC's generic callback API (UnaryCallReactor), so a call is checked before its body is even
// received: the bearer token from the headers, then a read slot (ReadGate); then the body is
// read, its memory admitted (ByteAdmission), and only then parsed. A body that does not parse
// is INVALID_ARGUMENT with a reason (gRPC's own handler would answer without one). Unary calls
// are answered from the completion of their batch (after the COMMIT); each stream has its own
// reactor, freed in OnDone.
//
// --max-inflight-bytes is split in two: half for bodies being received (in slots of
// --max-message-bytes, since gRPC holds a whole message before anyone can look at it), half
// for requests being worked on (each counted at four times its size on the wire).
#ifndef GYM_SERVER_INGESTION_SERVICE_H_
#define GYM_SERVER_INGESTION_SERVICE_H_

#include <atomic>
#include <chrono>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/server/byte_admission.h"
#include "gym/server/ingestion_engine.h"
#include "gym/server/memory_return.h"
#include "gym/server/read_gate.h"
#include "gym/server/room_line.h"
#include "gym/server/server_metrics.h"
#include "gym/server/unary_call_reactor.h"

namespace gym {

class IngestStreamReactor;

struct ServiceOptions {
  std::string auth_token;            // empty: no authentication
  ServerMetrics* metrics = nullptr;  // REQUIRES: not null, outlives the service
  size_t max_stream_pending = 64;    // batches in flight per stream before reading pauses
  // Memory the requests being worked on may take (about 4x their wire size).
  int64_t max_inflight_bytes = 64 << 20;
  int64_t max_message_bytes = 10 << 20;
  size_t max_waiting_reads = 4096;  // calls waiting for a read slot before RESOURCE_EXHAUSTED
  // How long a call may wait, unread, for --max-inflight room before RESOURCE_EXHAUSTED (0:
  // refused at once); see room_line.h.
  std::chrono::nanoseconds admission_wait = std::chrono::milliseconds(100);
  size_t max_waiting_for_room = 4096;  // the longest such line
};

namespace internal {
using Rpc = gym_framework_rpc::EventIngestionService;
// The generated service without the six unary ingestion methods: the generic front serves them.
using StreamAndStatsService = Rpc::WithGenericMethod_IngestClient<
    Rpc::WithGenericMethod_IngestTransaction<Rpc::WithGenericMethod_IngestScore<
        Rpc::WithGenericMethod_IngestClients<Rpc::WithGenericMethod_IngestTransactions<
            Rpc::WithGenericMethod_IngestScores<Rpc::CallbackService>>>>>>;
}  // namespace internal

class IngestionService final : public internal::StreamAndStatsService {
 public:
  // REQUIRES: `engine` outlives the service and every call in progress.
  IngestionService(IngestionEngine& engine, ServiceOptions options);
  ~IngestionService();

  // Register both: builder.RegisterService(&s); builder.RegisterCallbackGenericService(
  // s.unary_front()).
  grpc::CallbackGenericService* unary_front() { return &front_; }

  grpc::ServerBidiReactor<gym_framework_rpc::StreamBatch, gym_framework_rpc::StreamAck>*
  IngestStream(grpc::CallbackServerContext* ctx) override;

  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* ctx,
                                     const gym_framework_rpc::StatsRequest* request,
                                     gym_framework_rpc::StatsResponse* response) override;

  // Shutdown: every open stream finishes once the batches it has read are acknowledged, with
  // UNAVAILABLE (reconnect elsewhere), instead of holding the server until its drain timeout.
  void StopStreams();
  // Waits until no call or stream is open (every answer has been handed to gRPC), or until
  // `deadline`. True when idle.
  bool WaitIdle(std::chrono::steady_clock::time_point deadline);

 private:
  friend class IngestStreamReactor;

  // OK, UNAUTHENTICATED, or CANCELLED when the client has already given up.
  grpc::Status Admit(grpc::CallbackServerContext* ctx) const;
  // Finishes a unary call, counting a non-OK status under the method's name.
  void Finish(grpc::ServerUnaryReactor* reactor, std::string_view method,
              const absl::Status& status) const;
  void CountError(std::string_view method, const absl::Status& status) const;

  // The generic front's reactor for a call to `ctx->method()`.
  grpc::ServerGenericBidiReactor* CreateUnaryReactor(grpc::GenericCallbackServerContext* ctx);
  // Memory admission, parse, `work(request, response, done)`, reply: every unary ingestion call
  // after its body is read.
  template <typename Request, typename Response, typename Work>
  void Unary(std::string_view method, const grpc::ByteBuffer& wire,
             std::function<void(const absl::Status&, grpc::ByteBuffer)> reply, Work work);
  template <typename Request>
  void Batch(std::string_view method, SystemTime deadline, const grpc::ByteBuffer& wire,
             std::function<void(const absl::Status&, grpc::ByteBuffer)> reply);
  template <typename Request, typename Item>
  void Single(std::string_view method, SystemTime deadline, const grpc::ByteBuffer& wire,
              std::function<void(const absl::Status&, grpc::ByteBuffer)> reply);

  class Front final : public grpc::CallbackGenericService {
   public:
    explicit Front(IngestionService& service) : service_(service) {}
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* ctx) override {
      return service_.CreateUnaryReactor(ctx);
    }

   private:
    IngestionService& service_;
  };

  // A reactor for one unary call, counted in active_calls_ until gRPC is done with it.
  grpc::ServerUnaryReactor* NewReactor();
  void AddStream(IngestStreamReactor* stream);
  void RemoveStream(IngestStreamReactor* stream);

  IngestionEngine& engine_;
  ServiceOptions options_;
  ByteAdmission bytes_;
  ReadGate reads_;
  MemoryPressure pressure_;  // noted when bytes_ or reads_ refuse or queue a call
  Front front_{*this};
  std::atomic<int64_t> active_calls_{0};
  RoomLine room_;  // after what its waiters' answers use
  UnaryCallReactor::Shared unary_;
  std::mutex streams_mu_;
  std::set<IngestStreamReactor*> streams_;
  bool streams_stopped_ = false;
};

}  // namespace gym

#endif  // GYM_SERVER_INGESTION_SERVICE_H_
