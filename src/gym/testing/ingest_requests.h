// Requests that end-to-end tests send to `gym serve` (the binary that includes this links
// gym_proto): a call context with a deadline, and a batch of valid transactions.
//
//   stub->IngestTransactions(CallContext().get(), TransactionBatch("b1", 5), &response);
#ifndef GYM_TESTING_INGEST_REQUESTS_H_
#define GYM_TESTING_INGEST_REQUESTS_H_

#include <chrono>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gym/proto/event_ingestion_service.pb.h"

namespace gym::testing {

// A context whose call gives up after 30 s: a test that hangs fails instead.
inline std::unique_ptr<grpc::ClientContext> CallContext() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

// `n` valid transactions (ids 1..n, values 10, 11, ...) under `batch_id`.
inline gym_framework_rpc::IngestTransactionsRequest TransactionBatch(const std::string& batch_id,
                                                                     int n) {
  gym_framework_rpc::IngestTransactionsRequest r;
  r.set_batch_id(batch_id);
  for (int i = 0; i < n; ++i) {
    auto* t = r.add_transactions();
    t->set_id(i + 1);
    t->set_cliente_id(1);
    t->set_data("2026-11-25");
    t->set_valor(10.0 + i);
    t->set_moeda("BRL");
  }
  return r;
}

}  // namespace gym::testing

#endif  // GYM_TESTING_INGEST_REQUESTS_H_
