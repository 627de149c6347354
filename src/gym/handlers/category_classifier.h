// The `category` handler: keeps a given `categoria`, fills a missing one from CategoryFor
// (domain/categories.h), a deterministic hash of the transaction id.
//
//   absl::StatusOr<Frame> out = CategoryHandler().Handle(std::move(transactions));
#ifndef GYM_HANDLERS_CATEGORY_CLASSIFIER_H_
#define GYM_HANDLERS_CATEGORY_CLASSIFIER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "gym/domain/categories.h"
#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/row_error.h"
#include "gym/pipeline/part_registry.h"

namespace gym {

// Keeps a non-null, non-empty `categoria`; fills the others from CategoryFor(`id`), adding the
// column when absent. A row that needs a category but has no usable `id` is removed and
// reported.
class CategoryHandler final : public Handler {
 public:
  explicit CategoryHandler(RowErrorReporter reporter = {});

  absl::StatusOr<Frame> Handle(Frame input) override;
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
