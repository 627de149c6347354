#include "gym/sinks/rejection_log.h"

#include <utility>

#include "gym/frame/frame.h"
#include "spdlog/spdlog.h"

namespace gym {

RowErrorReporter RejectionLog::Reporter() {
  return [this](const RowError& error) { Record(error); };
}

void RejectionLog::Record(const RowError& error) {
  rows_.fetch_add(1);
  spdlog::warn("{}: row {} (event_id '{}') rejected: {}", error.node, error.row, error.event_id,
               error.reason);
  // Rows always carry an event_id after a producer; the fallback keeps a stray one unique.
  const std::string event_id =
      error.event_id.empty() ? error.node + ":" + error.batch_id + ":" + std::to_string(error.row)
                             : error.event_id;
  Frame record({"event_id", "batch_id", "node", "item_index", "reason", "payload"},
               {Column::Strings({event_id}), Column::Strings({error.batch_id}),
                Column::Strings({error.node}), Column::Ints({static_cast<int64_t>(error.row)}),
                Column::Strings({error.reason}), Column::Strings({error.payload})});
  std::function<void(const absl::Status&)> tracked =
      tracker_ ? tracker_(error.batch_id) : nullptr;
  writer_.Write({std::string(kRejectedTable), "event_id"}, std::move(record),
                [this, event_id, tracked = std::move(tracked)](const absl::Status& s,
                                                               const WriteResult&) {
                  if (!s.ok()) {
                    spdlog::error("cannot record rejected row {}: {}", event_id,
                                  std::string(s.message()));
                    std::lock_guard<std::mutex> lock(mu_);
                    if (failures_.fetch_add(1) == 0) first_failure_ = std::string(s.message());
                  }
                  if (tracked) tracked(s);
                });
}

std::string RejectionLog::first_failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_failure_;
}

}  // namespace gym
