// The gRPC face of gym serve: gym_framework_rpc.EventIngestionService on the callback API.
//
// Both generations of the seed's RPCs (single events; batches) and our extensions (the
// IngestStream bidi stream, GetStats). Unary calls use the context's default reactor and
// Finish from the completion of their batch (after the COMMIT); each stream has its own
// reactor, freed in OnDone. Every call first checks the bearer token (when one is set) and
// whether the client has already gone.
#ifndef GYM_SERVER_INGESTION_SERVICE_H_
#define GYM_SERVER_INGESTION_SERVICE_H_

#include <cstddef>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"
#include "gym/server/ingestion_engine.h"

namespace gym {

struct ServiceOptions {
  std::string auth_token;          // empty: no authentication
  size_t max_stream_pending = 64;  // batches in flight per stream before reading pauses
};

class IngestionService final
    : public gym_framework_rpc::EventIngestionService::CallbackService {
 public:
  // REQUIRES: `engine` outlives the service and every call in progress.
  IngestionService(IngestionEngine& engine, ServiceOptions options)
      : engine_(engine), options_(std::move(options)) {}

  grpc::ServerUnaryReactor* IngestClient(grpc::CallbackServerContext* ctx,
                                         const gym_framework_rpc::ClientData* request,
                                         gym_framework_rpc::IngestionResponse* response) override;
  grpc::ServerUnaryReactor* IngestTransaction(
      grpc::CallbackServerContext* ctx, const gym_framework_rpc::TransactionData* request,
      gym_framework_rpc::IngestionResponse* response) override;
  grpc::ServerUnaryReactor* IngestScore(grpc::CallbackServerContext* ctx,
                                        const gym_framework_rpc::ScoreData* request,
                                        gym_framework_rpc::IngestionResponse* response) override;

  grpc::ServerUnaryReactor* IngestClients(
      grpc::CallbackServerContext* ctx, const gym_framework_rpc::IngestClientsRequest* request,
      gym_framework_rpc::BatchIngestionResponse* response) override;
  grpc::ServerUnaryReactor* IngestTransactions(
      grpc::CallbackServerContext* ctx,
      const gym_framework_rpc::IngestTransactionsRequest* request,
      gym_framework_rpc::BatchIngestionResponse* response) override;
  grpc::ServerUnaryReactor* IngestScores(
      grpc::CallbackServerContext* ctx, const gym_framework_rpc::IngestScoresRequest* request,
      gym_framework_rpc::BatchIngestionResponse* response) override;

  grpc::ServerBidiReactor<gym_framework_rpc::StreamBatch, gym_framework_rpc::StreamAck>*
  IngestStream(grpc::CallbackServerContext* ctx) override;

  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* ctx,
                                     const gym_framework_rpc::StatsRequest* request,
                                     gym_framework_rpc::StatsResponse* response) override;

 private:
  // OK, UNAUTHENTICATED, or CANCELLED when the client has already given up.
  grpc::Status Admit(grpc::CallbackServerContext* ctx) const;
  template <typename Request>
  grpc::ServerUnaryReactor* Batch(grpc::CallbackServerContext* ctx, const Request* request,
                                  gym_framework_rpc::BatchIngestionResponse* response);
  template <typename Request, typename Item>
  grpc::ServerUnaryReactor* Single(grpc::CallbackServerContext* ctx, const Item* item,
                                   gym_framework_rpc::IngestionResponse* response);

  IngestionEngine& engine_;
  ServiceOptions options_;
};

}  // namespace gym

#endif  // GYM_SERVER_INGESTION_SERVICE_H_
