// RiskModel: the transaction risk classifier, a CART decision tree (Gini).
//
// Features, in order: valor, weekday (0 = Monday .. 6 = Sunday), month (1..12), then one-hot
// moeda over the currency vocabulary of the training data (sorted; BRL, EUR, USD for the
// seed's data). A currency outside the vocabulary encodes as all zeros. The tree itself is
// trained by internal/cart_tree.h (why it is written here is said there).
//
//   auto trained = RiskModel::Train(labeled, {.seed = 7});   // labeled: data, valor, moeda,
//   suspeita const auto& [model, report] = *trained;                   // report.accuracy on the
//   20% held out model.Save("risk_model.json"); model.Predict(4200.0, /*weekday=*/2, /*month=*/5,
//   "BRL");  // 1: suspicious
//
// Model file (JSON): {"format": "gym-risk-tree", "version": 1, "features": [...],
// "currencies": [...], "nodes": [{"feature": f, "threshold": t, "left": l, "right": r} |
// {"leaf": 0|1}, ...]} with node 0 the root and children after their parent.
#ifndef GYM_HANDLERS_RISK_MODEL_H_
#define GYM_HANDLERS_RISK_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gym/frame/frame.h"
#include "gym/handlers/decision_tree_node.h"

namespace gym {

struct TrainOptions {
  uint64_t seed = 42;          // shuffles the rows before the train/test split
  double test_fraction = 0.2;  // share of rows held out; in (0, 1)
  int max_depth = 12;
  size_t min_samples_split = 2;
};

// Measured on the held-out rows; "positive" is suspeita = 1. Precision (recall) is 0 when
// nothing was predicted (labeled) positive.
struct TrainReport {
  size_t train_rows = 0;
  size_t test_rows = 0;
  double accuracy = 0.0;
  double precision = 0.0;
  double recall = 0.0;
};

class RiskModel final {
 public:
  static constexpr int kFormatVersion = 1;
  static constexpr size_t kMaxCurrencies = 32;

  // Trains on `labeled` (columns data "YYYY-MM-DD", valor, moeda, suspeita 0/1). A row whose
  // date, valor, moeda or label cannot be used is an InvalidArgumentError naming the row
  // (counted from 0) and the column.
  static absl::StatusOr<std::pair<RiskModel, TrainReport>> Train(const Frame& labeled,
                                                                 const TrainOptions& options);
  // Reads and validates a model file; errors name the file and the field at fault.
  static absl::StatusOr<RiskModel> Load(const std::string& path);
  // Same, from JSON text; `origin` names the text in errors.
  static absl::StatusOr<RiskModel> FromJson(std::string_view text, std::string_view origin);
  // Writes the model file (via a temporary file renamed into place).
  absl::Status Save(const std::string& path) const;
  std::string ToJson() const;

  // 1 when the transaction is predicted suspicious, else 0. Allocation-free.
  int Predict(double valor, int weekday, int month, std::string_view moeda) const;
  // The feature vector Predict uses.
  std::vector<double> Features(double valor, int weekday, int month, std::string_view moeda) const;
  // "valor", "weekday", "month", then "moeda=<currency>" per currency.
  std::vector<std::string> FeatureNames() const;

  const std::vector<std::string>& currencies() const { return currencies_; }
  const std::vector<DecisionTreeNode>& nodes() const { return nodes_; }

 private:
  RiskModel(std::vector<std::string> currencies, std::vector<DecisionTreeNode> nodes)
      : currencies_(std::move(currencies)), nodes_(std::move(nodes)) {}
  // Walks the tree over an encoded feature vector (FeatureNames() order).
  int PredictEncoded(const double* x) const;

  std::vector<std::string> currencies_;
  std::vector<DecisionTreeNode> nodes_;
};

}  // namespace gym

#endif  // GYM_HANDLERS_RISK_MODEL_H_
