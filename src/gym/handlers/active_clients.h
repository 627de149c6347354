// ActiveClientsHandler: the share of clients with a transaction in the last N days.
//
// A fan-in node: clients (`id`) and transactions (`cliente_id`, `data`) arrive as separate
// messages, told apart by their columns, and accumulate like the other metrics (see
// metric_handler.h). A client is active when it has a transaction dated from as_of - (days - 1)
// through as_of, both included (days = 30: as_of and the 29 days before); later dates do not
// count. The output is one row:
//
//   clientes    clients seen so far (distinct ids)
//   ativos      those of them that are active
//   percentual  100 x ativos / clientes (null before any client)
//
// Transactions of a client not seen yet are kept and count once it arrives. Rows it cannot use
// (a null id or cliente_id; a date that is not YYYY-MM-DD) are skipped and reported.
//
//   ActiveClientsHandler active(30, *Date::Parse("2026-11-26"));
//   (void)active.Handle(clients);
//   absl::StatusOr<Frame> out = active.Handle(transactions);  // clientes, ativos, percentual
#ifndef GYM_HANDLERS_ACTIVE_CLIENTS_H_
#define GYM_HANDLERS_ACTIVE_CLIENTS_H_

#include <cstdint>
#include <unordered_set>

#include "gym/domain/dates.h"
#include "gym/frame/frame.h"
#include "gym/handlers/metric_handler.h"

namespace gym {

class ActiveClientsHandler final : public MetricHandler {
 public:
  // REQUIRES: days >= 1.
  ActiveClientsHandler(int64_t days, Date as_of, MetricOptions options = {});

 private:
  absl::Status Accumulate(const Frame& input) override;
  Frame Totals() const override;

  const int64_t first_day_;  // the window, in days since 1970-01-01, both ends included
  const int64_t last_day_;
  std::unordered_set<int64_t> clients_;
  // Every cliente_id with a transaction in the window, whether its client arrived or not.
  std::unordered_set<int64_t> active_ids_;
};

// The `active_clients` part of pipeline files (options `days`, and `as_of`: YYYY-MM-DD, or ""
// for the day the node is made, in UTC).
PartInfo ActiveClientsPart();

}  // namespace gym

#endif  // GYM_HANDLERS_ACTIVE_CLIENTS_H_
