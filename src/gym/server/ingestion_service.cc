// EventIngestionService on the gRPC callback API (see ingestion_service.h).
#include "gym/server/ingestion_service.h"

#include <memory>
#include <utility>

#include "gym/server/auth.h"
#include "gym/server/ids.h"
#include "gym/server/ingest_stream_reactor.h"
#include "gym/server/status_mapping.h"

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

}  // namespace

grpc::Status IngestionService::Admit(grpc::CallbackServerContext* ctx) const {
  if (grpc::Status s = CheckBearer(ctx->client_metadata(), options_.auth_token); !s.ok()) {
    return s;
  }
  if (ctx->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled");
  return grpc::Status::OK;
}

template <typename Request>
grpc::ServerUnaryReactor* IngestionService::Batch(grpc::CallbackServerContext* ctx,
                                                  const Request* request,
                                                  BatchIngestionResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (grpc::Status s = Admit(ctx); !s.ok()) {
    reactor->Finish(s);
    return reactor;
  }
  engine_.Ingest(*request, ctx->deadline(), response,
                 [reactor](const absl::Status& s) { reactor->Finish(ToGrpcStatus(s)); });
  return reactor;
}

// A single event is a batch of one whose batch id is the event id, so a retried event is
// stored once like a retried batch.
template <typename Request, typename Item>
grpc::ServerUnaryReactor* IngestionService::Single(grpc::CallbackServerContext* ctx,
                                                   const Item* item,
                                                   IngestionResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (grpc::Status s = Admit(ctx); !s.ok()) {
    reactor->Finish(s);
    return reactor;
  }
  struct Call {
    Request request;
    BatchIngestionResponse batch;
  };
  auto call = std::make_shared<Call>();
  const std::string event_id = ResolveSingleEventId(item->event_id());
  AddItem(call->request, *item);
  call->request.set_batch_id(event_id);
  response->set_event_id(event_id);
  engine_.Ingest(call->request, ctx->deadline(), &call->batch,
                 [call, reactor, response](const absl::Status& s) {
                   if (s.ok()) {
                     const BatchIngestionResponse& b = call->batch;
                     const bool stored = b.success() && b.items_processed_successfully() == 1;
                     response->set_success(stored);
                     response->set_message(b.rejected_size() > 0 ? b.rejected(0).reason()
                                                                 : b.message());
                   }
                   reactor->Finish(ToGrpcStatus(s));
                 });
  return reactor;
}

grpc::ServerUnaryReactor* IngestionService::IngestClient(grpc::CallbackServerContext* ctx,
                                                         const gym_framework_rpc::ClientData* r,
                                                         IngestionResponse* response) {
  return Single<gym_framework_rpc::IngestClientsRequest>(ctx, r, response);
}

grpc::ServerUnaryReactor* IngestionService::IngestTransaction(
    grpc::CallbackServerContext* ctx, const gym_framework_rpc::TransactionData* r,
    IngestionResponse* response) {
  return Single<gym_framework_rpc::IngestTransactionsRequest>(ctx, r, response);
}

grpc::ServerUnaryReactor* IngestionService::IngestScore(grpc::CallbackServerContext* ctx,
                                                        const gym_framework_rpc::ScoreData* r,
                                                        IngestionResponse* response) {
  return Single<gym_framework_rpc::IngestScoresRequest>(ctx, r, response);
}

grpc::ServerUnaryReactor* IngestionService::IngestClients(
    grpc::CallbackServerContext* ctx, const gym_framework_rpc::IngestClientsRequest* r,
    BatchIngestionResponse* response) {
  return Batch(ctx, r, response);
}

grpc::ServerUnaryReactor* IngestionService::IngestTransactions(
    grpc::CallbackServerContext* ctx, const gym_framework_rpc::IngestTransactionsRequest* r,
    BatchIngestionResponse* response) {
  return Batch(ctx, r, response);
}

grpc::ServerUnaryReactor* IngestionService::IngestScores(
    grpc::CallbackServerContext* ctx, const gym_framework_rpc::IngestScoresRequest* r,
    BatchIngestionResponse* response) {
  return Batch(ctx, r, response);
}

grpc::ServerBidiReactor<gym_framework_rpc::StreamBatch, gym_framework_rpc::StreamAck>*
IngestionService::IngestStream(grpc::CallbackServerContext* ctx) {
  return new IngestStreamReactor(engine_, ctx, Admit(ctx), options_.max_stream_pending);
}

grpc::ServerUnaryReactor* IngestionService::GetStats(grpc::CallbackServerContext* ctx,
                                                     const gym_framework_rpc::StatsRequest*,
                                                     gym_framework_rpc::StatsResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  grpc::Status status = Admit(ctx);
  if (status.ok()) {
    absl::StatusOr<gym_framework_rpc::StatsResponse> stats = engine_.Stats();
    if (stats.ok()) *response = std::move(*stats);
    status = ToGrpcStatus(stats.status());
  }
  reactor->Finish(status);
  return reactor;
}

}  // namespace gym
