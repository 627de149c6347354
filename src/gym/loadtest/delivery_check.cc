// GetStats before and after a run, and the sent / acknowledged / committed comparison.
#include "gym/loadtest/delivery_check.h"

#include "fmt/format.h"
#include "gym/proto/event_ingestion_service.grpc.pb.h"

namespace gym::loadtest {

absl::StatusOr<CommittedCounts> FetchCommittedCounts(const std::shared_ptr<grpc::Channel>& channel,
                                                     const std::string& authorization,
                                                     std::chrono::nanoseconds timeout) {
  auto stub = gym_framework_rpc::EventIngestionService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  gym_framework_rpc::StatsRequest request;
  gym_framework_rpc::StatsResponse response;
  grpc::Status status = stub->GetStats(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        fmt::format("GetStats: {}", status.error_message()));
  }
  CommittedCounts counts;
  counts.rows = {response.clients(), response.transactions(), response.scores()};
  counts.rejected_events = response.rejected_events();
  return counts;
}

DeliveryReport CheckDelivery(const std::array<TypeTotals, 3>& totals,
                             const absl::StatusOr<CommittedCounts>& before,
                             const absl::StatusOr<CommittedCounts>& after) {
  DeliveryReport report;
  for (const TypeTotals& t : totals) {
    report.sent += t.sent;
    report.acked += t.acked;
    report.rejected += t.rejected;
  }
  if (!before.ok() || !after.ok()) {
    report.unknown_reason = std::string((before.ok() ? after : before).status().message());
    return report;
  }
  report.committed_known = true;
  for (size_t i = 0; i < totals.size(); ++i) {
    const int64_t delta = after->rows[i] - before->rows[i];
    report.committed += delta;
    if (totals[i].acked > delta) report.lost += totals[i].acked - delta;
  }
  return report;
}

std::string FormatDelivery(const DeliveryReport& r) {
  std::string committed =
      r.committed_known ? std::to_string(r.committed) : "unknown (" + r.unknown_reason + ")";
  return fmt::format("events sent: {}, acknowledged: {}, rejected: {}, committed: {}\nlost: {}",
                     r.sent, r.acked, r.rejected, committed,
                     r.committed_known ? std::to_string(r.lost) : "unknown");
}

}  // namespace gym::loadtest
