// RiskHandler: adds `suspeita` (int64 0/1) to transactions with a trained RiskModel.
//
// Needs columns data ("YYYY-MM-DD"), valor (number, or text holding one) and moeda (a null
// moeda counts as an unknown currency). A row whose data or valor cannot be read is removed
// and reported; a frame without one of those columns fails as a whole (INVALID_ARGUMENT).
//
//   auto model = std::make_shared<const RiskModel>(*RiskModel::Load("risk_model.json"));
//   builder.Add("risk", std::make_unique<RiskHandler>(model), {.depends_on = {"new"}});
#ifndef GYM_HANDLERS_RISK_HANDLER_H_
#define GYM_HANDLERS_RISK_HANDLER_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <string>

#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/handlers/risk_model.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/row_error.h"

namespace gym {

class RiskHandler final : public Handler {
 public:
  // REQUIRES: `model` is not null.
  explicit RiskHandler(std::shared_ptr<const RiskModel> model, RowErrorReporter reporter = {});

  absl::StatusOr<Frame> Handle(Frame input) override;
  uint64_t rejected_rows() const { return rejected_.count(); }

  // The rules Handle applies, for a node that rejects rows once ahead of several branches
  // (see TransactionCheckHandler). CheckColumns is INVALID_ARGUMENT, naming the column, when
  // the frame cannot be scored at all; RowProblem says why one row cannot be ("data
  // '2024-02-30' is not ..."). REQUIRES for RowProblem: CheckColumns(input) is OK.
  [[nodiscard]] static absl::Status CheckColumns(const Frame& input);
  static std::optional<std::string> RowProblem(const Frame& input, size_t row);

 private:
  std::shared_ptr<const RiskModel> model_;
  RejectedRows rejected_;
};

// What a command gives the risk nodes of its pipeline (through PartContext): the model,
// loaded or trained on first use, once, so a pipeline without a risk node never trains one.
class RiskModelSource final {
 public:
  using Loader = std::function<absl::StatusOr<std::shared_ptr<const RiskModel>>()>;
  explicit RiskModelSource(Loader load) : load_(std::move(load)) {}
  absl::StatusOr<std::shared_ptr<const RiskModel>> Get();

 private:
  Loader load_;
  std::once_flag once_;
  absl::StatusOr<std::shared_ptr<const RiskModel>> model_;
};

// The `risk` part of pipeline files: takes its model from the context's RiskModelSource.
PartInfo RiskPart();

}  // namespace gym

#endif  // GYM_HANDLERS_RISK_HANDLER_H_
