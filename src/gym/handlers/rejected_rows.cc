// Counting and routing of rejected rows.
#include "gym/handlers/rejected_rows.h"

#include <utility>

#include "spdlog/spdlog.h"

namespace gym {

void RejectedRows::Report(const Frame& frame, size_t row, std::string reason) {
  count_.fetch_add(1, std::memory_order_relaxed);
  RowError error{.node = node_, .row = row, .event_id = {}, .reason = std::move(reason)};
  if (frame.HasColumn("event_id")) error.event_id = ValueToString(frame.column("event_id").At(row));
  if (reporter_) {
    reporter_(error);
    return;
  }
  spdlog::warn("{}: row {} (event_id '{}') rejected: {}", error.node, error.row, error.event_id,
               error.reason);
}

Frame WithoutRows(Frame frame, const std::vector<size_t>& rejected) {
  if (rejected.empty()) return frame;
  std::vector<size_t> kept;
  kept.reserve(frame.num_rows() - rejected.size());
  size_t next = 0;
  for (size_t row = 0; row < frame.num_rows(); ++row) {
    if (next < rejected.size() && rejected[next] == row) {
      ++next;
      continue;
    }
    kept.push_back(row);
  }
  return frame.Take(kept);
}

}  // namespace gym
