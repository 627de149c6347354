// CART training: recursive best-split search with sorted scans.
#include "gym/handlers/internal/cart_tree.h"

#include <algorithm>
#include <utility>

namespace gym::internal {
namespace {

struct Split {
  int32_t feature = -1;
  double threshold = 0.0;
  double impurity = 0.0;  // weighted Gini of the two sides, times the row count
};

// Gini impurity of a side times its size: n * (1 - p^2 - q^2) = 2 * pos * neg / n.
double WeightedGini(size_t positives, size_t n) {
  if (n == 0) return 0.0;
  const auto pos = static_cast<double>(positives);
  const auto neg = static_cast<double>(n - positives);
  return 2.0 * pos * neg / static_cast<double>(n);
}

class CartBuilder {
 public:
  CartBuilder(const std::vector<std::vector<double>>& features, const std::vector<uint8_t>& labels,
              const CartOptions& options)
      : features_(features), labels_(labels), options_(options) {}

  // Appends the subtree for `rows` and returns its index.
  int32_t Build(std::vector<size_t> rows, int depth) {
    const auto index = static_cast<int32_t>(nodes_.size());
    nodes_.emplace_back();
    size_t positives = 0;
    for (size_t row : rows) positives += labels_[row];
    const bool pure = positives == 0 || positives == rows.size();
    const Split split = (pure || depth >= options_.max_depth ||
                         rows.size() < std::max<size_t>(options_.min_samples_split, 2))
                            ? Split{}
                            : BestSplit(rows);
    if (split.feature < 0) {
      // Majority class; a tie goes to 0 ("not suspicious"), as most CART implementations do.
      nodes_[static_cast<size_t>(index)].left = positives * 2 > rows.size() ? 1 : 0;
      return index;
    }
    std::vector<size_t> left;
    std::vector<size_t> right;
    const std::vector<double>& column = features_[static_cast<size_t>(split.feature)];
    for (size_t row : rows) (column[row] <= split.threshold ? left : right).push_back(row);
    rows.clear();
    rows.shrink_to_fit();
    const int32_t left_index = Build(std::move(left), depth + 1);
    const int32_t right_index = Build(std::move(right), depth + 1);
    nodes_[static_cast<size_t>(index)] = {split.feature, left_index, right_index, split.threshold};
    return index;
  }

  std::vector<CartNode> Take() && { return std::move(nodes_); }

 private:
  Split BestSplit(const std::vector<size_t>& rows) {
    Split best;
    size_t total_positives = 0;
    for (size_t row : rows) total_positives += labels_[row];
    std::vector<size_t> sorted = rows;
    for (size_t f = 0; f < features_.size(); ++f) {
      const std::vector<double>& column = features_[f];
      std::stable_sort(sorted.begin(), sorted.end(),
                       [&](size_t a, size_t b) { return column[a] < column[b]; });
      size_t left_positives = 0;
      for (size_t k = 0; k + 1 < sorted.size(); ++k) {
        left_positives += labels_[sorted[k]];
        const double here = column[sorted[k]];
        const double next = column[sorted[k + 1]];
        if (!(here < next)) continue;  // only between distinct values
        const size_t left_n = k + 1;
        const double impurity =
            WeightedGini(left_positives, left_n) +
            WeightedGini(total_positives - left_positives, sorted.size() - left_n);
        if (best.feature < 0 || impurity < best.impurity) {
          // The midpoint, unless rounding puts it on `next` (values one ulp apart).
          double threshold = here + (next - here) / 2.0;
          if (!(threshold < next)) threshold = here;
          best = {static_cast<int32_t>(f), threshold, impurity};
        }
      }
    }
    return best;
  }

  const std::vector<std::vector<double>>& features_;
  const std::vector<uint8_t>& labels_;
  const CartOptions& options_;
  std::vector<CartNode> nodes_;
};

}  // namespace

std::vector<CartNode> TrainCart(const std::vector<std::vector<double>>& features,
                                const std::vector<uint8_t>& labels, std::vector<size_t> rows,
                                const CartOptions& options) {
  CartBuilder builder(features, labels, options);
  builder.Build(std::move(rows), 0);
  return std::move(builder).Take();
}

}  // namespace gym::internal
