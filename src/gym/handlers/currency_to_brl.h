// CurrencyToBrlHandler: adds `valor_brl` (double), the transaction's valor in reais, from a
// table of rates (BRL per unit of each currency).
//
// It keeps `moeda` and `valor` as they came, so a risk rule downstream still sees the original
// currency (a foreign currency is one of the seed's suspicion rules). A row whose moeda has no
// rate, or whose moeda or valor is null or unreadable, is removed and reported, naming the
// currency or the column. Stateless: safe in a chunked node and for concurrent messages.
//
//   CurrencyToBrlHandler to_brl({{"BRL", 1.0}, {"USD", 5.0}, {"EUR", 5.4}}, reporter);
//   absl::StatusOr<Frame> out = to_brl.Handle(transactions);  // + valor_brl: 10 USD -> 50.0
//
// In a pipeline file (the rates shown are the part's default, and only illustrative):
//
//   [nodes.to_brl]
//   type = "currency_to_brl"
//   inputs = ["check_tx"]
//   rates = { BRL = 1.0, USD = 5.0, EUR = 5.4 }
#ifndef GYM_HANDLERS_CURRENCY_TO_BRL_H_
#define GYM_HANDLERS_CURRENCY_TO_BRL_H_

#include <cstdint>
#include <map>
#include <string>

#include "gym/frame/frame.h"
#include "gym/handlers/rejected_rows.h"
#include "gym/pipeline/handler.h"
#include "gym/pipeline/part_registry.h"
#include "gym/pipeline/row_error.h"

namespace gym {

class CurrencyToBrlHandler final : public Handler {
 public:
  // BRL per unit of each currency, by its code ("USD"). REQUIRES: every rate is positive
  // and finite (the part's `check` refuses others).
  using Rates = std::map<std::string, double, std::less<>>;

  explicit CurrencyToBrlHandler(Rates rates, RowErrorReporter reporter = {},
                                std::string node = "currency_to_brl");

  // INVALID_ARGUMENT when the frame has no `moeda` or `valor`, or `moeda` is not text.
  absl::StatusOr<Frame> Handle(Frame input) override;
  uint64_t rejected_rows() const { return rejected_.count(); }

 private:
  const Rates rates_;
  const std::string node_;
  RejectedRows rejected_;
};

// The `currency_to_brl` part of pipeline files (option `rates`).
PartInfo CurrencyToBrlPart();

}  // namespace gym

#endif  // GYM_HANDLERS_CURRENCY_TO_BRL_H_
