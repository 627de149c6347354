// The gRPC face of gym serve: gym_framework_rpc.EventIngestionService on the callback API.
//
// Both generations of the seed's RPCs (single events; batches) and our extensions (the
// IngestStream bidi stream, GetStats). The six unary ingestion methods take the request as
// raw bytes, so a call is checked before any work is spent on its body: first the bearer
// token, then the byte admission (--max-inflight-bytes), and only then is the body parsed. A
// body that does not parse is INVALID_ARGUMENT with a reason (gRPC's own handler would answer
// without one). Unary calls Finish from the completion of their batch (after the COMMIT);
// each stream has its own reactor, freed in OnDone.
#ifndef GYM_SERVER_INGESTION_SERVICE_H_
#define GYM_SERVER_INGESTION_SERVICE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "grpcpp/grpcpp.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/server/byte_admission.h"
#include "gym/server/ingestion_engine.h"
#include "gym/server/server_metrics.h"

namespace gym {

class IngestStreamReactor;

struct ServiceOptions {
  std::string auth_token;            // empty: no authentication
  ServerMetrics* metrics = nullptr;  // REQUIRES: not null, outlives the service
  size_t max_stream_pending = 64;    // batches in flight per stream before reading pauses
  // Memory the requests being worked on may take (about 4x their wire size).
  int64_t max_inflight_bytes = 64 << 20;
};

namespace internal {
using Rpc = gym_framework_rpc::EventIngestionService;
// The generated service with the six unary ingestion methods on raw bytes.
using RawIngestionService = Rpc::WithRawCallbackMethod_IngestClient<
    Rpc::WithRawCallbackMethod_IngestTransaction<Rpc::WithRawCallbackMethod_IngestScore<
        Rpc::WithRawCallbackMethod_IngestClients<Rpc::WithRawCallbackMethod_IngestTransactions<
            Rpc::WithRawCallbackMethod_IngestScores<Rpc::CallbackService>>>>>>;
}  // namespace internal

class IngestionService final : public internal::RawIngestionService {
 public:
  // REQUIRES: `engine` outlives the service and every call in progress.
  IngestionService(IngestionEngine& engine, ServiceOptions options)
      : engine_(engine), options_(std::move(options)), bytes_(options_.max_inflight_bytes) {}

  grpc::ServerUnaryReactor* IngestClient(grpc::CallbackServerContext* ctx,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* IngestTransaction(grpc::CallbackServerContext* ctx,
                                              const grpc::ByteBuffer* request,
                                              grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* IngestScore(grpc::CallbackServerContext* ctx,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* IngestClients(grpc::CallbackServerContext* ctx,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* IngestTransactions(grpc::CallbackServerContext* ctx,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* IngestScores(grpc::CallbackServerContext* ctx,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

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
  // Admission, parse, `run(call, done)`, reply: the shape of every unary ingestion call.
  template <typename Request, typename Response, typename Run>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                  const grpc::ByteBuffer* wire, grpc::ByteBuffer* reply, Run run);
  template <typename Request>
  grpc::ServerUnaryReactor* Batch(grpc::CallbackServerContext* ctx, std::string_view method,
                                  const grpc::ByteBuffer* wire, grpc::ByteBuffer* reply);
  template <typename Request, typename Item>
  grpc::ServerUnaryReactor* Single(grpc::CallbackServerContext* ctx, std::string_view method,
                                   const grpc::ByteBuffer* wire, grpc::ByteBuffer* reply);

  // A reactor for one unary call, counted in active_calls_ until gRPC is done with it.
  grpc::ServerUnaryReactor* NewReactor();
  void AddStream(IngestStreamReactor* stream);
  void RemoveStream(IngestStreamReactor* stream);

  IngestionEngine& engine_;
  ServiceOptions options_;
  ByteAdmission bytes_;
  std::atomic<int64_t> active_calls_{0};
  std::mutex streams_mu_;
  std::set<IngestStreamReactor*> streams_;
  bool streams_stopped_ = false;
};

}  // namespace gym

#endif  // GYM_SERVER_INGESTION_SERVICE_H_
