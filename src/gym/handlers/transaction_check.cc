#include "gym/handlers/transaction_check.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gym/handlers/category_classifier.h"
#include "gym/handlers/risk_handler.h"

namespace gym {

TransactionCheckHandler::TransactionCheckHandler(RowErrorReporter reporter)
    : rejected_("check_tx", std::move(reporter)) {}

absl::StatusOr<Frame> TransactionCheckHandler::Handle(Frame input) {
  if (absl::Status s = RiskHandler::CheckColumns(input); !s.ok()) return s;
  std::vector<size_t> rejected;
  for (size_t row = 0; row < input.num_rows(); ++row) {
    std::optional<std::string> problem;
    if (auto risk = RiskHandler::RowProblem(input, row)) {
      problem = "risk: " + *risk;
    } else if (auto category = CategoryHandler::RowProblem(input, row)) {
      problem = "category: " + *category;
    }
    if (problem) {
      rejected.push_back(row);
      rejected_.Report(input, row, *std::move(problem));
    }
  }
  return WithoutRows(std::move(input), rejected);
}

PartInfo TransactionCheckPart() {
  return {.type = "check_transactions",
          .kind = PartKind::kHandler,
          .help = "rejects, once and ahead of a fan-out, the transactions that risk or "
                  "category would reject, so every branch sees the same rows",
          .contract =
              [](const PartOptions&) {
                return ColumnContract{.reads = {{"data", DataType::kString},
                                                {"valor", std::nullopt},
                                                {"moeda", DataType::kString}}};
              },
          .make = [](const std::string&, const PartOptions&, const PartContext& c)
              -> MadeHandler { return std::make_unique<TransactionCheckHandler>(c.rejected); }};
}

}  // namespace gym
