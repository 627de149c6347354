// Whole-data-set transaction metrics: running counts and sums.
#include "gym/handlers/transaction_metrics.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace gym {

CountPerCategoryHandler::CountPerCategoryHandler(MetricOptions options)
    : MetricHandler("count_per_category", "transactions per category", std::move(options)) {}

absl::Status CountPerCategoryHandler::Accumulate(const Frame& input) {
  if (absl::Status s = RequireColumns(input, {{"categoria", ColumnKind::kString}}); !s.ok()) {
    return s;
  }
  const Column& categories = input.column("categoria");
  for (size_t row = 0; row < input.num_rows(); ++row) {
    if (!categories.IsValid(row) || categories.StringAt(row).empty()) {
      Skip(input, row, "categoria is null or empty");
      continue;
    }
    const std::string& category = categories.StringAt(row);
    auto it = counts_.find(category);
    if (it == counts_.end()) it = counts_.emplace(category, 0).first;
    ++it->second;
  }
  return absl::OkStatus();
}

Frame CountPerCategoryHandler::Totals() const {
  std::vector<std::pair<std::string, int64_t>> sorted(counts_.begin(), counts_.end());
  // Most frequent first; the map's name order breaks ties.
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  Column names(DataType::kString);
  Column counts(DataType::kInt64);
  for (auto& [name, count] : sorted) {
    names.AppendString(std::move(name));
    counts.AppendInt64(count);
  }
  return Frame({"categoria", "transacoes"}, {std::move(names), std::move(counts)});
}

SuspiciousPercentageHandler::SuspiciousPercentageHandler(MetricOptions options)
    : MetricHandler("suspicious_percentage", "suspicious transactions", std::move(options)) {}

absl::Status SuspiciousPercentageHandler::Accumulate(const Frame& input) {
  if (absl::Status s = RequireColumns(input, {{"suspeita", ColumnKind::kNumber}}); !s.ok()) {
    return s;
  }
  const Column& flags = input.column("suspeita");
  for (size_t row = 0; row < input.num_rows(); ++row) {
    const double flag = flags.IsValid(row) ? flags.NumberAt(row) : -1.0;
    if (flag != 0.0 && flag != 1.0) {
      Skip(input, row, "suspeita is not 0 or 1");
      continue;
    }
    ++total_;
    suspicious_ += flag == 1.0 ? 1 : 0;
  }
  return absl::OkStatus();
}

Frame SuspiciousPercentageHandler::Totals() const {
  Column percentage(DataType::kDouble);
  if (total_ == 0) {
    percentage.AppendNull();
  } else {
    percentage.AppendDouble(100.0 * static_cast<double>(suspicious_) / static_cast<double>(total_));
  }
  return Frame({"transacoes", "suspeitas", "percentual"},
               {Column::Ints({total_}), Column::Ints({suspicious_}), std::move(percentage)});
}

ValuePerCurrencyHandler::ValuePerCurrencyHandler(MetricOptions options)
    : MetricHandler("value_per_currency", "total value per currency", std::move(options)) {}

absl::Status ValuePerCurrencyHandler::Accumulate(const Frame& input) {
  if (absl::Status s =
          RequireColumns(input, {{"moeda", ColumnKind::kString}, {"valor", ColumnKind::kNumber}});
      !s.ok()) {
    return s;
  }
  const Column& currencies = input.column("moeda");
  const Column& valor = input.column("valor");
  for (size_t row = 0; row < input.num_rows(); ++row) {
    if (!currencies.IsValid(row) || currencies.StringAt(row).empty()) {
      Skip(input, row, "moeda is null or empty");
      continue;
    }
    if (!valor.IsValid(row) || !std::isfinite(valor.NumberAt(row))) {
      Skip(input, row, "valor is null or not finite");
      continue;
    }
    const std::string& currency = currencies.StringAt(row);
    auto it = sums_.find(currency);
    if (it == sums_.end()) it = sums_.emplace(currency, Sum{}).first;
    it->second.count += 1;
    it->second.total += valor.NumberAt(row);
  }
  return absl::OkStatus();
}

Frame ValuePerCurrencyHandler::Totals() const {
  Column names(DataType::kString);
  Column counts(DataType::kInt64);
  Column totals(DataType::kDouble);
  for (const auto& [name, sum] : sums_) {
    names.AppendString(name);
    counts.AppendInt64(sum.count);
    totals.AppendDouble(sum.total);
  }
  return Frame({"moeda", "transacoes", "valor_total"},
               {std::move(names), std::move(counts), std::move(totals)});
}

PartInfo CountPerCategoryPart() {
  return MetricPart("count_per_category", "transactions per categoria, most first",
                    {{"categoria", DataType::kString}},
                    {{"categoria", DataType::kString}, {"transacoes", DataType::kInt64}},
                    [](const PartOptions&, MetricOptions m) {
                      return std::make_unique<CountPerCategoryHandler>(std::move(m));
                    });
}

PartInfo SuspiciousPercentagePart() {
  return MetricPart("suspicious_percentage", "the share of transactions with suspeita = 1",
                    {{"suspeita", std::nullopt}},
                    {{"transacoes", DataType::kInt64},
                     {"suspeitas", DataType::kInt64},
                     {"percentual", DataType::kDouble}},
                    [](const PartOptions&, MetricOptions m) {
                      return std::make_unique<SuspiciousPercentageHandler>(std::move(m));
                    });
}

PartInfo ValuePerCurrencyPart() {
  return MetricPart("value_per_currency", "transactions and total valor per moeda",
                    {{"moeda", DataType::kString}, {"valor", std::nullopt}},
                    {{"moeda", DataType::kString},
                     {"transacoes", DataType::kInt64},
                     {"valor_total", DataType::kDouble}},
                    [](const PartOptions&, MetricOptions m) {
                      return std::make_unique<ValuePerCurrencyHandler>(std::move(m));
                    });
}

}  // namespace gym
