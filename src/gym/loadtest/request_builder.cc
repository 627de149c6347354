// Serialized requests of one simulated client (see request_builder.h).
#include "gym/loadtest/request_builder.h"

#include <array>
#include <chrono>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/support/slice.h"
#include "gym/datagen/cpf_sequence.h"
#include "gym/datagen/rng.h"
#include "gym/proto/event_ingestion_service.pb.h"

namespace gym::loadtest {
namespace {

namespace rpc = ::gym_framework_rpc;

grpc::ByteBuffer Serialize(const google::protobuf::MessageLite& message) {
  std::string bytes = message.SerializeAsString();
  grpc::Slice slice(std::move(bytes));
  return grpc::ByteBuffer(&slice, 1);
}

// The transaction overload is public (request_builder.h); the helpers below see it beside
// these.
using ::gym::loadtest::Fill;

void Fill(const MockClient& c, rpc::ClientData* out) {
  out->set_id(c.id);
  out->set_nome(c.nome);
  out->set_cpf(c.cpf);
  out->set_data_nascimento(c.data_nascimento);
  out->set_endereco(c.endereco);
}

void Fill(const MockScore& s, rpc::ScoreData* out) {
  out->set_cpf(s.cpf);
  out->set_score(s.score);
  out->set_renda_mensal(s.renda_mensal);
  out->set_limite_credito(s.limite_credito);
  out->set_data_ultima_atualizacao(s.data_ultima_atualizacao);
}

// Builds one batch. Rows that reference earlier batches (a transaction's client, a score's
// CPF) are recomputed from the id layout instead of remembered, so batches build in any order.
class BatchWriter final {
 public:
  BatchWriter(const MockGenerator& gen, const IdLayout& ids, int client_index, RpcKind rpc,
              const std::string& emitted, const EventIdSource& event_ids, uint64_t first_event)
      : gen_(gen),
        ids_(ids),
        client_index_(client_index),
        rpc_(rpc),
        emitted_(emitted),
        event_ids_(event_ids),
        first_event_(first_event) {}

  void Write(PreparedBatch& batch) const {
    const BatchSpec& s = batch.spec;
    rpc::StreamBatch stream;
    stream.set_sequence(batch.sequence);
    switch (s.type) {
      case BatchType::kClients: {
        rpc::IngestClientsRequest* req = stream.mutable_clients();
        Header(batch, req);
        for (int j = 0; j < s.items; ++j) {
          const int64_t id = s.first_id + j;
          MockClient c = gen_.Client(GeneratorRow(id));
          c.id = id;
          rpc::ClientData* item = req->add_clients();
          Fill(c, item);
          SetEventId(j, item);
        }
        Emit(batch, stream, req->clients());
        break;
      }
      case BatchType::kTransactions: {
        rpc::IngestTransactionsRequest* req = stream.mutable_transactions();
        Header(batch, req);
        for (int j = 0; j < s.items; ++j) {
          const int64_t id = s.first_id + j;
          MockRng pick =
              MockRng::ForRow(gen_.seed(), MockStream::kClientPick, static_cast<uint64_t>(id));
          const int64_t ref = s.ref_first_local +
                              static_cast<int64_t>(pick.Below(static_cast<uint64_t>(s.ref_count)));
          rpc::TransactionData* item = req->add_transactions();
          Fill(gen_.NewTransaction(id, ids_.Id(client_index_, ref)), item);
          SetEventId(j, item);
        }
        Emit(batch, stream, req->transactions());
        break;
      }
      case BatchType::kScores: {
        rpc::IngestScoresRequest* req = stream.mutable_scores();
        Header(batch, req);
        // Scores come after every client batch: the CPFs sent are those of local clients
        // 0 .. ref_count - 1.
        for (int j = 0; j < s.items; ++j) {
          const int64_t local = (s.first_local + j) % s.ref_count;
          rpc::ScoreData* item = req->add_scores();
          Fill(gen_.Score(gen_.Cpf(GeneratorRow(ids_.Id(client_index_, local)))), item);
          SetEventId(j, item);
        }
        Emit(batch, stream, req->scores());
        break;
      }
    }
  }

