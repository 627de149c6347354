// CART (Gini) training of a binary classification tree over numeric features.
//
// Written here rather than taken from a library: no well-kept Debian C++ package offers a
// small CART learner, and the risk model has only a handful of numeric features, so a few
// dozen lines beat a heavyweight dependency. Follows the classic algorithm: at each node try
// every feature and every midpoint between consecutive distinct values, keep the split with
// the lowest weighted Gini impurity (first feature wins ties), stop on a pure node,
// max_depth, fewer than min_samples_split rows, or when no split separates the rows.
#ifndef GYM_HANDLERS_INTERNAL_CART_TREE_H_
#define GYM_HANDLERS_INTERNAL_CART_TREE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "gym/handlers/decision_tree_node.h"

namespace gym::internal {

// The trained tree's nodes (DecisionTreeNode, public because RiskModel exposes them).
using CartNode = DecisionTreeNode;

struct CartOptions {
  int max_depth = 12;
  size_t min_samples_split = 2;
};

// Trains on the rows `rows` of `features` (features[f][row]) with labels 0/1.
// REQUIRES: `rows` is not empty; every features[f] and `labels` cover every row listed.
std::vector<CartNode> TrainCart(const std::vector<std::vector<double>>& features,
                                const std::vector<uint8_t>& labels, std::vector<size_t> rows,
                                const CartOptions& options);

}  // namespace gym::internal

#endif  // GYM_HANDLERS_INTERNAL_CART_TREE_H_
