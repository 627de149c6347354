// Wire messages -> Frames (see proto_frame.h). Columns are filled directly, one typed vector
// each, since this runs for every event the server receives.
#include "gym/server/proto_frame.h"

#include <utility>

#include "google/protobuf/util/json_util.h"

namespace gym {
namespace {

using gym_framework_rpc::ClientData;
using gym_framework_rpc::ScoreData;
using gym_framework_rpc::TransactionData;

// Appends event_id, batch_id and ingested_at for `rows` and builds the frame.
Frame Finish(std::vector<std::string> names, std::vector<Column> columns,
             std::span<const uint32_t> rows, const BatchContext& ctx) {
  std::vector<std::string> event_ids;
  event_ids.reserve(rows.size());
  for (uint32_t row : rows) event_ids.push_back(ctx.event_ids[row]);
  names.insert(names.end(), {"event_id", "batch_id", "ingested_at"});
  columns.push_back(Column::Strings(std::move(event_ids)));
  columns.push_back(
      Column::Strings(std::vector<std::string>(rows.size(), std::string(ctx.batch_id))));
  columns.push_back(
      Column::Strings(std::vector<std::string>(rows.size(), std::string(ctx.ingested_at))));
  return Frame(std::move(names), std::move(columns));
}

template <typename T>
std::vector<T> Reserved(size_t n) {
  std::vector<T> v;
  v.reserve(n);
  return v;
}

}  // namespace

Frame ClientsToFrame(const Items<ClientData>& items, std::span<const uint32_t> rows,
                   const BatchContext& ctx) {
  const size_t n = rows.size();
  auto id = Reserved<int64_t>(n);
  auto nome = Reserved<std::string>(n), cpf = Reserved<std::string>(n),
       nascimento = Reserved<std::string>(n), endereco = Reserved<std::string>(n);
  for (uint32_t row : rows) {
    const ClientData& c = items.Get(static_cast<int>(row));
    id.push_back(c.id());
    nome.push_back(c.nome());
    cpf.push_back(c.cpf());
    nascimento.push_back(c.data_nascimento());
    endereco.push_back(c.endereco());
  }
  return Finish({"id", "nome", "cpf", "data_nascimento", "endereco"},
                {Column::Ints(std::move(id)), Column::Strings(std::move(nome)),
                 Column::Strings(std::move(cpf)), Column::Strings(std::move(nascimento)),
                 Column::Strings(std::move(endereco))},
                rows, ctx);
}

Frame TransactionsToFrame(const Items<TransactionData>& items, std::span<const uint32_t> rows,
                        const BatchContext& ctx) {
  const size_t n = rows.size();
  auto id = Reserved<int64_t>(n), cliente = Reserved<int64_t>(n);
  auto data = Reserved<std::string>(n), moeda = Reserved<std::string>(n);
  auto valor = Reserved<double>(n);
  Column categoria(DataType::kString);
  categoria.Reserve(n);
  for (uint32_t row : rows) {
    const TransactionData& t = items.Get(static_cast<int>(row));
    id.push_back(t.id());
    cliente.push_back(t.cliente_id());
    data.push_back(t.data());
    valor.push_back(t.valor());
    moeda.push_back(t.moeda());
    if (t.has_categoria()) {
      categoria.AppendString(t.categoria());
    } else {
      categoria.AppendNull();
    }
  }
  return Finish({"id", "cliente_id", "data", "valor", "moeda", "categoria"},
                {Column::Ints(std::move(id)), Column::Ints(std::move(cliente)),
                 Column::Strings(std::move(data)), Column::Doubles(std::move(valor)),
                 Column::Strings(std::move(moeda)), std::move(categoria)},
                rows, ctx);
}

Frame ScoresToFrame(const Items<ScoreData>& items, std::span<const uint32_t> rows,
                  const BatchContext& ctx) {
  const size_t n = rows.size();
  auto cpf = Reserved<std::string>(n), updated = Reserved<std::string>(n);
  auto score = Reserved<int64_t>(n);
  auto renda = Reserved<double>(n), limite = Reserved<double>(n);
  for (uint32_t row : rows) {
    const ScoreData& s = items.Get(static_cast<int>(row));
    cpf.push_back(s.cpf());
    score.push_back(s.score());
    renda.push_back(s.renda_mensal());
    limite.push_back(s.limite_credito());
    updated.push_back(s.data_ultima_atualizacao());
  }
  return Finish({"cpf", "score", "renda_mensal", "limite_credito", "data_ultima_atualizacao"},
                {Column::Strings(std::move(cpf)), Column::Ints(std::move(score)),
                 Column::Doubles(std::move(renda)), Column::Doubles(std::move(limite)),
                 Column::Strings(std::move(updated))},
                rows, ctx);
}

Frame RejectedToFrame(EventType type, const std::vector<RejectedRow>& rejected,
                    const BatchContext& ctx) {
  const size_t n = rejected.size();
  auto event_id = Reserved<std::string>(n), reason = Reserved<std::string>(n),
       payload = Reserved<std::string>(n);
  auto index = Reserved<int64_t>(n);
  for (const RejectedRow& r : rejected) {
    event_id.push_back(ctx.event_ids[r.index]);
    index.push_back(r.index);
    reason.push_back(r.reason);
    payload.push_back(r.payload);
  }
  return Frame({"event_id", "batch_id", "type", "item_index", "reason", "payload", "ingested_at"},
               {Column::Strings(std::move(event_id)),
                Column::Strings(std::vector<std::string>(n, std::string(ctx.batch_id))),
                Column::Strings(std::vector<std::string>(n, std::string(EventTypeName(type)))),
                Column::Ints(std::move(index)), Column::Strings(std::move(reason)),
                Column::Strings(std::move(payload)),
                Column::Strings(std::vector<std::string>(n, std::string(ctx.ingested_at)))});
}

std::string ItemJson(const google::protobuf::Message& item) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(item, &out, options).ok()) {
    out = item.ShortDebugString();
  }
  if (out.size() <= kMaxPayloadBytes) return out;
  // Cut on a UTF-8 character boundary: continuation bytes are 10xxxxxx.
  size_t cut = kMaxPayloadBytes;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  const size_t dropped = out.size() - cut;
  out.resize(cut);
  out += "...(truncated, " + std::to_string(dropped) + " more bytes)";
  return out;
}

}  // namespace gym
