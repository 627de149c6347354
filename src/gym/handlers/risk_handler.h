// RiskHandler: adds `suspeita` (int64 0/1) to transactions with a trained RiskModel.
//
// Needs columns data ("YYYY-MM-DD"), valor (number, or text holding one) and moeda (a null
// moeda counts as an unknown currency). A row whose data or valor cannot be read is removed
// and reported; a frame without one of those columns fails as a whole (FrameError).
//
//   auto model = std::make_shared<const RiskModel>(*RiskModel::Load("risk_model.json"));
//   builder.Add("risk", std::make_unique<RiskHandler>(model), {.depends_on = {"new"}});
#ifndef GYM_HANDLERS_RISK_HANDLER_H_
#define GYM_HANDLERS_RISK_HANDLER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/handlers/risk_model.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/row_error.h"

namespace gym {

class RiskHandler final : public Handler {
 public:
  // REQUIRES: `model` is not null.
  explicit RiskHandler(std::shared_ptr<const RiskModel> model, RowErrorReporter reporter = {});

  Frame Handle(Frame input) override;
  uint64_t rejected_rows() const { return rejected_.count(); }

  // The rules Handle applies, for a node that rejects rows once ahead of several branches
  // (see TransactionCheckHandler). CheckColumns throws FrameError when the frame cannot be
  // scored at all; RowProblem says why one row cannot be ("data '2024-02-30' is not ...").
  // REQUIRES for RowProblem: CheckColumns(input) passed.
  static void CheckColumns(const Frame& input);
  static std::optional<std::string> RowProblem(const Frame& input, size_t row);

 private:
  std::shared_ptr<const RiskModel> model_;
  RejectedRows rejected_;
};

}  // namespace gym

#endif  // GYM_HANDLERS_RISK_HANDLER_H_