 private:
  // The mock generator's row of the client with id `id` (see IdLayout).
  static int64_t GeneratorRow(int64_t id) {
    return (id - 1) % static_cast<int64_t>(CpfSequence::kCapacity);
  }

  // Derived mode leaves the field empty: the server then derives "<batch_id>:<index>".
  template <typename Item>
  void SetEventId(int j, Item* item) const {
    if (event_ids_.mode() == EventIdMode::kDerived) return;
    item->set_event_id(event_ids_.For(first_event_ + static_cast<uint64_t>(j)));
  }

  template <typename Request>
  void Header(const PreparedBatch& batch, Request* req) const {
    req->set_batch_id(batch.batch_id);
    req->set_emission_timestamp_iso(emitted_);
  }

  template <typename Items>
  void Emit(PreparedBatch& batch, const rpc::StreamBatch& stream, const Items& items) const {
    switch (rpc_) {
      case RpcKind::kStream:
        batch.payloads.push_back(Serialize(stream));
        break;
      case RpcKind::kBatch:
        batch.payloads.push_back(Serialize(BatchOf(stream)));
        break;
      case RpcKind::kSingle:
        batch.payloads.reserve(static_cast<size_t>(items.size()));
        for (const auto& item : items) batch.payloads.push_back(Serialize(item));
        break;
    }
  }

  static const google::protobuf::MessageLite& BatchOf(const rpc::StreamBatch& stream) {
    if (stream.has_clients()) return stream.clients();
    if (stream.has_transactions()) return stream.transactions();
    return stream.scores();
  }

  const MockGenerator& gen_;
  const IdLayout& ids_;
  int client_index_;
  RpcKind rpc_;
  const std::string& emitted_;
  const EventIdSource& event_ids_;
  uint64_t first_event_;
};

}  // namespace

void Fill(const MockTransaction& t, rpc::TransactionData* out) {
  out->set_id(t.id);
  out->set_cliente_id(t.cliente_id);
  out->set_data(t.data);
  out->set_valor(t.valor);
  out->set_moeda(t.moeda);
  if (t.categoria) out->set_categoria(*t.categoria);
}

const std::string& MethodFor(RpcKind rpc, BatchType type) {
  static const std::string kPrefix = "/gym_framework_rpc.EventIngestionService/";
  static const std::array<std::string, 3> kBatch = {
      kPrefix + "IngestClients", kPrefix + "IngestTransactions", kPrefix + "IngestScores"};
  static const std::array<std::string, 3> kSingle = {
      kPrefix + "IngestClient", kPrefix + "IngestTransaction", kPrefix + "IngestScore"};
  static const std::string kStream = kPrefix + "IngestStream";
  const auto i = static_cast<size_t>(type);
  switch (rpc) {
    case RpcKind::kBatch:
      return kBatch[i];
    case RpcKind::kSingle:
      return kSingle[i];
    case RpcKind::kStream:
      return kStream;
  }
  return kBatch[i];
}

ClientRequests::ClientRequests(const MockGenerator& generator, const WorkloadShape& shape,
                               const IdLayout& ids, int client_index, std::string run_id,
                               RpcKind rpc, EventIdSource event_ids)
    : generator_(generator),
      plan_(PlanClientWorkload(shape, ids, client_index)),
      ids_(ids),
      client_index_(client_index),
      run_id_(std::move(run_id)),
      rpc_(rpc),
      emitted_(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone())),
      event_ids_(std::move(event_ids)) {
  first_event_.reserve(plan_.size());
  uint64_t events = 0;
  for (const BatchSpec& s : plan_) {
    first_event_.push_back(events);
    events += static_cast<uint64_t>(s.items);
  }
}

PreparedBatch ClientRequests::Build(size_t k) const {
  PreparedBatch batch;
  batch.spec = plan_[k];
  batch.batch_id = BatchId(run_id_, client_index_, batch.spec.type, batch.spec.ordinal);
  batch.sequence = k;
  BatchWriter(generator_, ids_, client_index_, rpc_, emitted_, event_ids_, first_event_[k])
      .Write(batch);
  return batch;
}

}  // namespace gym::loadtest
