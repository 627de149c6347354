// Column-at-a-time conversion: each column vector is filled in one pass and handed to the
// Frame whole, which is much cheaper than appending row by row.
#include "gym/datagen/frames.h"

#include <string>
#include <utility>

namespace gym {
namespace {

template <typename Row, typename Get>
Column IntColumn(const std::vector<Row>& rows, Get get) {
  std::vector<int64_t> values;
  values.reserve(rows.size());
  for (const Row& r : rows) values.push_back(static_cast<int64_t>(get(r)));
  return Column::Ints(std::move(values));
}

template <typename Row, typename Get>
Column DoubleColumn(const std::vector<Row>& rows, Get get) {
  std::vector<double> values;
  values.reserve(rows.size());
  for (const Row& r : rows) values.push_back(get(r));
  return Column::Doubles(std::move(values));
}

template <typename Row, typename Get>
Column StringColumn(const std::vector<Row>& rows, Get get) {
  std::vector<std::string> values;
  values.reserve(rows.size());
  for (const Row& r : rows) values.push_back(get(r));
  return Column::Strings(std::move(values));
}

// The five columns every transaction layout starts with.
std::vector<Column> TransactionColumns(const std::vector<MockTransaction>& rows) {
  std::vector<Column> columns;
  columns.push_back(IntColumn(rows, [](const MockTransaction& t) { return t.id; }));
  columns.push_back(IntColumn(rows, [](const MockTransaction& t) { return t.cliente_id; }));
  columns.push_back(StringColumn(rows, [](const MockTransaction& t) { return t.data; }));
  columns.push_back(DoubleColumn(rows, [](const MockTransaction& t) { return t.valor; }));
  columns.push_back(StringColumn(rows, [](const MockTransaction& t) { return t.moeda; }));
  return columns;
}

}  // namespace

Frame ClientsFrame(const std::vector<MockClient>& clients) {
  std::vector<Column> columns;
  columns.push_back(IntColumn(clients, [](const MockClient& c) { return c.id; }));
  columns.push_back(StringColumn(clients, [](const MockClient& c) { return c.nome; }));
  columns.push_back(StringColumn(clients, [](const MockClient& c) { return c.cpf; }));
  columns.push_back(StringColumn(clients, [](const MockClient& c) { return c.data_nascimento; }));
  columns.push_back(StringColumn(clients, [](const MockClient& c) { return c.endereco; }));
  return Frame({"id", "nome", "cpf", "data_nascimento", "endereco"}, std::move(columns));
}

Frame TransactionsFrame(const std::vector<MockTransaction>& transactions) {
  std::vector<Column> columns = TransactionColumns(transactions);
  Column categoria = Column::Make(DataType::kString);
  categoria.Reserve(transactions.size());
  for (const MockTransaction& t : transactions) {
    if (t.categoria) {
      categoria.AppendString(*t.categoria);
    } else {
      categoria.AppendNull();
    }
  }
  columns.push_back(std::move(categoria));
  return Frame({"id", "cliente_id", "data", "valor", "moeda", "categoria"}, std::move(columns));
}

Frame NewTransactionsFrame(const std::vector<MockTransaction>& transactions) {
  return Frame({"id", "cliente_id", "data", "valor", "moeda"}, TransactionColumns(transactions));
}

Frame ScoresFrame(const std::vector<MockScore>& scores) {
  std::vector<Column> columns;
  columns.push_back(StringColumn(scores, [](const MockScore& s) { return s.cpf; }));
  columns.push_back(IntColumn(scores, [](const MockScore& s) { return s.score; }));
  columns.push_back(DoubleColumn(scores, [](const MockScore& s) { return s.renda_mensal; }));
  columns.push_back(DoubleColumn(scores, [](const MockScore& s) { return s.limite_credito; }));
  columns.push_back(
      StringColumn(scores, [](const MockScore& s) { return s.data_ultima_atualizacao; }));
  return Frame({"cpf", "score", "renda_mensal", "limite_credito", "data_ultima_atualizacao"},
               std::move(columns));
}

Frame LabeledFrame(const std::vector<LabeledTransaction>& rows) {
  std::vector<Column> columns;
  columns.push_back(IntColumn(rows, [](const LabeledTransaction& r) { return r.t.id; }));
  columns.push_back(IntColumn(rows, [](const LabeledTransaction& r) { return r.t.cliente_id; }));
  columns.push_back(StringColumn(rows, [](const LabeledTransaction& r) { return r.t.data; }));
  columns.push_back(DoubleColumn(rows, [](const LabeledTransaction& r) { return r.t.valor; }));
  columns.push_back(StringColumn(rows, [](const LabeledTransaction& r) { return r.t.moeda; }));
  columns.push_back(IntColumn(rows, [](const LabeledTransaction& r) { return r.suspeita; }));
  return Frame({"id", "cliente_id", "data", "valor", "moeda", "suspeita"}, std::move(columns));
}

}  // namespace gym
