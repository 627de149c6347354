// Client profiles: running state per client, per cliente_id and per cpf, joined into one row
// per client with Frame::InnerJoin when the totals are asked for.
#include "gym/handlers/client_profile.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "fmt/ranges.h"
#include "gym/domain/dates.h"

namespace gym {
namespace {

constexpr std::string_view kNode = "client_profile";
// frequencia_30d: transactions per 30 days over the days from the first to the last one,
// counted as at least 30, so two transactions on one day read as 2 per 30 days, not 60.
double PerThirtyDays(int64_t count, int64_t first_day, int64_t last_day) {
  constexpr int64_t kDays = 30;
  const int64_t span = std::max(last_day - first_day, kDays);
  return static_cast<double>(count * kDays) / static_cast<double>(span);
}

// The columns `take` of `right`, one cell per row of `left_keys`: the cell of the right row
// whose `right_key` equals it, or null where none does. A left join, built on InnerJoin
// (which keeps only matches) so that a client without transactions or a score keeps its
// profile. REQUIRES: `right_key` is unique in `right`; `take` does not hold "__row".
std::vector<Column> LookUp(const Column& left_keys, const Frame& right, std::string_view right_key,
                           const std::vector<std::string>& take) {
  const size_t n = left_keys.size();
  std::vector<int64_t> positions(n);
  std::iota(positions.begin(), positions.end(), int64_t{0});
  const Frame keys({"__row", "__key"}, {Column::Ints(std::move(positions)), left_keys});
  // InnerJoin keeps left order, so matched rows come in ascending __row.
  const Frame matched = keys.InnerJoin(right, "__key", right_key);
  const Column& rows = matched.column("__row");
  std::vector<Column> out;
  for (const std::string& name : take) {
    const Column& from = matched.column(name);
    Column column(from.type());
    column.Reserve(n);
    size_t m = 0;
    for (size_t row = 0; row < n; ++row) {
      if (m < matched.num_rows() && static_cast<size_t>(rows.Int64At(m)) == row) {
        column.AppendFrom(from, m++);
      } else {
        column.AppendNull();
      }
    }
    out.push_back(std::move(column));
  }
  return out;
}

}  // namespace

double LoanLimit(int64_t score, double renda_mensal) {
  // Illustrative bands: no loan below 500, then one, two or three months of income.
  const double factor = score < 500 ? 0.0 : score < 650 ? 1.0 : score < 800 ? 2.0 : 3.0;
  return renda_mensal * factor;
}

ClientProfileHandler::ClientProfileHandler(std::string value_column, MetricOptions options)
    : MetricHandler(std::string(kNode), "client profiles", std::move(options)),
      value_column_(std::move(value_column)) {}

absl::Status ClientProfileHandler::Accumulate(const Frame& input) {
  // A message without rows or columns adds nothing.
  if (input.num_columns() == 0) return absl::OkStatus();
  absl::Status usable;
  if (input.HasColumn("cliente_id")) {
    usable = RequireColumns(input, {{"cliente_id", ColumnKind::kInt64},
                                    {"data", ColumnKind::kString},
                                    {value_column_, ColumnKind::kNumber}});
    if (usable.ok()) AddTransactions(input);
  } else if (input.HasColumn("score")) {
    usable = RequireColumns(input, {{"cpf", ColumnKind::kString},
                                    {"score", ColumnKind::kInt64},
                                    {"renda_mensal", ColumnKind::kNumber}});
    if (usable.ok()) AddScores(input);
  } else if (input.HasColumn("id")) {
    usable = RequireColumns(input, {{"id", ColumnKind::kInt64}, {"cpf", ColumnKind::kString}});
    if (usable.ok()) AddClients(input);
  } else {
    usable = absl::InvalidArgumentError(fmt::format(
        "{}: a message must be clients (id, cpf), transactions (cliente_id, data, {}) or scores "
        "(cpf, score, renda_mensal); this one has columns {}",
        kNode, value_column_, fmt::join(input.column_names(), ", ")));
  }
  return usable;
}

void ClientProfileHandler::AddClients(const Frame& input) {
  const Column& ids = input.column("id");
  const Column& cpfs = input.column("cpf");
  for (size_t row = 0; row < input.num_rows(); ++row) {
    if (!ids.IsValid(row)) {
      Skip(input, row, "client id is null");
      continue;
    }
    // A client without a cpf keeps a profile; it just never gets a score.
    clients_[ids.Int64At(row)].cpf =
        cpfs.IsValid(row) ? std::optional<std::string>(cpfs.StringAt(row)) : std::nullopt;
  }
}

void ClientProfileHandler::AddTransactions(const Frame& input) {
  const Column& ids = input.column("cliente_id");
  const Column& dates = input.column("data");
  const Column& values = input.column(value_column_);
  for (size_t row = 0; row < input.num_rows(); ++row) {
    if (!ids.IsValid(row)) {
      Skip(input, row, "cliente_id is null");
      continue;
    }
    const std::optional<Date> date =
        dates.IsValid(row) ? Date::Parse(dates.StringAt(row)) : std::nullopt;
    if (!date) {
      Skip(input, row,
           dates.IsValid(row)
               ? fmt::format("data '{}' is not a YYYY-MM-DD calendar date", dates.StringAt(row))
               : std::string("data is null"));
      continue;
    }
    if (!values.IsValid(row) || !std::isfinite(values.NumberAt(row))) {
      Skip(input, row, value_column_ + " is null or not finite");
      continue;
    }
    const int64_t day = date->DaysSinceEpoch();
    Activity& a = activity_[ids.Int64At(row)];
    a.first_day = a.count == 0 ? day : std::min(a.first_day, day);
    a.last_day = a.count == 0 ? day : std::max(a.last_day, day);
    a.count += 1;
    a.total += values.NumberAt(row);
  }
}

void ClientProfileHandler::AddScores(const Frame& input) {
  const Column& cpfs = input.column("cpf");
  const Column& scores = input.column("score");
  const Column& incomes = input.column("renda_mensal");
  for (size_t row = 0; row < input.num_rows(); ++row) {
    if (!cpfs.IsValid(row)) {
      Skip(input, row, "cpf of the score is null");
    } else if (!scores.IsValid(row)) {
      Skip(input, row, "score is null");
    } else if (!incomes.IsValid(row) || !std::isfinite(incomes.NumberAt(row)) ||
               incomes.NumberAt(row) < 0) {
      Skip(input, row, "renda_mensal is null, negative or not finite");
    } else {
      scores_[cpfs.StringAt(row)] = {scores.Int64At(row), incomes.NumberAt(row)};
    }
  }
}

// The accumulated activity and scores as frames keyed like the join wants them (one row per
// cliente_id, one per cpf).
Frame ClientProfileHandler::ActivityFrame() const {
  std::vector<int64_t> ids, counts, first_days, last_days;
  std::vector<double> totals;
  for (auto* v : {&ids, &counts, &first_days, &last_days}) v->reserve(activity_.size());
  totals.reserve(activity_.size());
  for (const auto& [id, a] : activity_) {
    ids.push_back(id);
    counts.push_back(a.count);
    totals.push_back(a.total);
    first_days.push_back(a.first_day);
    last_days.push_back(a.last_day);
  }
  return Frame({"cliente_id", "transacoes", "saldo", "primeiro", "ultimo"},
               {Column::Ints(std::move(ids)), Column::Ints(std::move(counts)),
                Column::Doubles(std::move(totals)), Column::Ints(std::move(first_days)),
                Column::Ints(std::move(last_days))});
}

Frame ClientProfileHandler::ScoresFrame() const {
  std::vector<std::string> cpfs;
  std::vector<int64_t> scores;
  std::vector<double> incomes;
  cpfs.reserve(scores_.size());
  scores.reserve(scores_.size());
  incomes.reserve(scores_.size());
  for (const auto& [cpf, s] : scores_) {
    cpfs.push_back(cpf);
    scores.push_back(s.score);
    incomes.push_back(s.renda_mensal);
  }
  return Frame({"cpf", "score", "renda_mensal"},
               {Column::Strings(std::move(cpfs)), Column::Ints(std::move(scores)),
                Column::Doubles(std::move(incomes))});
}

Frame ClientProfileHandler::ClientsFrame() const {
  Column ids(DataType::kInt64);
  Column cpfs(DataType::kString);
  ids.Reserve(clients_.size());
  cpfs.Reserve(clients_.size());
  for (const auto& [id, client] : clients_) {
    ids.AppendInt64(id);
    if (client.cpf) {
      cpfs.AppendString(*client.cpf);
    } else {
      cpfs.AppendNull();
    }
  }
  return Frame({"cliente_id", "cpf"}, {std::move(ids), std::move(cpfs)});
}

Frame ClientProfileHandler::Totals() const {
  Frame out = ClientsFrame();
  const size_t n = out.num_rows();
  // act: [0] transacoes, [1] saldo, [2] primeiro, [3] ultimo; sc: [0] score, [1] renda_mensal.
  const std::vector<Column> act = LookUp(out.column("cliente_id"), ActivityFrame(), "cliente_id",
                                         {"transacoes", "saldo", "primeiro", "ultimo"});
  std::vector<Column> sc =
      LookUp(out.column("cpf"), ScoresFrame(), "cpf", {"score", "renda_mensal"});
  std::vector<int64_t> counts(n, 0);
  std::vector<double> balances(n, 0.0);
  Column averages(DataType::kDouble);
  Column frequencies(DataType::kDouble);
  Column limits(DataType::kDouble);
  for (size_t row = 0; row < n; ++row) {
    if (act[0].IsValid(row)) {  // a client with activity has at least one transaction
      counts[row] = act[0].Int64At(row);
      balances[row] = act[1].DoubleAt(row);
      averages.AppendDouble(balances[row] / static_cast<double>(counts[row]));
      frequencies.AppendDouble(
          PerThirtyDays(counts[row], act[2].Int64At(row), act[3].Int64At(row)));
    } else {
      averages.AppendNull();
      frequencies.AppendNull();
    }
    if (sc[0].IsValid(row)) {
      limits.AppendDouble(LoanLimit(sc[0].Int64At(row), sc[1].DoubleAt(row)));
    } else {
      limits.AppendNull();
    }
  }
  out.AddColumn("transacoes", Column::Ints(std::move(counts)));
  out.AddColumn("saldo", Column::Doubles(std::move(balances)));
  out.AddColumn("valor_medio", std::move(averages));
  out.AddColumn("frequencia_30d", std::move(frequencies));
  out.AddColumn("score", std::move(sc[0]));
  out.AddColumn("renda_mensal", std::move(sc[1]));
  out.AddColumn("limite_emprestimo", std::move(limits));
  return out;
}

PartInfo ClientProfilePart() {
  PartInfo info = MetricPart(
      std::string(kNode),
      "one profile per client from clients, transactions and scores arriving as separate "
      "messages (told apart by their columns): transacoes, saldo (sum of value_column), "
      "valor_medio, frequencia_30d (transactions x 30 / days from first to last, at least 30), "
      "score, renda_mensal and limite_emprestimo = renda_mensal x 0 (score below 500), 1 "
      "(500-649), 2 (650-799) or 3 (800 and up); the bands are illustrative",
      {},
      {{"cliente_id", DataType::kInt64},
       {"cpf", DataType::kString},
       {"transacoes", DataType::kInt64},
       {"saldo", DataType::kDouble},
       {"valor_medio", DataType::kDouble},
       {"frequencia_30d", DataType::kDouble},
       {"score", DataType::kInt64},
       {"renda_mensal", DataType::kDouble},
       {"limite_emprestimo", DataType::kDouble}},
      [](const PartOptions& o, MetricOptions m) {
        return std::make_unique<ClientProfileHandler>(o.String("value_column"), std::move(m));
      },
      {{.name = "value_column",
        .type = OptionType::kString,
        .help = "the transaction column summed into saldo (valor_brl after currency_to_brl)",
        .default_value = std::string("valor")}});
  // What it reads depends on value_column. Each input brings only some of these (clients no
  // score, scores no cliente_id): a path that is open lets the others pass unchecked.
  info.contract = [outputs = info.contract](const PartOptions& o) {
    ColumnContract c = outputs(o);
    // Each input brings some of these (clients, transactions, scores arrive apart).
    c.reads = {{"id", DataType::kInt64, true},
               {"cpf", DataType::kString, true},
               {"cliente_id", DataType::kInt64, true},
               {"data", DataType::kString, true},
               {o.String("value_column"), std::nullopt, true},
               {"score", DataType::kInt64, true},
               {"renda_mensal", std::nullopt, true}};
    return c;
  };
  return info;
}

}  // namespace gym
