// One node of the risk model's flat decision tree (see risk_model.h), as Save writes it.
#ifndef GYM_HANDLERS_DECISION_TREE_NODE_H_
#define GYM_HANDLERS_DECISION_TREE_NODE_H_

#include <cstdint>

namespace gym {

// Internal: go to `left` when x[feature] <= threshold, else `right`. Leaf: feature == -1 and
// `left` holds the class (0 or 1). Children always come after their parent, so the array
// describes an acyclic tree rooted at index 0.
struct DecisionTreeNode {
  int32_t feature = -1;
  int32_t left = 0;
  int32_t right = 0;
  double threshold = 0.0;
};

}  // namespace gym

#endif  // GYM_HANDLERS_DECISION_TREE_NODE_H_
