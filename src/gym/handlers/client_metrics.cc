// Per-client metrics: running sums and counts keyed by cliente_id.
#include "gym/handlers/client_metrics.h"

#include <cmath>
#include <utility>
#include <vector>

namespace gym {

AverageValuePerClientHandler::AverageValuePerClientHandler(std::optional<int64_t> cliente_id,
                                                           MetricOptions options)
    : MetricHandler("average_value_per_client",
                    cliente_id ? "average value of client " + std::to_string(*cliente_id)
                               : "average value per client",
                    std::move(options)),
      cliente_id_(cliente_id) {}

absl::Status AverageValuePerClientHandler::Accumulate(const Frame& input) {
  if (absl::Status s = RequireColumns(
          input, {{"cliente_id", ColumnKind::kInt64}, {"valor", ColumnKind::kNumber}});
      !s.ok()) {
    return s;
  }
  const Column& ids = input.column("cliente_id");
  const Column& valor = input.column("valor");
  for (size_t row = 0; row < input.num_rows(); ++row) {
    if (!ids.IsValid(row)) {
      Skip(input, row, "cliente_id is null");
      continue;
    }
    if (cliente_id_ && ids.Int64At(row) != *cliente_id_) continue;
    if (!valor.IsValid(row) || !std::isfinite(valor.NumberAt(row))) {
      Skip(input, row, "valor is null or not finite");
      continue;
    }
    Sum& sum = sums_[ids.Int64At(row)];
    sum.count += 1;
    sum.total += valor.NumberAt(row);
  }
  return absl::OkStatus();
}

Frame AverageValuePerClientHandler::Totals() const {
  Column ids(DataType::kInt64);
  Column counts(DataType::kInt64);
  Column averages(DataType::kDouble);
  auto add = [&](int64_t id, const Sum& sum) {
    ids.AppendInt64(id);
    counts.AppendInt64(sum.count);
    if (sum.count == 0) {
      averages.AppendNull();
    } else {
      averages.AppendDouble(sum.total / static_cast<double>(sum.count));
    }
  };
  if (cliente_id_) {
    const auto it = sums_.find(*cliente_id_);
    add(*cliente_id_, it == sums_.end() ? Sum{} : it->second);
  } else {
    for (const auto& [id, sum] : sums_) add(id, sum);
  }
  return Frame({"cliente_id", "transacoes", "valor_medio"},
               {std::move(ids), std::move(counts), std::move(averages)});
}

MostTransactionsClientHandler::MostTransactionsClientHandler(MetricOptions options)
    : MetricHandler("most_transactions_client", "client with the most transactions",
                    std::move(options)) {}

absl::Status MostTransactionsClientHandler::Accumulate(const Frame& input) {
  if (absl::Status s = RequireColumns(input, {{"cliente_id", ColumnKind::kInt64}}); !s.ok()) {
    return s;
  }
  const Column& ids = input.column("cliente_id");
  for (size_t row = 0; row < input.num_rows(); ++row) {
    if (!ids.IsValid(row)) {
      Skip(input, row, "cliente_id is null");
      continue;
    }
    const int64_t id = ids.Int64At(row);
    const int64_t count = ++counts_[id];
    // Counts only grow, so the leader changes only to the client just counted.
    if (count > best_count_ || (count == best_count_ && id < best_id_)) {
      best_id_ = id;
      best_count_ = count;
    }
  }
  return absl::OkStatus();
}

Frame MostTransactionsClientHandler::Totals() const {
  Column ids(DataType::kInt64);
  Column counts(DataType::kInt64);
  if (best_count_ > 0) {
    ids.AppendInt64(best_id_);
    counts.AppendInt64(best_count_);
  }
  return Frame({"cliente_id", "transacoes"}, {std::move(ids), std::move(counts)});
}

PartInfo AverageValuePerClientPart() {
  return MetricPart(
      "average_value_per_client", "average valor per cliente_id (or of one client)",
      {{"cliente_id", DataType::kInt64}, {"valor", std::nullopt}},
      {{"cliente_id", DataType::kInt64},
       {"transacoes", DataType::kInt64},
       {"valor_medio", DataType::kDouble}},
      [](const PartOptions& o, MetricOptions m) {
        const int64_t id = o.Int("cliente_id");
        return std::make_unique<AverageValuePerClientHandler>(
            id > 0 ? std::optional<int64_t>(id) : std::nullopt, std::move(m));
      },
      {{.name = "cliente_id",
        .type = OptionType::kInt,
        .help = "only this client (0: every client)",
        .default_value = int64_t{0}}});
}

PartInfo MostTransactionsClientPart() {
  return MetricPart("most_transactions_client",
                    "the cliente_id with the most transactions (ties: the lowest id)",
                    {{"cliente_id", DataType::kInt64}},
                    {{"cliente_id", DataType::kInt64}, {"transacoes", DataType::kInt64}},
                    [](const PartOptions&, MetricOptions m) {
                      return std::make_unique<MostTransactionsClientHandler>(std::move(m));
                    });
}

}  // namespace gym
