// RiskModel::Train: labeled frame -> features, seeded 80/20 split, CART, held-out scores.
#include <algorithm>
#include <cmath>
#include <set>

#include "fmt/format.h"
#include "gym/domain/dates.h"
#include "gym/handlers/internal/cart_tree.h"
#include "gym/handlers/risk_model.h"

namespace gym {
namespace {

struct LabeledRows {
  std::vector<std::string> currencies;
  std::vector<std::vector<double>> features;  // features[f][row]
  std::vector<uint8_t> labels;
};

absl::Status RowError(size_t row, std::string_view column, std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("row {}: {} {}", row, column, what));
}

absl::Status RequireColumn(const Frame& frame, std::string_view name) {
  if (frame.HasColumn(name)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      fmt::format("labeled data has no column '{}' (needs data, valor, moeda, suspeita)", name));
}

absl::StatusOr<LabeledRows> ExtractRows(const Frame& labeled) {
  for (std::string_view name : {"data", "valor", "moeda", "suspeita"}) {
    if (absl::Status status = RequireColumn(labeled, name); !status.ok()) return status;
  }
  const Column& data = labeled.column("data");
  const Column& valor = labeled.column("valor");
  const Column& moeda = labeled.column("moeda");
  const Column& suspeita = labeled.column("suspeita");
  if (data.type() != DataType::kString || valor.type() == DataType::kString ||
      moeda.type() != DataType::kString || suspeita.type() == DataType::kString) {
    return absl::InvalidArgumentError(
        "labeled data needs text data and moeda, a numeric valor and a numeric suspeita");
  }
  const size_t n = labeled.num_rows();
  std::set<std::string> vocabulary;
  for (size_t row = 0; row < n; ++row) {
    if (!moeda.IsValid(row) || moeda.StringAt(row).empty()) {
      return RowError(row, "moeda", "is empty");
    }
    vocabulary.insert(moeda.StringAt(row));
  }
  if (vocabulary.size() > RiskModel::kMaxCurrencies) {
    return absl::InvalidArgumentError(
        fmt::format("labeled data has {} currencies; at most {} are supported", vocabulary.size(),
                    RiskModel::kMaxCurrencies));
  }
  LabeledRows rows;
  rows.currencies.assign(vocabulary.begin(), vocabulary.end());
  rows.features.assign(3 + rows.currencies.size(), std::vector<double>(n, 0.0));
  rows.labels.resize(n);
  for (size_t row = 0; row < n; ++row) {
    const std::optional<Date> date =
        data.IsValid(row) ? Date::Parse(data.StringAt(row)) : std::nullopt;
    if (!date) {
      return RowError(row, "data",
                      data.IsValid(row) ? fmt::format("'{}' is not a YYYY-MM-DD calendar date",
                                                      data.StringAt(row))
                                        : "is empty");
    }
    if (!valor.IsValid(row) || !std::isfinite(valor.NumberAt(row))) {
      return RowError(row, "valor", "is empty or not a finite number");
    }
    const double label = suspeita.IsValid(row) ? suspeita.NumberAt(row) : -1.0;
    if (label != 0.0 && label != 1.0) return RowError(row, "suspeita", "must be 0 or 1");
    rows.features[0][row] = valor.NumberAt(row);
    rows.features[1][row] = date->Weekday();
    rows.features[2][row] = date->month;
    const auto currency =
        std::lower_bound(rows.currencies.begin(), rows.currencies.end(), moeda.StringAt(row)) -
        rows.currencies.begin();
    rows.features[3 + static_cast<size_t>(currency)][row] = 1.0;
    rows.labels[row] = label == 1.0 ? 1 : 0;
  }
  return rows;
}

// A seeded Fisher-Yates shuffle with splitmix64, so a seed gives the same split everywhere
// (std::shuffle's output differs between standard libraries).
std::vector<size_t> ShuffledRows(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  uint64_t state = seed;
  for (size_t i = n; i > 1; --i) {
    state += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    std::swap(order[i - 1], order[z % i]);
  }
  return order;
}

}  // namespace

absl::StatusOr<std::pair<RiskModel, TrainReport>> RiskModel::Train(const Frame& labeled,
                                                                   const TrainOptions& options) {
  if (!(options.test_fraction > 0.0 && options.test_fraction < 1.0)) {
    return absl::InvalidArgumentError("test_fraction must be in (0, 1)");
  }
  if (options.max_depth < 1) return absl::InvalidArgumentError("max_depth must be at least 1");
  if (labeled.num_rows() < 2) {
    return absl::InvalidArgumentError(fmt::format(
        "labeled data has {} rows; at least 2 are needed to train and test", labeled.num_rows()));
  }
  absl::StatusOr<LabeledRows> rows = ExtractRows(labeled);
  if (!rows.ok()) return rows.status();

  const size_t n = labeled.num_rows();
  const auto held_out =
      static_cast<size_t>(std::llround(static_cast<double>(n) * options.test_fraction));
  const size_t test_rows = std::clamp<size_t>(held_out, 1, n - 1);
  std::vector<size_t> order = ShuffledRows(n, options.seed);
  std::vector<size_t> test(order.begin(), order.begin() + static_cast<ptrdiff_t>(test_rows));
  std::vector<size_t> train(order.begin() + static_cast<ptrdiff_t>(test_rows), order.end());

  RiskModel model(rows->currencies,
                  internal::TrainCart(rows->features, rows->labels, train,
                                      {.max_depth = options.max_depth,
                                       .min_samples_split = options.min_samples_split}));
  size_t correct = 0;
  size_t true_positives = 0;
  size_t predicted_positives = 0;
  size_t actual_positives = 0;
  std::vector<double> x(rows->features.size());
  for (size_t row : test) {
    for (size_t f = 0; f < x.size(); ++f) x[f] = rows->features[f][row];
    const int predicted = model.PredictEncoded(x.data());
    const int actual = rows->labels[row];
    correct += predicted == actual ? 1 : 0;
    true_positives += (predicted == 1 && actual == 1) ? 1 : 0;
    predicted_positives += predicted == 1 ? 1 : 0;
    actual_positives += actual == 1 ? 1 : 0;
  }
  auto ratio = [](size_t a, size_t b) {
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
  };
  TrainReport report{.train_rows = train.size(),
                     .test_rows = test.size(),
                     .accuracy = ratio(correct, test.size()),
                     .precision = ratio(true_positives, predicted_positives),
                     .recall = ratio(true_positives, actual_positives)};
  return std::make_pair(std::move(model), report);
}

}  // namespace gym
