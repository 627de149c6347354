// The delivery check that ends every run: events sent, acknowledged by the server, and found
// committed (the change in the server's GetStats row counts over the run), per type.
//
// lost = for each type, the acknowledged events that are not committed, max(0, acked -
// committed delta), summed. A server that other clients also write to can only hide losses
// (its counts grow more), never invent them.
#ifndef GYM_LOADTEST_DELIVERY_CHECK_H_
#define GYM_LOADTEST_DELIVERY_CHECK_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "gym/loadtest/client_session.h"

namespace gym::loadtest {

struct CommittedCounts {
  std::array<int64_t, 3> rows{};  // clients, transactions, scores
  int64_t rejected_events = 0;
};

// Calls GetStats; an RPC failure comes back as its status, naming the method.
absl::StatusOr<CommittedCounts> FetchCommittedCounts(const std::shared_ptr<grpc::Channel>& channel,
                                                     const std::string& authorization,
                                                     std::chrono::nanoseconds timeout);

struct DeliveryReport {
  int64_t sent = 0;
  int64_t acked = 0;
  int64_t rejected = 0;  // reported rejected by the server (bad input), not lost
  bool committed_known = false;
  int64_t committed = 0;  // rows added during the run
  int64_t lost = 0;
  std::string unknown_reason;  // why committed is unknown
};

DeliveryReport CheckDelivery(const std::array<TypeTotals, 3>& totals,
                             const absl::StatusOr<CommittedCounts>& before,
                             const absl::StatusOr<CommittedCounts>& after);

// "events sent: 24000, acknowledged: 24000, rejected: 0, committed: 24000\nlost: 0"
std::string FormatDelivery(const DeliveryReport& report);

}  // namespace gym::loadtest

#endif  // GYM_LOADTEST_DELIVERY_CHECK_H_
