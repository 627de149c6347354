// Builds the requests of one simulated client before the clock starts, already serialized, so
// the timed loop only hands buffers to gRPC (a grpc::ByteBuffer copy shares its slices) and the
// client stays cheap next to the server it measures.
//
// Data comes from the mock generator: client rows are MockGenerator::Client(id - 1) with our
// id; transactions are NewTransaction rows whose cliente_id is drawn (deterministically, from the
// transaction id) among the clients of the batch just sent; scores are Score(cpf) for the CPFs
// this simulated client sent. Every row is a pure function of (seed, id), so a run is
// reproducible whatever the thread that prepares it.
#ifndef GYM_LOADTEST_REQUEST_BUILDER_H_
#define GYM_LOADTEST_REQUEST_BUILDER_H_

#include <string>
#include <string_view>
#include <vector>

#include "grpcpp/support/byte_buffer.h"
#include "gym/datagen/generator.h"
#include "gym/loadtest/workload.h"

namespace gym::loadtest {

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

// Prepares the whole plan of simulated client `client_index`, in sending order.
std::vector<PreparedBatch> PrepareClientRequests(const MockGenerator& generator,
                                                 const std::vector<BatchSpec>& plan,
                                                 int client_index, std::string_view run_id,
                                                 RpcKind rpc);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_REQUEST_BUILDER_H_
