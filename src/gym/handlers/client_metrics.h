// Per-client metrics over transactions (cliente_id, valor): the seed's average value per
// client and client with the most transactions. Both accumulate over messages (see
// metric_handler.h).
//
//   AverageValuePerClientHandler all;                 // cliente_id, transacoes, valor_medio
//   AverageValuePerClientHandler one(int64_t{42});    // only client 42 (as the seed did)
//   MostTransactionsClientHandler most;               // cliente_id, transacoes (one row)
#ifndef GYM_HANDLERS_CLIENT_METRICS_H_
#define GYM_HANDLERS_CLIENT_METRICS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

#include "gym/frame/frame.h"
#include "gym/handlers/metric_handler.h"

namespace gym {

// Average valor per cliente_id, ascending by id. With a chosen client: one row for it
// (transacoes 0 and a null average until it has a transaction).
class AverageValuePerClientHandler final : public MetricHandler {
 public:
  explicit AverageValuePerClientHandler(std::optional<int64_t> cliente_id = std::nullopt,
                                        MetricOptions options = {});

 private:
  struct Sum {
    int64_t count = 0;
    double total = 0.0;
  };
  absl::Status Accumulate(const Frame& input) override;
  Frame Totals() const override;

  const std::optional<int64_t> cliente_id_;
  std::map<int64_t, Sum> sums_;
};

// The cliente_id with the most transactions (ties: the lowest id); no row before any data.
class MostTransactionsClientHandler final : public MetricHandler {
 public:
  explicit MostTransactionsClientHandler(MetricOptions options = {});

 private:
  absl::Status Accumulate(const Frame& input) override;
  Frame Totals() const override;

  std::unordered_map<int64_t, int64_t> counts_;
  int64_t best_id_ = 0;
  int64_t best_count_ = 0;
};

// The `average_value_per_client` and `most_transactions_client` parts of pipeline files.
PartInfo AverageValuePerClientPart();
PartInfo MostTransactionsClientPart();

}  // namespace gym

#endif  // GYM_HANDLERS_CLIENT_METRICS_H_
