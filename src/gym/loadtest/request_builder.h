// Builds the requests of one simulated client, already serialized, one batch at a time: the
// session builds as many as its share of --prebuild-mib allows before the clock starts and the
// rest when their turn comes, never more than that budget (150 closed-loop clients of the
// seed's workload held 1.6 GB when every batch was built up front).
//
// Data comes from the mock generator: client rows are MockGenerator::Client(id - 1) with our
// id; transactions are NewTransaction rows whose cliente_id is drawn (deterministically, from the
// transaction id) among the clients of the batch just sent; scores are Score(cpf) for the CPFs
// this simulated client sent. Every row is a pure function of (seed, id), so batch k of a client
// is the same whenever, wherever and however often it is built. So are its event ids
// (event_ids.h): event j of batch k is the client's event number (events of batches 0..k-1) + j,
// and its id is a function of that number, so a rebuilt or resent batch keeps its ids.
//
//   ClientRequests requests(generator, shape, ids, /*client_index=*/3, "r42", RpcKind::kBatch);
//   PreparedBatch first = requests.Build(0);
#ifndef GYM_LOADTEST_REQUEST_BUILDER_H_
#define GYM_LOADTEST_REQUEST_BUILDER_H_

#include <string>
#include <vector>

#include "grpcpp/support/byte_buffer.h"
#include "gym/datagen/generator.h"
#include "gym/loadtest/event_ids.h"
#include "gym/loadtest/workload.h"

namespace gym_framework_rpc {
class TransactionData;
}  // namespace gym_framework_rpc

namespace gym::loadtest {

// Copies a mock transaction into its wire form (the prefill sends them too).
void Fill(const MockTransaction& t, gym_framework_rpc::TransactionData* out);

// Which generation of the API a run drives.
enum class RpcKind {
  kBatch,   // IngestClients / IngestTransactions / IngestScores
  kSingle,  // IngestClient / IngestTransaction / IngestScore, one call per item
  kStream,  // IngestStream, one StreamBatch per batch
};

struct PreparedBatch {
  BatchSpec spec;
  std::string batch_id;
  uint64_t sequence = 0;  // position in the client's plan; the stream's sequence number
  // kBatch and kStream: one request. kSingle: one request per item.
  std::vector<grpc::ByteBuffer> payloads;
};

// The full gRPC method name ("/gym_framework_rpc.EventIngestionService/IngestScores").
const std::string& MethodFor(RpcKind rpc, BatchType type);

// The plan of one simulated client and the means to serialize any batch of it.
class ClientRequests final {
 public:
  // `generator` must outlive this object. `event_ids` names each item's event_id (derived:
  // none, the server derives it from the batch id).
  ClientRequests(const MockGenerator& generator, const WorkloadShape& shape, const IdLayout& ids,
                 int client_index, std::string run_id, RpcKind rpc,
                 EventIdSource event_ids = EventIdSource(EventIdMode::kDerived, 0, ""));

  size_t size() const { return plan_.size(); }
  const BatchSpec& spec(size_t k) const { return plan_[k]; }
  // Batch k of the plan (its sequence is k), serialized. Thread-safe; the emission timestamp
  // is fixed at construction, so two builds of one batch carry the same bytes.
  // REQUIRES: k < size().
  PreparedBatch Build(size_t k) const;

 private:
  const MockGenerator& generator_;
  std::vector<BatchSpec> plan_;
  IdLayout ids_;
  int client_index_;
  std::string run_id_;
  RpcKind rpc_;
  std::string emitted_;
  EventIdSource event_ids_;
  std::vector<uint64_t> first_event_;  // per batch: the client's events sent before it
};

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_REQUEST_BUILDER_H_
