// Risk scoring of a frame of transactions, one Predict per row.
#include "gym/handlers/risk_handler.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gym/datagen/dates.h"

namespace gym {
namespace {

const Column& RequiredColumn(const Frame& frame, std::string_view name) {
  if (!frame.HasColumn(name)) {
    throw FrameError("risk: input has no column '" + std::string(name) +
                     "' (needs data, valor, moeda)");
  }
  return frame.column(name);
}

std::optional<double> ValorAt(const Column& valor, size_t row) {
  if (!valor.IsValid(row)) return std::nullopt;
  double value = 0.0;
  if (valor.type() == DataType::kString) {
    const std::string& text = valor.StringAt(row);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  } else {
    value = valor.NumberAt(row);
  }
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

RiskHandler::RiskHandler(std::shared_ptr<const RiskModel> model, RowErrorReporter reporter)
    : model_(std::move(model)), rejected_("risk", std::move(reporter)) {}

void RiskHandler::CheckColumns(const Frame& input) {
  const Column& data = RequiredColumn(input, "data");
  RequiredColumn(input, "valor");
  const Column& moeda = RequiredColumn(input, "moeda");
  if (data.type() != DataType::kString || moeda.type() != DataType::kString) {
    throw FrameError("risk: columns 'data' and 'moeda' must be strings");
  }
}

std::optional<std::string> RiskHandler::RowProblem(const Frame& input, size_t row) {
  const Column& data = input.column("data");
  const Column& valor = input.column("valor");
  if (!data.IsValid(row)) return "data is null";
  if (!Date::Parse(data.StringAt(row))) {
    return "data '" + data.StringAt(row) + "' is not a YYYY-MM-DD calendar date";
  }
  if (!ValorAt(valor, row)) {
    return valor.IsValid(row)
               ? "valor '" + ValueToString(valor.At(row)) + "' is not a finite number"
               : "valor is null";
  }
  return std::nullopt;
}

Frame RiskHandler::Handle(Frame input) {
  CheckColumns(input);
  const Column& data = input.column("data");
  const Column& valor = input.column("valor");
  const Column& moeda = input.column("moeda");
  const size_t n = input.num_rows();
  std::vector<int64_t> suspeita(n, 0);
  std::vector<size_t> rejected;
  for (size_t row = 0; row < n; ++row) {
    if (std::optional<std::string> problem = RowProblem(input, row)) {
      rejected.push_back(row);
      rejected_.Report(input, row, *std::move(problem));
      continue;
    }
    const Date date = *Date::Parse(data.StringAt(row));
    const std::string_view currency =
        moeda.IsValid(row) ? std::string_view(moeda.StringAt(row)) : std::string_view();
    suspeita[row] = model_->Predict(*ValorAt(valor, row), date.Weekday(), date.month, currency);
  }
  input.AddColumn("suspeita", Column::Ints(std::move(suspeita)));
  return WithoutRows(std::move(input), rejected);
}

}  // namespace gym
