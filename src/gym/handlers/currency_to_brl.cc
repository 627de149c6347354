// Conversion to reais, one rate lookup per row.
#include "gym/handlers/currency_to_brl.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "gym/handlers/internal/number_cell.h"

namespace gym {
namespace {

std::string RateNames(const CurrencyToBrlHandler::Rates& rates) {
  std::string names;
  for (const auto& [currency, rate] : rates) names += (names.empty() ? "" : ", ") + currency;
  return names.empty() ? "none" : names;
}

}  // namespace

CurrencyToBrlHandler::CurrencyToBrlHandler(Rates rates, RowErrorReporter reporter, std::string node)
    : rates_(std::move(rates)), node_(node), rejected_(std::move(node), std::move(reporter)) {}

absl::StatusOr<Frame> CurrencyToBrlHandler::Handle(Frame input) {
  for (const char* name : {"moeda", "valor"}) {
    if (!input.HasColumn(name)) {
      return absl::InvalidArgumentError(
          fmt::format("{}: input has no column '{}' (needs moeda, valor)", node_, name));
    }
  }
  const Column& moeda = input.column("moeda");
  const Column& valor = input.column("valor");
  if (moeda.type() != DataType::kString) {
    return absl::InvalidArgumentError(
        fmt::format("{}: column 'moeda' must be text, not {}", node_, DataTypeName(moeda.type())));
  }
  const size_t n = input.num_rows();
  std::vector<double> brl(n, 0.0);
  std::vector<size_t> rejected;
  for (size_t row = 0; row < n; ++row) {
    std::string problem;
    const std::optional<double> value = internal::FiniteNumberAt(valor, row);
    if (!moeda.IsValid(row)) {
      problem = "moeda is null";
    } else if (auto rate = rates_.find(moeda.StringAt(row)); rate == rates_.end()) {
      problem =
          fmt::format("moeda '{}' has no rate (rates: {})", moeda.StringAt(row), RateNames(rates_));
    } else if (!value) {
      problem = valor.IsValid(row)
                    ? fmt::format("valor '{}' is not a finite number", ValueToString(valor.At(row)))
                    : "valor is null";
    } else {
      brl[row] = *value * rate->second;
      continue;
    }
    rejected.push_back(row);
    rejected_.Report(input, row, std::move(problem));
  }
  input.AddColumn("valor_brl", Column::Doubles(std::move(brl)));
  return WithoutRows(std::move(input), rejected);
}

PartInfo CurrencyToBrlPart() {
  return {
      .type = "currency_to_brl",
      .kind = PartKind::kHandler,
      .help =
          "adds valor_brl = valor x the rate of moeda (BRL per unit; the default rates are "
          "illustrative, not market data); keeps moeda and valor as they came, so a risk "
          "rule still sees the original currency; a row whose moeda has no rate is "
          "rejected, naming the currency",
      .options = {{.name = "rates",
                   .type = OptionType::kNumberMap,
                   .help = "BRL per unit of each currency (illustrative defaults)",
                   .default_value =
                       std::map<std::string, double>{{"BRL", 1.0}, {"USD", 5.0}, {"EUR", 5.4}}}},
      .contract =
          [](const PartOptions&) {
            return ColumnContract{.reads = {{"moeda", DataType::kString}, {"valor", std::nullopt}},
                                  .adds = {{"valor_brl", DataType::kDouble}}};
          },
      .check =
          [](const PartOptions& o) {
            std::vector<std::string> problems;
            const std::map<std::string, double>& rates = o.NumberMap("rates");
            if (rates.empty()) problems.emplace_back("rates: name at least one currency");
            for (const auto& [currency, rate] : rates) {
              if (!(rate > 0.0) || !std::isfinite(rate)) {
                problems.push_back(
                    fmt::format("rates: {} is {}; a rate must be a positive number (BRL per unit)",
                                currency, rate));
              }
            }
            return problems;
          },
      .make = [](const std::string& node, const PartOptions& o,
                 const PartContext& c) -> MadeHandler {
        const std::map<std::string, double>& rates = o.NumberMap("rates");
        return std::make_unique<CurrencyToBrlHandler>(
            CurrencyToBrlHandler::Rates(rates.begin(), rates.end()), c.rejected, node);
      }};
}

}  // namespace gym
