// Transaction categories: keeps a given `categoria`, fills a missing one.
//
// The seed picked a random category for a transaction without one. CategoryFor is a
// stand-in for a real classification model with one property the seed lacked: it is a
// deterministic hash of the transaction id, so a retried event gets the same category.
//
//   CategoryFor(42);  // always the same one of kCategories
#ifndef GYM_HANDLERS_CATEGORY_CLASSIFIER_H_
#define GYM_HANDLERS_CATEGORY_CLASSIFIER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/row_error.h"
#include "gym/pipeline/part_registry.h"

namespace gym {

inline constexpr std::array<std::string_view, 10> kCategories = {
    "Alimentação", "Transporte", "Educação",       "Saúde",   "Lazer",
    "Moradia",     "Compras",    "Transferências", "Salário", "Outros"};

// One of kCategories, chosen by a splitmix64 hash of `transaction_id`.
std::string_view CategoryFor(int64_t transaction_id);

// Keeps a non-null, non-empty `categoria`; fills the others from CategoryFor(`id`), adding the
// column when absent. A row that needs a category but has no usable `id` is removed and
// reported.
class CategoryHandler final : public Handler {
 public:
  explicit CategoryHandler(RowErrorReporter reporter = {});

  Frame Handle(Frame input) override;
  uint64_t rejected_rows() const { return rejected_.count(); }

  // Why Handle would reject `row` ("categoria is missing and id is null"), or nullopt: the
  // rule, for a node that rejects rows once ahead of several branches.
  static std::optional<std::string> RowProblem(const Frame& input, size_t row);

 private:
  RejectedRows rejected_;
};

// The `category` part of pipeline files.
PartInfo CategoryPart();

}  // namespace gym

#endif  // GYM_HANDLERS_CATEGORY_CLASSIFIER_H_
