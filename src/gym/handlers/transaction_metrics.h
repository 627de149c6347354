// Whole-data-set metrics over transactions: count per category, share of suspicious
// transactions, total value per currency. They accumulate over messages (see
// metric_handler.h).
//
//   CountPerCategoryHandler categories;     // categoria, transacoes (most first, ties by name)
//   SuspiciousPercentageHandler suspicious; // transacoes, suspeitas, percentual (0..100)
//   ValuePerCurrencyHandler currencies;     // moeda, transacoes, valor_total (by moeda)
#ifndef GYM_HANDLERS_TRANSACTION_METRICS_H_
#define GYM_HANDLERS_TRANSACTION_METRICS_H_

#include <cstdint>
#include <map>
#include <string>

#include "gym/frame/frame.h"
#include "gym/handlers/metric_handler.h"

namespace gym {

class CountPerCategoryHandler final : public MetricHandler {
 public:
  explicit CountPerCategoryHandler(MetricOptions options = {});

 private:
  absl::Status Accumulate(const Frame& input) override;
  Frame Totals() const override;

  std::map<std::string, int64_t, std::less<>> counts_;
};

// Reads `suspeita` (0/1, as RiskHandler adds it); percentual is null before any row.
class SuspiciousPercentageHandler final : public MetricHandler {
 public:
  explicit SuspiciousPercentageHandler(MetricOptions options = {});

 private:
  absl::Status Accumulate(const Frame& input) override;
  Frame Totals() const override;

  int64_t total_ = 0;
  int64_t suspicious_ = 0;
};

class ValuePerCurrencyHandler final : public MetricHandler {
 public:
  explicit ValuePerCurrencyHandler(MetricOptions options = {});

 private:
  struct Sum {
    int64_t count = 0;
    double total = 0.0;
  };
  absl::Status Accumulate(const Frame& input) override;
  Frame Totals() const override;

  std::map<std::string, Sum, std::less<>> sums_;
};

// The `count_per_category`, `suspicious_percentage` and `value_per_currency` parts.
PartInfo CountPerCategoryPart();
PartInfo SuspiciousPercentagePart();
PartInfo ValuePerCurrencyPart();

}  // namespace gym

#endif  // GYM_HANDLERS_TRANSACTION_METRICS_H_
