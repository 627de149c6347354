// TransactionCheckHandler: rejects, once and ahead of every branch, the transaction rows that
// RiskHandler or CategoryHandler would reject.
//
// When a node fans out to sibling branches that each drop their own bad rows, a row dropped by
// one branch is still stored by a sink on another: `gym run` stored a transaction whose date
// the risk branch had rejected. Put this node before the fan-out and every branch sees the same
// rows; the rules are the handlers' own (RiskHandler::RowProblem, CategoryHandler::RowProblem),
// so the two cannot drift apart. Each rejected row is reported once, its reason prefixed by the
// rule's owner ("risk: data '2024-02-30' is not a YYYY-MM-DD calendar date").
//
//   new_txt ──> check_tx ──┬──> risk ──> save_csv
//                          └──> category ──> save_db
//   builder.Add("check_tx", std::make_unique<TransactionCheckHandler>(reporter),
//               {.depends_on = {"new_txt"}});
#ifndef GYM_HANDLERS_TRANSACTION_CHECK_H_
#define GYM_HANDLERS_TRANSACTION_CHECK_H_

#include <cstdint>

#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/row_error.h"
#include "gym/pipeline/part_registry.h"

namespace gym {

class TransactionCheckHandler final : public Handler {
 public:
  explicit TransactionCheckHandler(RowErrorReporter reporter = {});

  // INVALID_ARGUMENT, as RiskHandler gives, when the frame lacks data, valor or moeda.
  absl::StatusOr<Frame> Handle(Frame input) override;
  uint64_t rejected_rows() const { return rejected_.count(); }

 private:
  RejectedRows rejected_;
};

// The `check_transactions` part of pipeline files.
PartInfo TransactionCheckPart();

}  // namespace gym

#endif  // GYM_HANDLERS_TRANSACTION_CHECK_H_
